package dist

// The participant's lock, with wait-die queueing (see the package doc).

// acquire takes the free lock for op and checks op against the local
// state. On a refusal the lock is released again at once. It returns the
// vote.
func (m *Monitor[L]) acquire(op Op) Msg {
	m.held = op
	r := m.check(op)
	if r != OK || testMutation == mutReleaseOnYes {
		m.held = Op{}
	}
	return m.voteFor(op, r)
}

// enqueue queues op, older than the holder, in age order. It reports
// false when the queue is full.
func (m *Monitor[L]) enqueue(op Op) bool {
	if !m.waiting[maxWaiting-1].ID.IsZero() {
		return false
	}
	i := 0
	for !m.waiting[i].ID.IsZero() && m.waiting[i].ID.Older(op.ID) {
		i++
	}
	copy(m.waiting[i+1:], m.waiting[i:maxWaiting-1])
	m.waiting[i] = op
	return true
}

// release frees the lock and hands it to the oldest waiter. The other
// waiters are younger than the new holder and die; if the oldest is
// refused by its check, the next one tries.
func (m *Monitor[L]) release() []Msg {
	m.held = Op{}
	queued := m.waiting
	m.waiting = [maxWaiting]Op{}
	var out []Msg
	for _, op := range queued {
		switch {
		case op.ID.IsZero():
			return out
		case m.held.ID.IsZero():
			out = append(out, m.acquire(op))
		default:
			out = append(out, m.voteFor(op, Busy))
		}
	}
	return out
}

func (m *Monitor[L]) voteFor(op Op, r Reason) Msg {
	has := m.local.HasCopy()
	if op.Kind == Delete && op.ID.Core == m.core {
		has = m.local.OtherCopy() && testMutation != mutForgetOther // the coordinator's own copy goes
	}
	return Msg{Kind: Vote, From: m.core, To: op.ID.Core, Op: Op{ID: op.ID}, Vote: r, HasCopy: has}
}
