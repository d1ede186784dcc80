package dist

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
	core  uint8 // immutable: this core
	cores uint8 // immutable: the number of cores taking part
	local L     // this core's copy and descendants
	owner uint8 // the core that owns the object, as this core knows it

	// held is the operation holding this core's lock (zero ID: free);
	// waiting are older operations queued for it, oldest first.
	held    Op
	waiting [maxWaiting]Op

	coord [maxCoord]coordinator // operations this core coordinates; zero ID: free slot
}

// New returns the monitor state of core out of cores, with the given local
// state and owner.
func New[L Local[L]](core, cores, owner uint8, local L) Monitor[L] {
	return Monitor[L]{core: core, cores: cores, local: local, owner: owner}
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
// operation this core coordinates ended, its result.
func (m *Monitor[L]) Handle(in Msg) ([]Msg, *Result) {
	if in.To != m.core {
		panic("dist: message for another core")
	}
	switch in.Kind {
	case Prepare:
		return m.prepare(in.Op), nil
	case Vote:
		return m.vote(in)
	case Commit:
		return m.commit(in.Op, in.Owner), nil
	case Abort:
		return m.abort(in.Op.ID), nil
	}
	panic("dist: unknown message kind")
}
