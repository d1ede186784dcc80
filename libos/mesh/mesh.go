// Package mesh makes URPC endpoints of the channel frames the CPU driver
// hands out (docs/urpc.md): between a monitor and the other cores'
// monitors (Dial), between a monitor and its CPU driver (DialKernel), and
// between a program and its core's monitor (ConnectMonitor, DialClient).
// Notifications are native calls: an inter-processor interrupt for
// another core, the core's bell for its own; sleeps are waits for this
// core's next notification.
//
// It runs in ring 3. Only ConnectMonitor is for programs; the CPU driver
// refuses the other calls to anyone but the monitor.
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

// DialKernel maps the channel from this core's CPU driver (interface
// kernmon) and returns the monitor's endpoint (side B).
func DialKernel(self int, s *Sleeper, maxMessage int) (*urpc.Endpoint, error) {
	mem, err := sys.Channel(self)
	if err != nil {
		return nil, err
	}
	return urpc.New(mem, urpc.SideB, local(self, s, maxMessage))
}

// DialClient maps program channel id and returns the monitor's endpoint
// (side B).
func DialClient(self int, id uint32, s *Sleeper, maxMessage int) (*urpc.Endpoint, error) {
	mem, err := sys.Client(id)
	if err != nil {
		return nil, err
	}
	return urpc.New(mem, urpc.SideB, local(self, s, maxMessage))
}

// ConnectMonitor opens the calling program's channel to its core's
// monitor and returns the program's endpoint (side A).
func ConnectMonitor(s *Sleeper, maxMessage int) (*urpc.Endpoint, error) {
	self, _, err := sys.CPU()
	if err != nil {
		return nil, err
	}
	mem, err := sys.Connect()
	if err != nil {
		return nil, err
	}
	return urpc.New(mem, urpc.SideA, local(self, s, maxMessage))
}

// local is the configuration of a channel within one core: the peer is
// on this core, so polling for it only delays it, and a wait sleeps at
// once.
func local(self int, s *Sleeper, maxMessage int) urpc.Config {
	return urpc.Config{Notifier: Bell{self}, Sleeper: s, PollTime: -1, MaxMessage: maxMessage}
}
