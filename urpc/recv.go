package urpc

import (
	"sync/atomic"
	"unsafe"
)

// receiver is the state of the ring this party reads. Owned by the receiving
// goroutine.
type receiver struct {
	ring      []slot
	pos       int    // index of the next slot to read
	epoch     uint64 // epoch bit that marks the next slot full
	seq       uint64 // slots consumed
	published uint64 // the value last stored into the ack word
	ackEvery  uint64 // store the ack after this many slots
	ackDue    uint64 // published + ackEvery: the seq at which the ack is due
	max       int    // Config.MaxMessage
	oneMax    int    // the longest message that fits one slot and max
	pace      pacer  // adaptive poll limit of waitData

	// expect is what the next slot's header, under oneMask, equals when it
	// holds a one-slot message that takeOne may take: epoch and sequence
	// byte, plus noFast while a message is in progress or err is set. Kept
	// by arm, and by takeOne as it advances.
	expect uint64

	// one holds a one-slot message's payload (takeOne): a 128-byte block of
	// its own, so it shares no line with the peer's state.
	one *[2 * LineSize / 8]uint64

	// The message being reassembled.
	inMsg bool
	typ   uint16
	want  int // its length
	frag  int // index of the next fragment
	buf   []byte

	err error // sticky: the peer wrote a malformed slot
}

func (r *receiver) init(ring []slot, maxMessage int) {
	r.ring = ring
	r.epoch = 1
	r.ackEvery = uint64(max(1, len(ring)/4))
	r.ackDue = r.ackEvery
	r.max = maxMessage
	r.oneMax = min(PayloadSize, maxMessage)
	// Two lines of the 128-byte size class are 128-byte aligned, so the
	// buffer shares no cache line with the peer's, which is written on every
	// message too.
	r.buf = make([]byte, 0, 2*LineSize)
	r.one = new([2 * LineSize / 8]uint64)
	r.arm()
}

// noFast is a bit outside oneMask: in expect, no header matches it.
const noFast = 1 << typeShift

// arm sets expect from the rest of the state. Every change of seq, epoch,
// inMsg or err outside takeOne is followed by it.
func (r *receiver) arm() {
	r.expect = r.epoch | r.seq<<seqShift
	if r.inMsg || r.err != nil {
		r.expect |= noFast
	}
}

// ready reports whether the next slot is full. It reads only word 7.
func (r *receiver) ready() bool {
	return atomic.LoadUint64(&r.ring[r.pos][7])&epochBit == r.epoch
}

// take consumes the next slot, whose word 7 h the caller loaded and found
// full, and reports whether it completed a message.
func (r *receiver) take(h header) (bool, error) {
	if err := r.validate(h); err != nil {
		return false, err
	}
	if !h.cont() {
		r.inMsg, r.typ, r.want, r.frag = true, h.typ(), h.arg(), 1
		r.buf = r.buf[:0]
	} else {
		r.frag++
	}
	n := min(r.want-len(r.buf), PayloadSize)
	r.buf = append(r.buf, r.ring[r.pos].payload()[:n]...)
	r.seq++
	r.pos++
	if r.pos == len(r.ring) {
		r.pos = 0
		r.epoch ^= epochBit
	}
	if len(r.buf) < r.want {
		r.arm()
		return false, nil
	}
	r.inMsg = false
	r.arm()
	return true, nil
}

// validate checks a full slot's header against the reassembly state.
func (r *receiver) validate(h header) error {
	reason := ""
	switch {
	case uint64(h)&reservedBit != 0:
		reason = "reserved header bits set"
	case h.seq() != uint8(r.seq):
		reason = "sequence number out of order"
	case !r.inMsg && h.cont():
		reason = "continuation slot without a first fragment"
	case !r.inMsg && h.arg() > r.max:
		reason = "message length exceeds MaxMessage"
	case r.inMsg && !h.cont():
		reason = "new message before the previous one was complete"
	case r.inMsg && h.typ() != r.typ:
		reason = "fragment type differs from its message's"
	case r.inMsg && h.arg() != r.frag:
		reason = "fragment index out of order"
	default:
		return nil
	}
	return malformed(r.seq, uint64(h), reason)
}

// oneMask selects the header bits that a one-slot message at a known
// position must have exactly: epoch, continuation (clear), the reserved
// bits (clear) and the sequence byte.
const oneMask = epochBit | contBit | reservedBit | 0xff<<seqShift

// oneSlot reports whether h, the word 7 of the next slot, is a whole, valid
// message of one slot that consume may take, and returns its length. Every
// check of validate for a first slot outside a message is one mask and
// compare here (against expect, which also rules out a message in progress
// and a sticky error), and the length check is the bound on one slot.
// Anything else (an empty slot, a longer message, a malformed header, a
// message in progress, an error) is left to the slow path, which decides
// it.
func (r *receiver) oneSlot(h uint64) (int, bool) {
	n := int(h >> argShift & argMask)
	return n, h&oneMask == r.expect && n <= r.oneMax
}

