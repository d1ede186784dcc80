package dist

// OpID names one distributed operation and orders operations by age.
// Stamps start at 1 and should grow with time (a Lamport clock of the
// starting monitor); the zero OpID names no operation.
type OpID struct {
	Stamp uint32
	Core  uint8 // the coordinating core; it breaks ties between equal stamps
}

// Older reports whether a started before b: a smaller stamp, or the same
// stamp and a smaller core.
func (a OpID) Older(b OpID) bool {
	return a.Stamp < b.Stamp || a.Stamp == b.Stamp && a.Core < b.Core
}

// IsZero reports whether a names no operation.
func (a OpID) IsZero() bool { return a == OpID{} }

// Kind is what a distributed operation does to the shared capability.
type Kind uint8

// The operations.
const (
	Retype Kind = iota + 1 // make a descendant of part of the range at the coordinator
	Revoke                 // remove every other copy and every descendant on every core
	Delete                 // remove the coordinator's copy; ownership moves if it was the owner's
)

// String returns the operation's name.
func (k Kind) String() string {
	switch k {
	case Retype:
		return "retype"
	case Revoke:
		return "revoke"
	case Delete:
		return "delete"
	}
	return "Kind(?)"
}

// Range is a part of the shared capability's range.
type Range struct {
	Base, Size uint64
}

// Overlaps reports whether r and o share an element.
func (r Range) Overlaps(o Range) bool {
	return r.Base < o.Base+o.Size && o.Base < r.Base+r.Size
}

// Op is one distributed operation on the shared capability.
type Op struct {
	ID    OpID
	Kind  Kind
	Range Range // Retype only: the memory the new objects take
}

// Reason is a participant's vote, and why an operation was aborted.
type Reason uint8

// The votes.
const (
	OK       Reason = iota // yes
	Busy                   // the lock is held by an older operation (wait-die)
	Conflict               // a local descendant overlaps the range
	NoCopy                 // the coordinator no longer holds a copy
	NoSlot                 // the coordinator runs too many operations already
)

// String returns the vote's name.
func (r Reason) String() string {
	if r > NoSlot {
		return "Reason(?)"
	}
	return [...]string{"ok", "busy", "conflict", "no copy", "no slot"}[r]
}

// Result is how an operation ended, reported by its coordinator.
type Result struct {
	Op        Op
	Committed bool
	Reason    Reason // why it aborted; OK when committed
}
