package dist

import "fmt"

// Capacities of a Monitor. Their fixed sizes keep a Monitor a comparable
// value that the explorer can copy and hash.
const (
	maxCoord   = 4 // operations one core coordinates at once
	maxWaiting = 4 // older operations waiting for this core's lock
)

// Monitor is one core's state machine for the distributed operations on
// one shared capability. Owned by that core's monitor; not safe for
// concurrent use.
type Monitor[L Local[L]] struct {
	core    uint8  // immutable: this core
	members uint64 // immutable: the cores taking part, bit c for core c (at most 64)
	local   L      // this core's copy and descendants
	owner   uint8  // the core that owns the object, as this core knows it

	// held is the operation holding this core's lock (zero ID: free);
	// waiting are older operations queued for it, oldest first.
	held    Op
	waiting [maxWaiting]Op

	coord [maxCoord]coordinator // operations this core coordinates; zero ID: free slot
}

// New returns the monitor state of core, one of members (bit c for core
// c; core itself included), with the given local state and owner.
func New[L Local[L]](core uint8, members uint64, owner uint8, local L) Monitor[L] {
	return Monitor[L]{core: core, members: members, local: local, owner: owner}
}

// Members returns the cores taking part (bit c for core c).
func (m *Monitor[L]) Members() uint64 { return m.members }

// FirstCores is the members mask of cores 0 to n-1.
func FirstCores(n int) uint64 {
	if n >= 64 {
		return ^uint64(0)
	}
	return 1<<n - 1
}

// Core returns the monitor's core.
func (m *Monitor[L]) Core() uint8 { return m.core }

// Local returns the core's local state.
func (m *Monitor[L]) Local() L { return m.local }

// Owner returns the owner of the object, as this core knows it.
func (m *Monitor[L]) Owner() uint8 { return m.owner }

// Idle reports whether the monitor holds no lock, queues no operation and
// coordinates none.
func (m *Monitor[L]) Idle() bool {
	return m.held.ID.IsZero() && m.waiting[0].ID.IsZero() && m.coord == [maxCoord]coordinator{}
}

// Handle consumes one message and returns the messages to send and, if an
// operation this core coordinates ended, its result. A message that breaks
// the protocol (from a buggy or hostile peer: another core's message, an
// unknown kind or operation, a sender outside the cores taking part, a vote
// for an operation this core does not coordinate, a commit of one that does
// not hold the lock) changes nothing and gives a *BadMessage error.
func (m *Monitor[L]) Handle(in Msg) ([]Msg, *Result, error) {
	if err := m.validate(in); err != nil {
		return nil, nil, err
	}
	switch in.Kind {
	case Prepare:
		return m.prepare(in.Op), nil, nil
	case Vote:
		out, res := m.vote(in)
		return out, res, nil
	case Commit:
		return m.commit(in.Op, in.Owner, in.Holders), nil, nil
	default: // Abort
		return m.abort(in.Op.ID), nil, nil
	}
}

// BadMessage is the error of a message that breaks the protocol.
type BadMessage struct {
	Msg    Msg
	Reason string
}

func (e *BadMessage) Error() string {
	return fmt.Sprintf("dist: %s: kind %d from core %d to %d, operation %d.%d", e.Reason, e.Msg.Kind, e.Msg.From, e.Msg.To, e.Msg.Op.ID.Stamp, e.Msg.Op.ID.Core)
}

// validate checks in against the protocol and this core's state.
func (m *Monitor[L]) validate(in Msg) error {
	reason := ""
	switch {
	case in.To != m.core:
		reason = "message for another core"
	case in.From >= 64 || m.members&(1<<in.From) == 0:
		reason = "sender outside the cores taking part"
	case in.Kind < Prepare || in.Kind > Abort:
		reason = "unknown message kind"
	case in.Kind == Vote && (in.Op.ID.Core != m.core || m.findCoord(in.Op.ID) < 0):
		reason = "vote for an operation this core does not coordinate"
	case in.Kind != Vote && in.Op.ID.Core != in.From:
		reason = "operation sent by a core that does not coordinate it"
	case (in.Kind == Prepare || in.Kind == Commit) && (in.Op.Kind < Retype || in.Op.Kind > Delete):
		reason = "unknown operation"
	case in.Kind == Commit && m.held.ID != in.Op.ID:
		reason = "commit of an operation that does not hold the lock"
	default:
		return nil
	}
	return &BadMessage{Msg: in, Reason: reason}
}
