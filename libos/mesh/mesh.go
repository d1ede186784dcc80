// Package mesh connects a monitor to the other cores' monitors over URPC
// (docs/urpc.md): it maps the channel frame the CPU driver planned for
// each pair of cores and makes a urpc.Endpoint of it whose notifications
// are inter-processor interrupts raised through the CPU driver and whose
// sleeps are waits for this core's next notification.
//
// It runs in ring 3, in the monitor (the CPU driver refuses these native
// calls to other processes).
package mesh

import (
	"time"

	"multikernel/libos/sys"
	"multikernel/urpc"
)

// Bell notifies core Peer (a urpc.Notifier): a native call that raises an
// IPI there. Both events ring the same bell: a woken receiver rechecks
// every channel it waits on.
type Bell struct{ Peer int }

// Notify raises the notification. A peer that is not up has nobody to
// wake, so the error is of no use to the sender and is dropped.
func (b Bell) Notify(urpc.Event) { _ = sys.Notify(b.Peer) }

// Sleeper sleeps until this core's next notification (a urpc.Sleeper).
// It remembers the notification count it last saw, so a notification
// that arrived since then ends the next Sleep at once: no wake-up is lost.
// Each goroutine that sleeps needs its own Sleeper.
type Sleeper struct{ seen uint64 }

// Sleep waits for a notification newer than the last one seen.
func (s *Sleeper) Sleep(urpc.Event) { s.wait(0) }

// SleepFor is Sleep for at most d (a urpc.TimedSleeper).
func (s *Sleeper) SleepFor(_ urpc.Event, d time.Duration) {
	if d > 0 {
		s.wait(d)
	}
}

func (s *Sleeper) wait(d time.Duration) {
	if n, err := sys.Wait(s.seen, d); err == nil {
		s.seen = n
	}
}

// Dial maps the channel to core peer and returns this core's endpoint of
// it: side A on the lower-numbered core. s is the sleeper of the
// goroutine that will use the endpoint.
func Dial(self, peer int, s *Sleeper, pollTime time.Duration, maxMessage int) (*urpc.Endpoint, error) {
	mem, err := sys.Channel(peer)
	if err != nil {
		return nil, err
	}
	side := urpc.SideA
	if self > peer {
		side = urpc.SideB
	}
	return urpc.New(mem, side, urpc.Config{Notifier: Bell{peer}, Sleeper: s, PollTime: pollTime, MaxMessage: maxMessage})
}
