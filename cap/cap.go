package cap

import "fmt"

// ID names a capability in one DB. IDs are never reused by a DB; 0 is no
// capability.
type ID uint64

// Core is the index of a core (the arrival order at boot, not the APIC id).
type Core uint16

// Relations records which relatives of a capability exist on other cores.
// The monitors maintain it; the DB only reads it.
type Relations uint8

// The remote relations.
const (
	RemoteCopies      Relations = 1 << iota // copies of the capability exist on another core
	RemoteDescendants                       // descendants exist on another core
	RemoteAncestors                         // ancestors exist on another core
)

// Cap is the content of a capability. It is a value: the DB hands out
// copies of it, never references into its own state.
type Cap struct {
	Type   Type
	Base   uint64 // first byte, vector or port of the range; 0 for SpaceNone
	Size   uint64 // length of the range; 0 for SpaceNone
	Rights Rights
	Owner  Core      // the core that owns the object the capability names
	Remote Relations // relatives on other cores, as far as this core knows
}

// End returns the end (exclusive) of the capability's range.
func (c Cap) End() uint64 { return c.Base + c.Size }

// Space returns the resource space of the capability's type.
func (c Cap) Space() Space { return typeTable[c.Type].Space }

// String formats the capability for people.
func (c Cap) String() string {
	if c.Space() == SpaceNone {
		return fmt.Sprintf("%v[%v core %d]", c.Type, c.Rights, c.Owner)
	}
	return fmt.Sprintf("%v[%#x+%#x %v core %d]", c.Type, c.Base, c.Size, c.Rights, c.Owner)
}

// IsCopy reports whether a and b are copies of each other: they name the
// same object. Rights, owner and remote relations do not matter.
func IsCopy(a, b Cap) bool {
	return a.Type == b.Type && a.Base == b.Base && a.Size == b.Size
}

// IsDescendant reports whether d descends from a: a's range contains d's,
// and d's type lies below a's, or both have the same type and d's range is
// strictly smaller.
func IsDescendant(d, a Cap) bool {
	if a.Space() != d.Space() || a.Space() == SpaceNone {
		return false
	}
	if d.Base < a.Base || d.End() > a.End() {
		return false
	}
	if d.Type == a.Type {
		return d.Size < a.Size
	}
	return Below(a.Type, d.Type)
}

// Overlaps reports whether the ranges of a and b share a byte, vector or
// port. Capabilities without a range overlap nothing.
func Overlaps(a, b Cap) bool {
	if a.Space() != b.Space() || a.Space() == SpaceNone {
		return false
	}
	return a.Base < b.End() && b.Base < a.End()
}