// consume takes the next slot s, whose header h oneSlot accepted with
// length n, after the caller copied its payload into r.one: the fast path of
// TryRecv and Recv. The caller copies the whole payload out of shared
// memory, whatever the length, a word at a time, seven moves written out
// where it is needed: a copy of n bytes or of an array is a call
// (memmove), a loop over the words n needs is as many instructions for one
// word and more for the rest, and with the moves in it consume would be
// too large to inline. The bytes past the length were written by earlier
// messages (or are zero), before publications this receiver already
// observed, and Data, which points into r.one, does not reach them.
func (r *receiver) consume(h uint64, n int) Message {
	r.seq++
	r.expect += 1 << seqShift // the sequence byte; the carry out of it is lost
	if r.pos++; r.pos == len(r.ring) {
		r.pos = 0
		r.epoch ^= epochBit
		r.expect ^= epochBit
	}
	return Message{Type: uint16(h >> typeShift), Data: unsafe.Slice((*byte)(unsafe.Pointer(r.one)), n)}
}

// TryRecv returns the next message, or ErrWouldBlock if no complete message
// is ready. Fragments that are ready are consumed even when the message is
// not complete yet. Message.Data is valid until the next receive call.
func (e *Endpoint) TryRecv() (Message, error) {
	r := &e.rx
	s := &r.ring[r.pos]
	h := atomic.LoadUint64(&s[7])
	if n, ok := r.oneSlot(h); ok {
		o := r.one
		o[0], o[1], o[2], o[3], o[4], o[5], o[6] = s[0], s[1], s[2], s[3], s[4], s[5], s[6]
		m := r.consume(h, n)
		e.ackIfDue()
		return m, nil
	}
	return e.tryRecv()
}

// tryRecv is TryRecv's slow path: fragments, malformed slots, errors.
func (e *Endpoint) tryRecv() (Message, error) {
	r := &e.rx
	for r.err == nil {
		h := header(atomic.LoadUint64(&r.ring[r.pos][7]))
		if h.epoch() != r.epoch {
			return Message{}, ErrWouldBlock
		}
		done, err := r.take(h)
		if err != nil {
			r.err = err
			r.arm()
			break
		}
		e.ackIfDue()
		if done {
			return Message{Type: r.typ, Data: r.buf}, nil
		}
	}
	return Message{}, r.err
}

// Recv returns the next message, polling for a bounded time (see Config.PollTime)
// and then sleeping until the peer notifies. Message.Data is valid until the next
// receive call.
//
// Its fast path polls word 7 of the next slot pollChecks times in a loop of
// its own (a load, a compare, a count), the first phase of waiting, and goes
// on to take a one-slot message from there, without a return, a call or a
// second load between seeing the line arrive and copying it out. Waits past
// that, longer messages and errors take recvSlow.
func (e *Endpoint) Recv() (Message, error) {
	r := &e.rx
	s := &r.ring[r.pos]
	h := atomic.LoadUint64(&s[7])
	if epoch := r.epoch; h&epochBit != epoch {
		// Four polls to a count: on two hyperthreads of one core the
		// poll loop's instructions take issue slots from the peer's
		// thread, so each poll is a load, a mask and a compare.
		for spins := pollChecks / 4; spins > 0; spins-- {
			if h = atomic.LoadUint64(&s[7]); h&epochBit == epoch {
				break
			}
			if h = atomic.LoadUint64(&s[7]); h&epochBit == epoch {
				break
			}
			if h = atomic.LoadUint64(&s[7]); h&epochBit == epoch {
				break
			}
			if h = atomic.LoadUint64(&s[7]); h&epochBit == epoch {
				break
			}
		}
	}
	if n, ok := r.oneSlot(h); ok {
		o := r.one
		o[0], o[1], o[2], o[3], o[4], o[5], o[6] = s[0], s[1], s[2], s[3], s[4], s[5], s[6]
		m := r.consume(h, n)
		e.ackIfDue()
		return m, nil
	}
	return e.recvSlow()
}

// recvSlow is Recv past its first poll: waits, fragments, errors.
func (e *Endpoint) recvSlow() (Message, error) {
	for {
		if m, err := e.TryRecv(); err != ErrWouldBlock {
			return m, err
		}
		e.waitData()
	}
}

// ackIfDue stores the ack once ackEvery slots were consumed since the last.
func (e *Endpoint) ackIfDue() {
	if e.rx.seq >= e.rx.ackDue {
		e.publishAck()
	}
}

// waitData waits until the next slot is full (or a spurious wake-up). Before
// sleeping it acks everything consumed, so the peer has full credit.
func (e *Endpoint) waitData() {
	if e.rx.pace.pollEpoch(e.cfg.PollTime, &e.rx.ring[e.rx.pos][7], e.rx.epoch) {
		return
	}
	if e.rx.seq != e.rx.published {
		e.publishAck()
	}
	e.rx.pace.sleep(e.cfg.PollTime, &e.own.rxWaiting, e.cfg.Sleeper, DataEvent, e.rx.ready)
}

// publishAck stores the consumed count into this party's ack word and wakes
// the peer if it may sleep waiting for credit.
func (e *Endpoint) publishAck() {
	e.rx.published = e.rx.seq
	e.rx.ackDue = e.rx.seq + e.rx.ackEvery
	atomic.StoreUint64(&e.own.ack, e.rx.seq)
	if atomic.LoadUint64(&e.peer.txWaiting) != 0 {
		e.cfg.Notifier.Notify(CreditEvent)
	}
}
