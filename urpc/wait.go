package urpc

import (
	"sync/atomic"
	"time"
)

// Event says which of a party's two waits a notification ends.
type Event uint8

const (
	// DataEvent: the peer published messages; a sleeping Recv may go on.
	DataEvent Event = iota
	// CreditEvent: the peer consumed slots; a sleeping Send may go on.
	CreditEvent
)

// Notifier wakes the peer. A sender calls Notify(DataEvent) only when the
// peer said it may be sleeping in Recv, and a receiver calls
// Notify(CreditEvent) only when the peer may be sleeping for credit. It must
// be safe to call from the send and receive goroutines at once. In the guest
// it raises an inter-processor interrupt on the peer's core.
type Notifier interface {
	Notify(ev Event)
}

// Sleeper blocks the calling party until the peer notified ev. A
// notification that arrives before Sleep must end the next Sleep for the
// same event (no lost wake-ups); Sleep may also return spuriously.
type Sleeper interface {
	Sleep(ev Event)
}

// TimedSleeper is a Sleeper that can also give up after a while:
// SleepFor(ev, d) returns once the peer notified ev (or one was pending)
// or d has passed. Waitset.WaitUntil needs one to keep its deadline.
type TimedSleeper interface {
	Sleeper
	SleepFor(ev Event, d time.Duration)
}

// Doorbell is the host's Notifier and Sleeper for one party: a one-token
// buffered Go channel per event. Party X sleeps on its own Doorbell, and
// its peer's Config.Notifier is X's Doorbell.
type Doorbell struct {
	bells [2]chan struct{} // indexed by Event; immutable after NewDoorbell
}

// NewDoorbell returns a Doorbell with no notification pending.
func NewDoorbell() *Doorbell {
	return &Doorbell{bells: [2]chan struct{}{make(chan struct{}, 1), make(chan struct{}, 1)}}
}

// Notify leaves a token for ev unless one is already pending.
func (d *Doorbell) Notify(ev Event) {
	select {
	case d.bells[ev] <- struct{}{}:
	default:
	}
}

// Sleep waits for and takes the token for ev.
func (d *Doorbell) Sleep(ev Event) {
	<-d.bells[ev]
}

// SleepFor is Sleep for at most t.
func (d *Doorbell) SleepFor(ev Event, t time.Duration) {
	tm := time.NewTimer(t)
	defer tm.Stop()
	select {
	case <-d.bells[ev]:
	case <-tm.C:
	}
}

// pollChecks is how many polls run between two looks at the clock. The
// first look only starts the clock, so a wait that ends within pollChecks
// polls (the fast path) never reads it; a wait lasts at most about
// limit plus 2*pollChecks polls.
const pollChecks = 256

// maxPollGrowth bounds the adaptive poll limit: a wait polls at most
// maxPollGrowth times Config.PollTime before it sleeps.
const maxPollGrowth = 16

// poll spins until ready returns true or limit has passed, and reports
// whether ready did.
func poll(limit time.Duration, ready func() bool) bool {
	if limit <= 0 {
		return ready()
	}
	var start time.Time
	for {
		for i := 0; i < pollChecks; i++ {
			if ready() {
				return true
			}
		}
		if start.IsZero() {
			start = time.Now()
		} else if time.Since(start) > limit {
			return false
		}
	}
}

// pollEpoch is poll specialised for a receiver waiting on a slot: it spins
// until the epoch bit of *word equals epoch, without a call per poll, so that
// the receiver sees a message as soon as its line arrives.
func pollEpoch(limit time.Duration, word *uint64, epoch uint64) bool {
	if limit <= 0 {
		return atomic.LoadUint64(word)&epochBit == epoch
	}
	var start time.Time
	for {
		for i := 0; i < pollChecks; i++ {
			if atomic.LoadUint64(word)&epochBit == epoch {
				return true
			}
		}
		if start.IsZero() {
			start = time.Now()
		} else if time.Since(start) > limit {
			return false
		}
	}
}

// sleepUntil announces a wait with announce(1), rechecks ready, sleeps on ev
// only if it is still false, and withdraws the announcement with
// announce(0): the waiting side of the Dekker handshake in the package
// documentation. announce atomically stores its argument into the waiting
// word (or, for a Waitset, into the waiting word of every endpoint). It
// reports whether it slept.
func sleepUntil(announce func(uint64), s Sleeper, ev Event, ready func() bool) bool {
	announce(1)
	slept := !ready()
	if slept {
		s.Sleep(ev)
	}
	announce(0)
	return slept
}

// pacer is the adaptive poll limit of one kind of wait (data or credit),
// owned by the goroutine that waits: two-phase waiting that polls about as
// long as blocking costs (see "Waiting and notification" in the package
// documentation).
type pacer struct {
	limit time.Duration // current poll limit; zero until the first wait
}

// poll polls ready for the current limit, which starts at base
// (Config.PollTime), and reports whether ready returned true.
func (p *pacer) poll(base time.Duration, ready func() bool) bool {
	if base <= 0 {
		return ready()
	}
	if p.limit < base {
		p.limit = base
	}
	return poll(p.limit, ready)
}

// pollEpoch is pollEpoch with the current limit.
func (p *pacer) pollEpoch(base time.Duration, word *uint64, epoch uint64) bool {
	if p.limit < base {
		p.limit = base
	}
	return pollEpoch(p.limit, word, epoch)
}

// sleep is sleepAll for the single waiting word *waiting.
func (p *pacer) sleep(base time.Duration, waiting *uint64, s Sleeper, ev Event, ready func() bool) {
	p.sleepAll(base, func(v uint64) { atomic.StoreUint64(waiting, v) }, s, ev, ready)
}

// sleepAll is sleepUntil, timed: a sleep that the peer ended soon says that
// polling would have been cheaper, and the limit grows to twice its length;
// a long one says the peer is idle, and the limit halves back towards base.
// The limit stays within [base, maxPollGrowth*base].
func (p *pacer) sleepAll(base time.Duration, announce func(uint64), s Sleeper, ev Event, ready func() bool) {
	if base <= 0 {
		sleepUntil(announce, s, ev, ready)
		return
	}
	start := time.Now()
	if !sleepUntil(announce, s, ev, ready) {
		return
	}
	d, most := time.Since(start), maxPollGrowth*base
	if most < base {
		most = base // overflow: a PollTime of centuries
	}
	if d < most {
		p.limit = min(most, max(p.limit, 2*d))
	} else {
		p.limit = max(base, p.limit/2)
	}
}
