package urpc

import (
	"sync/atomic"
	"time"
)

// Waitset lets one goroutine wait for a message on any of several endpoints,
// like a Barrelfish waitset: Wait polls the next slot of every endpoint for a
// bounded, adaptive time, then announces the wait on all of them and sleeps
// once on a Sleeper they share (see "Waitsets" in the package
// documentation).
//
// The goroutine that calls Wait owns the waitset and the receive sides of
// its endpoints: it alone calls their TryRecv, and it does not call their
// Recv. It may use their send sides as well.
type Waitset struct {
	members  []member
	sleeper  Sleeper
	pollTime time.Duration // as Config.PollTime, zero replaced
	pace     pacer         // adaptive poll limit of Wait
	next     int           // where the next scan starts: round-robin
	found    int           // the member the last successful scan found
}

// member is an endpoint of a Waitset.
type member struct {
	e        *Endpoint
	reported bool // Wait returned its receive error; skipped since
}

// NewWaitset returns an empty waitset that sleeps on s. The peers of the
// endpoints added must wake s: their Config.Notifier delivers DataEvent to
// it (on the host, all peers notify the one Doorbell that is s; in the guest,
// s is the core's notification counter). pollTime means what Config.PollTime
// means: zero is DefaultPollTime, and a negative value sleeps at once.
func NewWaitset(s Sleeper, pollTime time.Duration) *Waitset {
	w := &Waitset{sleeper: s}
	w.SetPollTime(pollTime)
	return w
}

// SetPollTime changes how long Wait first polls before it sleeps, with the
// meaning of NewWaitset's pollTime, and restarts the adaptation from it.
func (w *Waitset) SetPollTime(d time.Duration) {
	if d == 0 {
		d = DefaultPollTime
	}
	w.pollTime, w.pace = d, pacer{}
}

// Add adds e to the set and returns its index, which Wait returns for it.
// An endpoint belongs to at most one waitset.
func (w *Waitset) Add(e *Endpoint) int {
	w.members = append(w.members, member{e: e})
	return len(w.members) - 1
}

// Remove takes e out of the set and reports whether it was there. The
// endpoints after it move down one index. Its peer may still notify the
// set's Sleeper (a spurious wake-up), but Wait no longer looks at e, so
// its memory may go once Remove has returned.
func (w *Waitset) Remove(e *Endpoint) bool {
	for i := range w.members {
		if w.members[i].e != e {
			continue
		}
		atomic.StoreUint64(&e.own.rxWaiting, 0)
		w.members = append(w.members[:i], w.members[i+1:]...)
		if w.next > i {
			w.next--
		}
		if w.next >= len(w.members) {
			w.next = 0
		}
		return true
	}
	return false
}

// Len returns the number of endpoints in the set.
func (w *Waitset) Len() int { return len(w.members) }

// Endpoint returns the endpoint with index i.
func (w *Waitset) Endpoint(i int) *Endpoint { return w.members[i].e }

// Wait returns the index of an endpoint whose next slot is full; the caller
// then calls its TryRecv. TryRecv may still give ErrWouldBlock when only the
// first fragments of a message have arrived: it consumes them, and the next
// Wait waits for the rest. Endpoints are tried round-robin, starting after
// the index Wait returned last, so a busy endpoint cannot starve the others.
//
// An endpoint whose receive side has failed, because its peer wrote a
// malformed slot (which Wait checks for before it returns the index), is
// returned once with its *MalformedError and skipped by later Waits. With
// no working endpoint in the set, Wait blocks.
func (w *Waitset) Wait() (int, error) {
	for !w.pace.poll(w.pollTime, w.scan) {
		w.sleep(w.sleeper)
	}
	return w.take()
}

// Poll is Wait without waiting: ok is false when no endpoint is ready.
// Like Wait, it is the waitset owner's to call.
func (w *Waitset) Poll() (i int, ok bool, err error) {
	if !w.scan() {
		return -1, false, nil
	}
	i, err = w.take()
	return i, true, err
}

// Ack publishes what every endpoint consumed, as Wait does before it
// sleeps, so that each peer has full credit; for an owner that received
// with Poll and does not sleep next.
func (w *Waitset) Ack() {
	for _, m := range w.members {
		if m.e.rx.seq != m.e.rx.published {
			m.e.publishAck()
		}
	}
}

// WaitUntil is Wait with a deadline: once it has passed with no endpoint
// ready, WaitUntil returns -1 and ErrTimeout. It keeps the deadline if the
// waitset's Sleeper is a TimedSleeper; a plain Sleeper may overshoot it
// until the next notification.
func (w *Waitset) WaitUntil(deadline time.Time) (int, error) {
	ts, timed := w.sleeper.(TimedSleeper)
	for !w.pace.poll(w.pollTime, w.scan) {
		left := time.Until(deadline)
		if left <= 0 {
			return -1, ErrTimeout
		}
		if timed {
			w.sleep(boundedSleeper{ts, left})
		} else {
			w.sleep(w.sleeper)
		}
	}
	return w.take()
}

// take returns the index scan found, checking its next slot's header.
func (w *Waitset) take() (int, error) {
	i := w.found
	w.next = (i + 1) % len(w.members)
	m := &w.members[i]
	r := &m.e.rx
	if r.err == nil {
		r.err = r.validate(header(atomic.LoadUint64(&r.ring[r.pos][7])))
		r.arm()
	}
	if r.err != nil {
		m.reported = true
		return i, r.err
	}
	return i, nil
}

// scan looks at every endpoint once, starting at w.next, and reports whether
// one is ready (its next slot is full, or its receive error is not reported
// yet), leaving its index in w.found.
func (w *Waitset) scan() bool {
	n := len(w.members)
	for k, i := 0, w.next; k < n; k++ {
		m := &w.members[i]
		if m.e.rx.err == nil && m.e.rx.ready() || m.e.rx.err != nil && !m.reported {
			w.found = i
			return true
		}
		if i++; i == n {
			i = 0
		}
	}
	return false
}

// sleep acks what every endpoint consumed, so that each peer has full
// credit, and sleeps once on s for all of them.
func (w *Waitset) sleep(s Sleeper) {
	w.Ack()
	w.pace.sleepAll(w.pollTime, w.announce, s, DataEvent, w.scan)
}

// announce stores v into the rx-waiting word of every endpoint: with v = 1
// each peer that publishes afterwards notifies the Sleeper.
func (w *Waitset) announce(v uint64) {
	for _, m := range w.members {
		atomic.StoreUint64(&m.e.own.rxWaiting, v)
	}
}

// boundedSleeper sleeps on a TimedSleeper for at most d.
type boundedSleeper struct {
	s TimedSleeper
	d time.Duration
}

func (b boundedSleeper) Sleep(ev Event) { b.s.SleepFor(ev, b.d) }
