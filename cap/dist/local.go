package dist

// Local is one core's view of the shared capability: whether it holds a
// copy, and the descendants it holds. A monitor wraps its cap.DB in a
// Local; the explorer uses a small comparable value. Methods that change
// the state return the new state, so that value types work.
type Local[L any] interface {
	// HasCopy reports whether this core holds a copy of the capability.
	HasCopy() bool
	// Overlaps reports whether a local descendant overlaps r.
	Overlaps(r Range) bool
	// Retyped adds the descendant that op makes of r.
	Retyped(r Range, op OpID) L
	// Revoked removes every local descendant and every local copy but,
	// when keepCopy is set (at the revoking core), the revoker's own.
	Revoked(keepCopy bool) L
	// Deleted removes the copy that a delete this core coordinates names;
	// the core's other copies stay.
	Deleted() L
	// OtherCopy reports whether this core holds a copy besides the one a
	// delete it coordinates removes (two programs of one core may hold
	// copies). If so, the core stays among the holders and, if it owned
	// the object, its owner.
	OtherCopy() bool
	// Adopted records what a committed operation left: the owner, and
	// holders, the cores that hold a copy (bit c for core c).
	Adopted(owner uint8, holders uint64) L
}
