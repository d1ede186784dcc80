package shootdown

import "fmt"

// Participant is the state machine of a target core for the shootdowns
// of every other core: a leaf invalidates and acks; an aggregator (a
// request naming other cores besides itself) passes the request on to
// them, invalidates, and acks once they all acked. Its zero value is not
// ready: use NewParticipant.
type Participant struct {
	self  uint8
	topo  *Topology // orders an aggregator's sends; nil: by core number
	peers [MaxCores]peer
}

// peer is what a participant keeps of one initiator.
type peer struct {
	last   Op // the initiator's latest operation handled (zero: none)
	proto  Protocol
	space  uint16  // last's address space, echoed in the ack
	busy   bool    // aggregating last: waiting for the children's acks
	parent uint8   // where last's request came from
	sub    CoreSet // the cores last's request named
	want   CoreSet // the children yet to ack
}

// NewParticipant returns the participant state of core self; topo, if
// not nil, orders an aggregator's sends costliest first.
func NewParticipant(self int, topo *Topology) Participant {
	return Participant{self: uint8(self), topo: topo}
}

// OnRequest consumes a request and appends its effects to dst. A request
// not later than the last one handled of its initiator (a duplicate or a
// stale message) is ignored. A request that does not name this core, or
// that is malformed, is an error and has no effect.
func (p *Participant) OnRequest(dst []Effect, m *Msg) ([]Effect, error) {
	if err := p.check(m, Request); err != nil {
		return dst, err
	}
	st := &p.peers[m.Op.Initiator]
	if !m.Op.after(st.last) && testMutation != mutNoDedup {
		return dst, nil
	}
	self := int(p.self)
	kids, sub := m.Sub.Without(self), m.Sub
	if m.Proto == Broadcast { // the line names every reader, each a leaf
		kids, sub = 0, SetOf(self)
	}
	*st = peer{last: m.Op, proto: m.Proto, space: m.Space, parent: m.From, sub: sub, want: kids, busy: kids != 0}
	if kids == 0 {
		if testMutation == mutAckFirst {
			return append(dst, p.ack(st), invalidateEffect(m.Flush)), nil
		}
		return append(dst, invalidateEffect(m.Flush), p.ack(st)), nil
	}
	order := kids.Cores()
	byCostDesc(p.topo, self, order)
	fwd := *m
	fwd.From = p.self
	for _, k := range order {
		fwd.Sub = SetOf(k)
		dst = append(dst, sendEffect(k, fwd))
	}
	dst = append(dst, invalidateEffect(m.Flush))
	if testMutation == mutAckEarly {
		st.busy = false
		dst = append(dst, p.ack(st))
	}
	return dst, nil
}

// OnAck consumes an ack from a core this one passed a request on to, and
// appends the ack to its own parent when it was the last awaited. An ack
// it does not expect is ignored.
func (p *Participant) OnAck(dst []Effect, m *Msg) ([]Effect, error) {
	if err := p.check(m, Ack); err != nil {
		return dst, err
	}
	st := &p.peers[m.Op.Initiator]
	from := int(m.From)
	if !st.busy || m.Op != st.last || !st.want.Has(from) || m.Sub != SetOf(from) {
		return dst, nil
	}
	st.want = st.want.Without(from)
	if st.want != 0 {
		return dst, nil
	}
	st.busy = false
	return append(dst, p.ack(st)), nil
}

// ack returns the ack of st's operation to its parent.
func (p *Participant) ack(st *peer) Effect {
	return sendEffect(int(st.parent), Msg{Kind: Ack, Proto: st.proto, Op: st.last, From: p.self, Space: st.space, Sub: st.sub})
}

// check validates m as a message of kind k for this core.
func (p *Participant) check(m *Msg, k Kind) error {
	if err := m.Check(); err != nil {
		return err
	}
	if m.Kind != k || m.Op.Initiator == p.self || (k == Request) != m.Sub.Has(int(p.self)) {
		return fmt.Errorf("%w: %v is not for core %d", ErrMsg, m, p.self)
	}
	return nil
}
