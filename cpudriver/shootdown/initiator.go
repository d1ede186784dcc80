package shootdown

import (
	"errors"
	"fmt"
	"multikernel/cpudriver/trace"
)

// ErrBusy is returned by Start while the initiator's last shootdown is
// not done: an initiator runs one at a time (queue the next ranges in a
// Batch meanwhile).
var ErrBusy = errors.New("shootdown: a shootdown of this initiator is under way")

// Initiator is the state machine of the core that changed a page table
// and shoots down the translations it replaced. Its zero value is not
// ready: use NewInitiator.
type Initiator struct {
	self    uint8
	cur     Op
	plan    *Plan
	running bool
	acked   CoreSet // the root's children that acked
	count   int     // acks taken
}

// NewInitiator returns the initiator state of core self. gen is the
// generation of its operation numbers: a core whose shootdown state is
// made anew (a restarted CPU driver, a new address space sharing old
// channels) takes a larger one, so that participants do not take its new
// operations for stale ones.
func NewInitiator(self int, gen uint32) Initiator {
	return Initiator{self: uint8(self), cur: Op{Initiator: uint8(self), Gen: gen}}
}

// Start begins the shootdown of f along plan, whose initiator must be
// this core, and appends its effects to dst: the local invalidation when
// the initiator is a target, then the requests in the plan's order. It
// returns the operation's name. With no other target the shootdown is
// done at once.
func (in *Initiator) Start(dst []Effect, plan *Plan, f Flush) ([]Effect, Op, error) {
	switch {
	case in.running:
		return dst, Op{}, ErrBusy
	case plan.Initiator != int(in.self):
		return dst, Op{}, fmt.Errorf("shootdown: a plan of core %d started on core %d", plan.Initiator, in.self)
	}
	if err := f.Check(); err != nil {
		return dst, Op{}, err
	}
	in.cur.ID++
	in.plan, in.acked, in.count = plan, 0, 0
	ranges := uint32(f.N)
	if f.Full {
		ranges = 0
	}
	trace.Add(trace.Shootdown, uint16(plan.Targets.Without(int(in.self)).Len()), ranges)
	if plan.Targets.Has(int(in.self)) {
		dst = append(dst, invalidateEffect(f))
	}
	kids := plan.Tree.Children(int(in.self))
	if testMutation == mutSkipTarget && len(kids) > 0 {
		kids = kids[:len(kids)-1]
		in.count = 1
	}
	for _, k := range kids {
		m := Msg{Kind: Request, Proto: plan.Protocol, Op: in.cur, From: in.self, Sub: plan.Tree.Subtree(k), Flush: f}
		if plan.Shared() { // one line for all: every reader a leaf
			m.Sub = plan.Targets.Without(int(in.self))
		}
		e := sendEffect(k, m)
		e.Shared = plan.Shared()
		dst = append(dst, e)
	}
	in.running = len(plan.Tree.Children(int(in.self))) > in.count
	return dst, in.cur, nil
}

// OnAck consumes an ack for this core's shootdown. An ack it does not
// expect (a duplicate, one of an earlier shootdown, one not from a core
// it sent to or not for the cores it asked) is ignored.
func (in *Initiator) OnAck(m *Msg) {
	if !in.running || m.Kind != Ack {
		return
	}
	from := int(m.From)
	if m.Op != in.cur && testMutation != mutAnyOp {
		return
	}
	p, ok := in.plan.Tree.Parent(from)
	if !ok || p != int(in.self) || m.Sub != in.plan.Tree.Subtree(from) {
		return
	}
	if in.acked.Has(from) && testMutation != mutCountAcks {
		return
	}
	in.acked = in.acked.With(from)
	in.count++
	if in.count >= len(in.plan.Tree.Children(int(in.self))) {
		in.running = false
	}
}

// Done reports whether the last shootdown started is done: every target
// acked (and so invalidated, as did the initiator when it is a target).
func (in *Initiator) Done() bool { return !in.running }

// Current returns the name of the last shootdown started.
func (in *Initiator) Current() Op { return in.cur }
