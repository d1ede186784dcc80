package dist

import "math/bits"

// Delete removes the coordinator's copy. If the coordinator owned the
// object, ownership moves to the lowest core that still holds a copy (each
// vote says whether its core holds one); if none does, the object has no
// owner left and its descendants stay, as after a local delete.
//
//	coordinator                      every core
//	Prepare(op) ───────────────────▶ lock; vote yes, saying whether it
//	            ◀─────────────────── holds a copy
//	all yes: Commit(owner) ────────▶ the coordinator drops its copy; all
//	                                 adopt the owner
//	any no:  Abort  ───────────────▶ release

// ownerAfterDelete picks the owner once this core's copy is gone.
func (m *Monitor[L]) ownerAfterDelete(copies uint64) uint8 {
	if m.owner != m.core {
		return m.owner
	}
	others := copies &^ (1 << m.core)
	if others == 0 {
		return NoOwner
	}
	return uint8(bits.TrailingZeros64(others))
}

// commitDelete drops the coordinator's copy.
func (m *Monitor[L]) commitDelete(op Op) {
	if op.ID.Core == m.core {
		m.local = m.local.Deleted()
	}
}
