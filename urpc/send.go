package urpc

import "sync/atomic"

// sender is the state of the ring this party writes. Owned by the sending
// goroutine.
type sender struct {
	ring    []slot
	pos     int    // index of the next slot to write
	epoch   uint64 // epoch bit of the current pass over the ring
	seq     uint64 // slots published
	acked   uint64 // the peer's ack word as last read; acked <= seq
	limit   uint64 // acked + len(ring): seq may reach it; 0 once err is set
	oneMax  int    // the longest message that fits one slot and MaxMessage
	pending bool   // slots published since the last Flush
	pace    pacer  // adaptive poll limit of waitCredit
	err     error  // sticky: the peer's ack word was impossible
}

func (t *sender) init(ring []slot, maxMessage int) {
	t.ring = ring
	t.epoch = 1
	t.limit = uint64(len(ring))
	t.oneMax = min(PayloadSize, maxMessage)
}

// credit returns the free slots according to the cached ack.
func (t *sender) credit() int {
	return len(t.ring) - int(t.seq-t.acked)
}

// refresh reloads the peer's ack word and returns the credit. An ack that
// moves backwards or past what was sent breaks the ring.
func (t *sender) refresh(peer *control) int {
	if t.err != nil {
		return 0
	}
	a := atomic.LoadUint64(&peer.ack)
	if a < t.acked || a > t.seq {
		t.err = malformed(t.seq, a, "ack word outside the range of sent slots")
		t.limit = 0 // Send's fast path sees no credit and takes the slow one
		return 0
	}
	t.acked = a
	t.limit = a + uint64(len(t.ring))
	return t.credit()
}

// put writes fragment frag of message (typ, data) into the next slot and
// publishes it. The caller has checked the credit.
func (t *sender) put(typ uint16, data []byte, frag int) {
	s := &t.ring[t.pos]
	off := frag * PayloadSize
	copy(s.payload()[:], data[off:min(off+PayloadSize, len(data))])
	arg := len(data)
	if frag > 0 {
		arg = frag
	}
	atomic.StoreUint64(&s[7], makeHeader(t.epoch, frag > 0, typ, arg, t.seq))
	t.advance()
	t.pending = true
}

// oneHeader returns the word 7 of the next slot for message (typ, data),
// which fits one slot: makeHeader for a first slot, from state the sender
// keeps anyway.
func (t *sender) oneHeader(typ uint16, data []byte) uint64 {
	return t.epoch | uint64(typ)<<typeShift | uint64(len(data))<<argShift | t.seq<<seqShift
}

// advance moves past the slot just published.
func (t *sender) advance() {
	t.seq++
	if t.pos++; t.pos == len(t.ring) {
		t.pos = 0
		t.epoch ^= epochBit
	}
}

// Send publishes a message and notifies the peer if it sleeps. It waits for
// credit (polling, then sleeping) as long as the ring is full.
//
// A message that fits one slot, sent with credit in hand and no error,
// takes the fast path: one bounds check, the copy, the header store and
// the load of the peer's rx-waiting word.
func (e *Endpoint) Send(typ uint16, data []byte) error {
	t := &e.tx
	if len(data) <= t.oneMax && t.seq < t.limit {
		// put for one slot, with nothing left to check, written out
		// here (and in Post) so that the fast path makes no call.
		s := &t.ring[t.pos]
		s.fill(data)
		atomic.StoreUint64(&s[7], t.oneHeader(typ, data))
		t.advance()
		t.pending = false // Posts before it are flushed with it
		if atomic.LoadUint64(&e.peer.rxWaiting) != 0 {
			e.cfg.Notifier.Notify(DataEvent)
		}
		return nil
	}
	err := e.post(typ, data)
	e.Flush()
	return err
}

// Post publishes a message like Send but does not notify the peer: a batch
// of Posts ends with one Flush. The receiver may see the message at once if
// it polls; if it sleeps, it sees it after the Flush. It has Send's fast
// path.
func (e *Endpoint) Post(typ uint16, data []byte) error {
	t := &e.tx
	if len(data) <= t.oneMax && t.seq < t.limit {
		s := &t.ring[t.pos]
		s.fill(data)
		atomic.StoreUint64(&s[7], t.oneHeader(typ, data))
		t.advance()
		t.pending = true
		return nil
	}
	return e.post(typ, data)
}

// post is Post's slow path: fragments, waits for credit, errors.
func (e *Endpoint) post(typ uint16, data []byte) error {
	n, err := e.fragments(data)
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if e.tx.credit() == 0 && e.tx.refresh(e.peer) == 0 {
			if err := e.waitCredit(); err != nil {
				return err
			}
		}
		e.tx.put(typ, data, i)
	}
	return nil
}

// TryPost is Post without waiting: it publishes the whole message or, with
// ErrWouldBlock, nothing. A message needing more slots than the ring has
// gives ErrTooLarge.
func (e *Endpoint) TryPost(typ uint16, data []byte) error {
	n, err := e.fragments(data)
	if err != nil {
		return err
	}
	if n > len(e.tx.ring) {
		return ErrTooLarge
	}
	if e.tx.credit() < n && e.tx.refresh(e.peer) < n {
		if e.tx.err != nil {
			return e.tx.err
		}
		return ErrWouldBlock
	}
	for i := 0; i < n; i++ {
		e.tx.put(typ, data, i)
	}
	return nil
}

// Flush notifies the peer if anything was published since the last Flush
// and the peer said it may be sleeping.
func (e *Endpoint) Flush() {
	if !e.tx.pending {
		return
	}
	e.tx.pending = false
	if atomic.LoadUint64(&e.peer.rxWaiting) != 0 {
		e.cfg.Notifier.Notify(DataEvent)
	}
}

// fragments checks a message for sending and returns its slot count.
func (e *Endpoint) fragments(data []byte) (int, error) {
	if e.tx.err != nil {
		return 0, e.tx.err
	}
	if len(data) > e.cfg.MaxMessage {
		return 0, ErrTooLarge
	}
	return slotsFor(len(data)), nil
}

// waitCredit waits until the ring has a free slot. It flushes first, since
// the peer may sleep until it hears of the slots already published.
func (e *Endpoint) waitCredit() error {
	e.Flush()
	ready := func() bool { return e.tx.refresh(e.peer) > 0 || e.tx.err != nil }
	for !e.tx.pace.poll(e.cfg.PollTime, ready) {
		e.tx.pace.sleep(e.cfg.PollTime, &e.own.txWaiting, e.cfg.Sleeper, CreditEvent, ready)
	}
	return e.tx.err
}
