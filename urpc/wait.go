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

// pollChecks is how many polls run between two looks at the clock. The
// first look only starts the clock, so a wait that ends within pollChecks
// polls (the fast path) never reads it; a wait lasts at most about
// limit plus 2*pollChecks polls.
const pollChecks = 256

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

// sleepUntil announces a wait in *waiting, rechecks ready, and sleeps on ev
// only if it is still false: the waiting side of the Dekker handshake in the
// package documentation.
func sleepUntil(waiting *uint64, s Sleeper, ev Event, ready func() bool) {
	atomic.StoreUint64(waiting, 1)
	if !ready() {
		s.Sleep(ev)
	}
	atomic.StoreUint64(waiting, 0)
}
