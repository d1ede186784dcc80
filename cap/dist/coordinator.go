package dist

import "math/bits"

// The coordinator's side of every operation: send Prepare, collect the
// votes, decide, send Commit or Abort.

// coordinator is the state of one operation this core coordinates.
type coordinator struct {
	op      Op
	voted   uint64 // cores whose vote arrived
	refusal Reason // the first no vote; OK while all said yes
	copies  uint64 // cores that hold a copy, as they voted
}

// Start begins op, which this core coordinates: it returns the Prepare
// messages for every core, or a result at once if the monitor runs too
// many operations.
func (m *Monitor[L]) Start(op Op) ([]Msg, *Result) {
	if op.ID.Core != m.core || op.ID.IsZero() {
		panic("dist: operation started on a core that does not coordinate it")
	}
	slot := m.findCoord(OpID{})
	if slot < 0 {
		return nil, &Result{Op: op, Reason: NoSlot}
	}
	m.coord[slot] = coordinator{op: op}
	return m.broadcast(Msg{Kind: Prepare, Op: op}), nil
}

// vote records one participant's vote and decides once all are in.
func (m *Monitor[L]) vote(in Msg) ([]Msg, *Result) {
	slot := m.findCoord(in.Op.ID) // validate made sure there is one
	c := &m.coord[slot]
	c.voted |= 1 << in.From
	if in.Vote != OK && c.refusal == OK {
		c.refusal = in.Vote
	}
	if in.HasCopy {
		c.copies |= 1 << in.From
	}
	if c.voted != m.members {
		return nil, nil
	}
	return m.decide(slot)
}

// decide ends the operation in slot: commit when every core voted yes.
func (m *Monitor[L]) decide(slot int) ([]Msg, *Result) {
	c := m.coord[slot]
	m.coord[slot] = coordinator{}
	if testMutation == mutAlwaysAbort && c.refusal == OK {
		c.refusal = Conflict
	}
	if c.refusal != OK {
		return m.broadcast(Msg{Kind: Abort, Op: Op{ID: c.op.ID}}), &Result{Op: c.op, Reason: c.refusal}
	}
	owner, holders := m.owner, c.copies
	switch c.op.Kind {
	case Revoke:
		owner, holders = m.core, 1<<m.core // the revoker's copy is the only one left
	case Delete:
		owner = m.ownerAfterDelete(c.copies) // this core's bit: it keeps another copy
	}
	return m.broadcast(Msg{Kind: Commit, Op: c.op, Owner: owner, Holders: holders}), &Result{Op: c.op, Committed: true}
}

func (m *Monitor[L]) findCoord(id OpID) int {
	for i := range m.coord {
		if m.coord[i].op.ID == id {
			return i
		}
	}
	return -1
}

// broadcast addresses a copy of msg from this core to every member.
func (m *Monitor[L]) broadcast(msg Msg) []Msg {
	out := make([]Msg, 0, bits.OnesCount64(m.members))
	for c := uint8(0); c < 64; c++ {
		if m.members&(1<<c) != 0 {
			msg.From, msg.To = m.core, c
			out = append(out, msg)
		}
	}
	return out
}
