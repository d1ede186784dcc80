package kmesh

import (
	"fmt"
	"sync"
	"time"

	"multikernel/urpc"
)

// Ping and Pong, the mesh's first message pair.
//
//	ping: word 0 sequence, word 1 the sender's TSC, word 2 how the
//	      receiver's receive goroutine waits (int64 ns: > 0 poll that long,
//	      at most maxPingPoll, before sleeping, until it next finds
//	      nothing for that long and sleeps; < 0 stop polling at once;
//	      0 leave it)
//	pong: word 0 and word 1 of the ping, echoed
//
// The TSC is only ever compared with the same core's TSC (the pong's
// receiver subtracts it from its own), so cores' counters need not agree.
const (
	pingSize = 3 * 8
	pongSize = 2 * 8
)

// maxPingPoll bounds the poll time a ping may ask for. A request ends at
// the receive goroutine's next sleep, so a peer can make it spin (keeping
// the core's only P from its threads) only while it keeps sending within
// the poll time. No clock is read for it: under emulation a reading costs
// as much as the hop.
const maxPingPoll = time.Millisecond

// ping is a decoded ping.
type ping struct {
	seq, tsc uint64
	poll     time.Duration
}

func (p ping) encode() (b [pingSize]byte) {
	putWords(b[:], p.seq, p.tsc, uint64(p.poll))
	return b
}

// encodePong encodes a pong.
func encodePong(seq, tsc uint64) (b [pongSize]byte) {
	putWords(b[:], seq, tsc)
	return b
}

// decodePing decodes and checks a ping's payload.
func decodePing(b []byte) (ping, error) {
	var w [3]uint64
	getWords(b, w[:])
	p := ping{seq: w[0], tsc: w[1], poll: time.Duration(int64(w[2]))}
	if p.poll > maxPingPoll || p.poll < -maxPingPoll {
		return p, fmt.Errorf("poll time %v out of range", p.poll)
	}
	return p, nil
}

// decodePong decodes a pong: sequence and TSC.
func decodePong(b []byte) (seq, tsc uint64) {
	var w [2]uint64
	getWords(b, w[:])
	return w[0], w[1]
}

// onPing answers a ping, after recording the poll time it asks for (the
// receive goroutine's own state: onPing runs on it).
func (m *Mesh) onPing(from int, msg urpc.Message) error {
	p, err := decodePing(msg.Data)
	if err != nil {
		return err
	}
	switch {
	case p.poll > 0:
		m.asked, m.slept = p.poll, false // a sleep before this ping does not end it
	case p.poll < 0:
		m.asked = 0
	}
	b := encodePong(p.seq, p.tsc)
	m.Send(from, Pong, b[:]) // a failure is counted by Send; the pinger times out
	return nil
}

// onPong hands a pong to the benchmark run or the Ping call it answers;
// a pong nobody waits for (one that came after its Ping gave up) is
// dropped.
func (m *Mesh) onPong(from int, msg urpc.Message) error {
	seq, tsc := decodePong(msg.Data)
	rtt := m.clock() - tsc
	if m.bench.pong(m, from, seq, rtt) {
		return nil
	}
	m.pings.answer(from, seq, rtt)
	return nil
}

// pings are the Ping calls waiting for their pong, by sequence number.
type pings struct {
	mu      sync.Mutex
	next    uint64
	waiting map[uint64]pingWait
}

// pingWait is one Ping call: the peer it pinged and where its round trip
// goes.
type pingWait struct {
	core int
	rtt  chan uint64
}

func (ps *pings) add(core int) (uint64, chan uint64) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.waiting == nil {
		ps.waiting = map[uint64]pingWait{}
	}
	ps.next++
	w := pingWait{core, make(chan uint64, 1)}
	ps.waiting[ps.next] = w
	return ps.next, w.rtt
}

func (ps *pings) remove(seq uint64) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	delete(ps.waiting, seq)
}

// answer delivers a pong from core to the call waiting for seq, if it
// was that core's.
func (ps *pings) answer(core int, seq, rtt uint64) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if w, ok := ps.waiting[seq]; ok && w.core == core {
		delete(ps.waiting, seq)
		w.rtt <- rtt
	}
}

// Ping sends a ping to core and waits at most timeout for its pong; it
// returns the round trip in TSC cycles. Not for the receive goroutine
// (its handlers must not block).
func (m *Mesh) Ping(core int, timeout time.Duration) (uint64, error) {
	seq, ch := m.pings.add(core)
	defer m.pings.remove(seq)
	b := ping{seq: seq, tsc: m.clock()}.encode()
	if err := m.Send(core, Ping, b[:]); err != nil {
		return 0, err
	}
	select {
	case rtt := <-ch:
		return rtt, nil
	case <-time.After(timeout):
		return 0, fmt.Errorf("kmesh: no pong from core %d in %v", core, timeout)
	}
}
