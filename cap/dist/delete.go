package dist

import "math/bits"

// Delete removes the coordinator's copy. If the coordinator owned the
// object, ownership stays with it if it holds another copy, else moves to
// the lowest core that holds one (each vote says whether its core holds
// one; the coordinator's, whether it holds another); if none does, the
// object has no owner left and its descendants stay, as after a local
// delete. The commit says who holds copies from now on.
//
//	coordinator                      every core
//	Prepare(op) ───────────────────▶ lock; vote yes, saying whether it
//	            ◀─────────────────── holds a copy
//	all yes: Commit(owner, ────────▶ the coordinator drops its copy; all
//	         holders)                adopt the owner and holders
//	any no:  Abort  ───────────────▶ release

// ownerAfterDelete picks the owner once this core's copy is gone.
func (m *Monitor[L]) ownerAfterDelete(copies uint64) uint8 {
	if m.owner != m.core {
		return m.owner
	}
	if copies == 0 {
		return NoOwner
	}
	if copies&(1<<m.core) != 0 && testMutation != mutOwnerMoves {
		return m.core // it keeps another copy
	}
	return uint8(bits.TrailingZeros64(copies))
}

// commitDelete drops the coordinator's copy.
func (m *Monitor[L]) commitDelete(op Op) {
	if op.ID.Core == m.core {
		m.local = m.local.Deleted()
	}
}
