package dist

// The participant's side of every operation: prepare, then commit or abort.

// prepare locks and checks op, queues it, or refuses it (wait-die).
func (m *Monitor[L]) prepare(op Op) []Msg {
	switch {
	case m.held.ID.IsZero():
		return []Msg{m.acquire(op)}
	case (op.ID.Older(m.held.ID) || testMutation == mutAlwaysWait) && m.enqueue(op):
		return nil // its vote comes when the lock is released
	default:
		return []Msg{m.voteFor(op, Busy)}
	}
}

// check runs the local checks of op with the lock held.
func (m *Monitor[L]) check(op Op) Reason {
	if op.ID.Core == m.core && !m.local.HasCopy() {
		return NoCopy // every operation acts on the coordinator's copy
	}
	if op.Kind == Retype {
		return m.checkRetype(op)
	}
	return OK
}

// commit applies op, which holds the lock (validate checked it), adopts
// the decided owner and holders and releases the lock.
func (m *Monitor[L]) commit(op Op, owner uint8, holders uint64) []Msg {
	switch op.Kind {
	case Retype:
		m.commitRetype(op)
	case Revoke:
		m.commitRevoke(op)
	case Delete:
		m.commitDelete(op)
	}
	m.owner = owner
	m.local = m.local.Adopted(owner, holders)
	return m.release()
}

// abort releases the lock if op holds it. A participant that voted no
// holds nothing for op.
func (m *Monitor[L]) abort(id OpID) []Msg {
	if m.held.ID != id {
		return nil
	}
	return m.release()
}
