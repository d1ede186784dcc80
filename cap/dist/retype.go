package dist

// Retype makes new objects of Op.Range at the coordinator.
//
//	coordinator                      every core (the coordinator too)
//	Prepare(op) ───────────────────▶ lock; no local descendant overlaps
//	                                 op.Range? vote yes (keep the lock)
//	            ◀─────────────────── or no (release it)
//	all yes: Commit ───────────────▶ the coordinator adds the descendant;
//	any no:  Abort  ───────────────▶ everyone releases the lock

// checkRetype refuses a retype whose range overlaps a local descendant.
func (m *Monitor[L]) checkRetype(op Op) Reason {
	if m.local.Overlaps(op.Range) && testMutation != mutSkipOverlap {
		return Conflict
	}
	return OK
}

// commitRetype adds the new descendant; only the coordinator holds it.
func (m *Monitor[L]) commitRetype(op Op) {
	if op.ID.Core == m.core {
		m.local = m.local.Retyped(op.Range, op.ID)
	}
}
