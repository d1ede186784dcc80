// Package urpc implements URPC channels: cache-line sized messages between
// exactly two parties that share a region of memory and nothing else
// (docs/decisions.md, 8; Baumann et al., "The Multikernel", SOSP 2009, §4.6;
// Barrelfish's UMP channels). The same code runs between two monitors on
// different cores of the guest, over a frame the two cores agreed to share,
// and between two threads on the host, over a Go byte slice. It is pure Go:
// no cgo, no assembly, no system calls.
//
// # Memory layout
//
// A channel region is a whole number of 64-byte lines, 64-byte aligned and
// zero before either party starts. It holds L lines:
//
//	line 0            ack line of side A
//	line 1            wait line of side A
//	line 2            ack line of side B
//	line 3            wait line of side B
//	lines 4 .. 4+n    ring A→B: n slots, written by A, read by B
//	lines 4+n .. 4+2n ring B→A: n slots, written by B, read by A
//
// with n = (L-4)/2 (a spare odd line is unused). Each slot is one line of
// eight little-endian 64-bit words. Words 0-6 carry 56 bytes of payload.
// Word 7 is the header, written last:
//
//	bit  0      epoch: the parity of the pass over the ring, plus one
//	bit  1      continuation: 0 in the first slot of a message, 1 after it
//	bits 2-15   reserved, zero
//	bits 16-31  message type
//	bits 32-55  first slot: message length in bytes;
//	            continuation slot: fragment index (1, 2, ...)
//	bits 56-63  low 8 bits of the slot's sequence number on its ring
//
// A slot is full for the receiver when its epoch bit equals the epoch the
// receiver expects for that position: 1 on the first pass over the ring
// (zeroed memory reads as empty), 0 on the second, and so on. The receiver
// polls only word 7 of the next slot. A message of m bytes takes
// max(1, ⌈m/56⌉) consecutive slots; its fragments are never interleaved with
// another message's.
//
// Each party owns two control lines, written only by it:
//
//	ack line,  word 0  ack: slots the owner has consumed from the ring it receives
//	wait line, word 0  rx-waiting: 1 while the owner may sleep waiting for a message
//	wait line, word 1  tx-waiting: 1 while the owner may sleep waiting for credit
//
// The other words are reserved. The ack word has a line of its own because
// the two words are used at different rates: the peer's sender loads
// rx-waiting on every Flush, while the owner stores the ack every n/4 slots;
// on one line every ack store would take the line away from the sender and
// its next Flush would fetch it back. Who writes what, in one table:
//
//	slot words 0-6 of ring X→Y   X (plain stores), before it publishes word 7
//	slot word 7 of ring X→Y      X (atomic store)
//	control lines of X           X (atomic stores); Y only reads them
//
// # Flow control: credits with a batched ack word
//
// The sender of a ring owns n credits. Publishing a slot spends one; it
// learns how many came back by reading the receiver's ack word, and reads it
// only when its cached count runs out. The receiver stores its consumed
// count into the ack word after every n/4 slots (at least one) and before it
// goes to sleep. A sender therefore never writes slot seq while
// seq-ack >= n, so it never overwrites an unread slot, and since every slot
// is consumed exactly once, in sequence order (checked by bits 56-63),
// nothing is lost or duplicated.
//
// This replaces Barrelfish's acks piggybacked on reverse traffic plus
// explicit ack messages. It is the equivalent the issue allows, chosen
// because:
//
//   - an ack never needs a slot, so there is no deadlock in which both rings
//     are full of consumed messages and neither side may send the ack that
//     would free them, and no reserved ack slot to account for;
//   - a pure sender never has to drain (and buffer) its receive ring just to
//     find acks;
//   - the cost is the same as piggybacking: one line transfer per n/4
//     messages, since the sender reads the ack line only when out of credit.
//
// Progress: if the sender is out of credit, n slots are outstanding; the
// receiver has consumed fewer than n/4 of them since its last store, so while
// its owner keeps receiving it reaches n/4 and stores the ack. A receiver
// that stops receiving stops its sender: that is back-pressure, not a bug.
// Messages longer than the ring work because the receiver consumes (and
// acks) fragments as they arrive.
//
// # Waiting and notification
//
// Recv polls the next slot's word 7 for a bounded time, then sleeps: it
// stores rx-waiting = 1, looks at word 7 once more, and only then calls
// Sleeper.Sleep(DataEvent). A sender, after publishing (Send, or Flush after
// a batch of Posts), loads the peer's rx-waiting and calls
// Notifier.Notify(DataEvent) only when it is 1. Out of credit, a sender does
// the mirror image with tx-waiting, ack and CreditEvent; a receiver that
// stores an ack loads the peer's tx-waiting. On the host the hooks are a
// Doorbell (buffered Go channels); in the guest Notify will be an
// inter-processor interrupt raised through the CPU driver.
//
// How long to poll is two-phase waiting (Ousterhout, "Scheduling Techniques
// for Concurrent Systems", 1982; Karlin et al., "Empirical Studies of
// Competitive Spinning", SOSP 1991): polling for about as long as a sleep and
// its wake-up cost wastes at most that much, while sleeping earlier pays the
// wake-up on every short wait. The wake-up cost is not known in advance (on
// the host, waking a goroutine locked to a thread takes 40-300 µs: the
// PingPong/*-pinned-wakeup benchmarks; the guest's IPI path has its own), so
// each wait (data, credit) adapts its own limit: it starts at
// Config.PollTime; a sleep that the peer ended after d < 16 × PollTime shows
// that polling would have been cheaper, and the limit grows to 2d (at most
// 16 × PollTime); a longer sleep shows an idle peer, and the limit halves
// back towards PollTime. A fixed limit below the wake-up cost
// is unstable: once one side sleeps, the other times out while it is being
// woken and sleeps too, and the two keep waking each other, paying a
// wake-up every few messages (this cut host throughput tenfold before the
// limit adapted).
//
// # Waitsets
//
// A monitor serves one endpoint per peer core from one goroutine, so it
// waits on all of them at once with a Waitset, as Barrelfish does. Wait
// polls word 7 of every endpoint's next slot, round-robin from the endpoint
// it returned last, for the adaptive limit; then it stores the ack of every
// endpoint that consumed slots since its last ack (so every peer has full
// credit), stores rx-waiting = 1 into every endpoint, looks at every next
// slot once more, and only then sleeps, once,
// on a Sleeper that all the peers notify (on the host one Doorbell that is
// every peer's Notifier; in the guest the core's notification counter).
// After waking it stores rx-waiting = 0 everywhere.
//
// The rule: one goroutine owns a waitset and the receive sides of all its
// endpoints. No wake-up is lost because the handshake with each peer is the
// Dekker handshake below, unchanged: that peer stores word 7 then loads this
// endpoint's rx-waiting, and the waitset stores rx-waiting then loads word 7.
// So for every peer, either the final look sees its message and Wait does
// not sleep, or the peer sees rx-waiting = 1 and notifies the shared Sleeper,
// which remembers a notification that arrives before Sleep. A notification
// from any peer ends the one Sleep, and the next scan looks at all of them;
// a stale notification only costs a spurious wake-up.
//
// # Memory ordering
//
// Within one Go program the argument is the Go memory model: sync/atomic
// operations are sequentially consistent, and a load that observes an atomic
// store is synchronized after it.
//
//   - Publication: the sender's plain stores to words 0-6 precede its atomic
//     store of word 7; the receiver's atomic load that sees the new epoch
//     precedes its plain loads of words 0-6. So the receiver reads the new
//     payload, never an older one.
//   - Reuse: the receiver copies a slot out before it atomically stores an
//     ack covering it; the sender atomically loads that ack before its plain
//     stores into the slot. So a slot is rewritten only after it was read.
//   - Sleeping (Dekker): the receiver stores rx-waiting then loads word 7;
//     the sender stores word 7 then loads rx-waiting. With sequentially
//     consistent atomics at least one of them sees the other's store, so
//     either the receiver does not sleep or the sender notifies it. A
//     Doorbell remembers a notification that arrives before Sleep, so the
//     wake-up is not lost. Credit waits use the same argument.
//
// The loads stay atomic even where the x86 argument below would allow plain
// ones: on amd64 an atomic load is the same MOV as a plain load, so it costs
// nothing, and it keeps the host program free of data races (go test -race).
// The stores of word 7, the ack and the waiting words stay atomic (XCHG):
// they are the store-to-load fence of the Dekker handshakes.
//
// Between two Go runtimes on two cores the model does not apply formally,
// but the instructions do: on amd64 the compiler emits MOV for atomic loads
// and plain accesses and XCHG for atomic stores, never reorders memory
// accesses across an atomic operation, and x86-TSO (Intel SDM Vol. 3A §8.2,
// §9.2 in editions from 2023) keeps stores in order, loads in order, and
// orders locked instructions such as XCHG with every other access, which is
// the store-to-load fence the sleeping argument needs.
//
// # Trust
//
// The peer may be buggy. A slot whose header is malformed (reserved bits set,
// a wrong sequence byte, a continuation where a first fragment belongs or
// the reverse, a length over Config.MaxMessage) and an ack word that moves
// backwards or beyond what was sent give a *MalformedError, never a panic.
// The error is sticky: the stream has lost its framing, so every later call
// on that direction returns it. Payload is copied out of shared memory
// before it is handed to the caller, so the peer cannot change a message
// after it was received.
//
// # The fast path
//
// Most messages fit one slot, and besides the two cache-line transfers a
// hop needs, a message costs the instructions of its two ends (on two
// hyperthreads of one core, where a line moves in about 25 ns, mostly
// those: BENCHMARKS.md, "URPC on the host"), so they are kept few. Send
// and Post take a fast path for a message of at most min(PayloadSize,
// MaxMessage) bytes when the cached credit allows: one compare against a
// credit limit (the ack as last read plus the ring size, set to zero when
// the ack word turned out impossible, so an error always takes the slow
// path), the payload stored a word at a time, the header, and for Send the
// load of rx-waiting, written out in Send and Post so that the path makes
// no call. TryRecv and Recv take one for a full slot whose header, under
// one mask, is exactly a first slot with the expected epoch and sequence
// byte, no continuation and no reserved bits, whose length fits one slot
// and MaxMessage, outside a message in progress and with no sticky error
// (the expected word carries a bit no header has while either holds): the
// seven payload words are copied into a buffer of the receiver's own, and
// the ack is checked with one compare against the sequence number at which
// it falls due. Recv begins with the first phase of its wait in the fast
// path itself: it polls word 7 of the next slot up to 256 times in a loop
// of its own and goes on from the load that saw the new epoch to the header
// check and the copy, with no return or call between; only when the slot is
// still empty (or holds anything else) does it go to the general code,
// which polls on for the adaptive limit and sleeps. Both paths make the
// same checks, loads and stores in the same order as the general code,
// which handles everything else, so the protocol and its memory-ordering
// argument above are unchanged. BenchmarkSerial counts what is left: a
// message sent and received on one thread.
//
// # Concurrency
//
// An Endpoint is one party's view. Its send side (Send, Post, TryPost, Flush)
// must be used by one goroutine at a time, and so must its receive side
// (Recv, TryRecv); one goroutine may send while another receives. The
// receive side of an endpoint in a Waitset belongs to the goroutine that
// owns the waitset.
package urpc
