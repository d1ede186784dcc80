package kmesh

import (
	"sync"
	"time"

	"multikernel/cpudriver/notify"
	"multikernel/cpudriver/ring0"
	"multikernel/urpc"
)

// The running core's mesh: package main starts it once, after
// notify.Start and before the monitor, and other packages use it through
// the functions below.

var (
	local     *Mesh
	startOnce sync.Once
)

// bellSleeper sleeps the receive goroutine on the core's notification
// bell (urpc.Sleeper and urpc.TimedSleeper): it remembers the count it
// last saw, so a notification that came since ends the next sleep.
type bellSleeper struct {
	bell *notify.Bell
	seen uint64
}

// Sleep waits for the bell to ring past the count last seen.
func (b *bellSleeper) Sleep(urpc.Event) { b.SleepFor(0, 0) }

// SleepFor is Sleep for at most d (d <= 0: no bound).
func (b *bellSleeper) SleepFor(_ urpc.Event, d time.Duration) {
	if g := b.bell.Wait(b.seen, d, nil); g >= 0 {
		b.seen = uint64(g)
	}
}

// Start opens this core's end of every channel mach has and starts the
// receive goroutine; it returns how many channels it opened. A second
// call does nothing.
func Start(mach Machine) (int, error) {
	var err error
	startOnce.Do(func() {
		g, _ := notify.Core.State()
		var m *Mesh
		if m, err = newMesh(mach, &bellSleeper{bell: notify.Core, seen: g}, ring0.Rdtsc); err != nil {
			return
		}
		for _, e := range early {
			m.Handle(e.t, e.h)
		}
		local = m
		notify.AddHook(m.Drain)
		go m.serve()
	})
	if local == nil {
		return 0, err
	}
	return local.Channels(), err
}

// Send sends a message of type t to core (Mesh.Send); ErrDown before
// Start.
func Send(core int, t Type, payload []byte) error {
	if local == nil {
		return ErrDown
	}
	return local.Send(core, t, payload)
}

// SendNow sends a message of type t to core and notifies it at once
// (Mesh.SendNow); ErrDown before Start.
func SendNow(core int, t Type, payload []byte) error {
	if local == nil {
		return ErrDown
	}
	return local.SendNow(core, t, payload)
}

// Notify raises a notification on core with no message (a peer that
// left its news in memory the two cores share, as a futex wake's claim
// of a waiter slot); false before Start or when core is not up.
func Notify(core int) bool {
	if local == nil || core < 0 || core >= len(local.peers) || core == local.self || !local.mach.Up(core) {
		return false
	}
	return local.mach.Notify(core)
}

// Handle registers h for type t (Mesh.Handle). Before Start (from the
// registering package's set-up, on the core's first goroutine) it is
// kept and installed by Start.
func Handle(t Type, h Handler) {
	if local == nil {
		early = append(early, earlyHandler{t, h})
		return
	}
	local.Handle(t, h)
}

// early are the handlers registered before Start, installed by it.
var early []earlyHandler

type earlyHandler struct {
	t Type
	h Handler
}

// Local returns the core's mesh, nil before Start.
func Local() *Mesh { return local }
