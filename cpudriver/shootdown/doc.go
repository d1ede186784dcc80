// Package shootdown is the TLB shootdown of programs that span cores: when
// one core changes a page-table entry that other cores may cache, it tells
// exactly those cores, through URPC messages (urpc/doc.go: one 64-byte
// slot, 56 bytes of payload), to drop the translations, and waits until
// they all said they did. The protocols are those of Baumann et al., "The
// Multikernel", SOSP 2009, §5. The design, the message counts on the
// target machine and the model check's figures are in docs/shootdown.md.
//
// The package is pure: no I/O, no clock, nothing of ring 0. It plans the
// messages and runs deterministic state machines whose effects (send this
// message, invalidate this range here) the caller carries out, so the
// host tests drive it directly and an explorer checks every interleaving.
//
// # Protocols
//
// A shootdown has an initiator (the core that changed the entry) and
// targets (the cores that may cache the mapping; the initiator may be
// one, and then invalidates locally, without a message). Requests travel
// down a tree rooted at the initiator, and acks back up it:
//
//   - Unicast: one request from the initiator to each target.
//   - Broadcast: one line, written once by the initiator, that every
//     target reads (the requests are marked Shared and are the same
//     message: the transport writes one line); each target acks on its
//     own channel. Every read from
//     another node moves the line across, and Counts counts it so.
//   - Multicast: one request per node to an aggregator there (the lowest
//     numbered target of the node), nodes in ascending order; the
//     aggregator passes it on to the node's other targets and acks once
//     they all acked. The initiator's own node's targets get theirs from
//     the initiator.
//   - NUMAMulticast: multicast along the SKB's NUMA-aware tree
//     (skb/programs/multicast.pl; NUMATree computes the same from the
//     distances, TreeFromEdges and TreeFromParents take the SKB's
//     answer): each node's aggregator is its target cheapest to reach,
//     and every core sends costliest first.
//
// NewPlan gives a protocol's Plan: the requests in send order, the acks,
// the invalidating cores; Plan.Count its messages and cross-node
// messages; Plan.Latency a model of its completion time.
//
// # State machines and ordering rules
//
// Each core keeps a Core: an Initiator for its own shootdowns and a
// Participant for everyone else's. Initiator.Start(plan, flush) returns
// the local invalidation (when the initiator is a target) and the
// requests; Core.Handle consumes a request or an ack. A request names the
// cores its receiver answers for (its subtree, itself included): a leaf
// (itself alone) invalidates and acks; an aggregator passes the request
// on to each other core of its subtree, costliest first, invalidates, and
// acks once all of them acked. Trees are therefore at most two levels
// deep below the initiator, as the SKB's are. The effects of one call are
// carried out in order, all of them before the next message is handed
// over, and they keep two rules:
//
//   - a target invalidates before it acks;
//   - an aggregator acks only after all its children acked, so an ack
//     from a core stands for its whole subtree.
//
// Initiator.Done is true once every child of the initiator acked, and so
// every target invalidated. An initiator runs one shootdown at a time
// (Start returns ErrBusy otherwise): what is unmapped meanwhile waits in
// a Batch, which coalesces it (overlapping and adjacent ranges merge, more
// than MaxRanges disjoint ranges become a full flush), so that a range
// costs one shootdown, not one per page.
//
// Every message names its operation, an Op: the initiator, a generation
// (larger when the initiator's shootdown state is made anew) and a number
// the initiator increases with every shootdown. Since an initiator runs
// one at a time, a participant ignores a request not later than the last
// it handled of that initiator (a duplicate, or a stale message), and an
// initiator or aggregator ignores an ack of another operation, from a
// core it did not send to, for other cores than it asked, or a second
// time. Participants keep their state per initiator, so the shootdowns
// of different initiators run at once without confusing each other.
//
// # Wire format
//
// Encode and Decode map a Msg to the 56 bytes of a slot, little endian:
//
//	byte  0       kind: 1 request, 2 ack
//	byte  1       protocol: 0 unicast, 1 broadcast, 2 multicast, 3 NUMA-aware multicast
//	byte  2       initiator core (0-63)
//	byte  3       sending core (0-63)
//	byte  4       flags: bit 0 full flush (the whole user half); bits 1-7 zero
//	byte  5       ranges (request: 1-3, or 0 with a full flush; ack: 0)
//	bytes 6-7     address space: its number on the initiator, which the
//	              receiver uses to find its tables (the protocol ignores it)
//	bytes 8-15    operation number (non-zero)
//	bytes 16-19   generation
//	bytes 20-27   subtree (bit c: core c): request, the cores its receiver
//	              answers for (broadcast: every target, each reading the
//	              one line as a leaf); ack, the cores its sender answers for
//	bytes 28-54   three ranges of 9 bytes: bits 0-35 first page number
//	              (address / 4096), bits 36-71 page number of the end
//	              (exclusive); unused ranges zero
//	byte  55      zero
//
// Decode accepts only what Encode writes from a message Msg.Check
// accepts: an unknown kind or protocol, a core out of range, a reserved
// bit or byte set, a range that is empty, ends before it starts or
// reaches beyond the user half (a non-canonical or kernel-half address;
// page numbers of 36 bits can say so), ranges out of order, overlapping
// or adjacent, an ack with a range, a unicast or broadcast request not
// from its initiator, a unicast one for more than one core: all are errors
// wrapping ErrMsg, never a panic (FuzzDecode). Whether the receiver
// expects the message is Core.Handle's to decide (an error for a request
// that does not name it; silence for a stale one).
//
// # What the spanning work must supply
//
//   - The target set: the cores that may cache the mapping, that is every
//     core that has run a thread of the address space since its TLB was
//     last flushed of it (a core that switched away and flushed need not
//     be asked).
//   - The topology (each core's node and the distances) and, for
//     NUMAMulticast, the SKB's tree if its measured costs are to be used;
//     plans depend only on the initiator and the target set, so they can
//     be cached per set.
//   - The channels: a CPU-driver-to-CPU-driver URPC channel for every
//     edge a plan uses (one line for a broadcast), carrying Encode's
//     bytes; the receiver decodes, hands the Msg to its Core, and carries
//     out the effects: Invalidate with INVLPG per page, or a CR3 reload
//     for a full flush or a long range.
//   - The IPI after a send to a core that may be asleep or running ring
//     3 (urpc's rx-waiting, or always for a core running the program's
//     threads, which do not poll), and the wait: the unmapping thread
//     blocks until Initiator.Done.
//   - A generation per core that grows when its shootdown state is made
//     anew.
package shootdown
