package dist

// Revoke removes every copy but the coordinator's and every descendant, on
// every core.
//
//	coordinator                      every core
//	Prepare(op) ───────────────────▶ lock (mark: no retype, delete or
//	            ◀─────────────────── revoke may start under it); vote yes
//	all yes: Commit ───────────────▶ delete local descendants and, but at
//	                                 the coordinator, the local copy; the
//	                                 coordinator becomes the owner
//	any no:  Abort  ───────────────▶ release

// commitRevoke removes the local descendants and the copy, unless this is
// the revoking core.
func (m *Monitor[L]) commitRevoke(op Op) {
	m.local = m.local.Revoked(op.ID.Core == m.core)
}
