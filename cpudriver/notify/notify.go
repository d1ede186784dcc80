// Package notify holds the bells the CPU driver's waiters sleep on: the
// core's notification bell, which counts the notification IPIs this core
// took (libos/sys.Wait sleeps on it), and bells of their own for the
// capability inbox and each device line. It runs on one core; a bell is
// safe for any number of the core's goroutines.
package notify

import (
	"multikernel/cpudriver/trace"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"multikernel/cpudriver/klog"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/ring0"
)

// A Bell is a count of rings and a channel closed and replaced on every
// ring, so that any number of waiters wake. A waiter remembers the count
// it last saw and sleeps until the count differs, so a ring that arrives
// between its last look at what it waits for and its sleep ends that
// sleep: no wake-up is lost, and several rings may end one sleep.
type Bell struct {
	mu      sync.Mutex // guards gen and changed
	gen     uint64
	changed chan struct{}
}

// NewBell returns a bell that has not rung.
func NewBell() *Bell { return &Bell{changed: make(chan struct{})} }

// Core is this core's notification bell: rung for every notification
// IPI the core takes, in ring 0 (the goroutine Start makes) or in ring 3
// (the interrupted thread's loop).
var Core = NewBell()

// Take is what the core does with every notification IPI it takes: it
// rings Core, then runs the hooks (AddHook) in the order they were added.
// The listener Start makes calls it for notifications taken in ring 0,
// package proc for those that interrupt a user thread.
func Take() {
	trace.Add(trace.IPIRecv, 0, 0)
	Core.Ring()
	if hs := hooks.Load(); hs != nil {
		for _, h := range *hs {
			h()
		}
	}
}

// hooks are the functions Take runs after the bell (AddHook).
var (
	hooks   atomic.Pointer[[]func()]
	hooksMu sync.Mutex
)

// AddHook makes Take run h after ringing the bell on every notification:
// work that should not wait a goroutine hop for the goroutines the bell
// wakes (the CPU drivers' mesh handling its messages, package proc
// running the futex waiters other cores claimed). h runs on the core's
// notification path, on whichever goroutine took the notification, and
// must not block. The goroutines a hook readies run before those the bell
// woke, and those of a later hook before those of an earlier one.
func AddHook(h func()) {
	hooksMu.Lock()
	defer hooksMu.Unlock()
	var hs []func()
	if old := hooks.Load(); old != nil {
		hs = append(hs, *old...)
	}
	hs = append(hs, h)
	hooks.Store(&hs)
}

// Ring counts one ring and wakes every waiter.
func (b *Bell) Ring() {
	b.mu.Lock()
	b.gen++
	close(b.changed)
	b.changed = make(chan struct{})
	b.mu.Unlock()
}

// State returns the count and the channel that closes at the next ring.
func (b *Bell) State() (uint64, <-chan struct{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.gen, b.changed
}

// Wait blocks until the bell's count differs from seen, the timeout (if
// positive) passes, or stop closes (-EINTR), and returns the count. A
// negative timeout only reads the count.
func (b *Bell) Wait(seen uint64, timeout time.Duration, stop <-chan struct{}) int64 {
	g, ch := b.State()
	if g != seen || timeout < 0 {
		return int64(g)
	}
	expired, cancel := Timer(timeout)
	defer cancel()
	for {
		select {
		case <-ch:
		case <-expired:
			g, _ := b.State()
			return int64(g)
		case <-stop:
			return -kpi.EINTR
		}
		if g, ch = b.State(); g != seen {
			return int64(g)
		}
	}
}

// Timer returns a channel that fires after d, or never for d <= 0, and
// the function that stops it.
func Timer(d time.Duration) (<-chan time.Time, func() bool) {
	if d <= 0 {
		return nil, func() bool { return false }
	}
	tm := time.NewTimer(d)
	return tm.C, tm.Stop
}

var startOnce sync.Once

// Start starts the goroutine that turns the notifications this core
// takes in ring 0 (ring0.NotifyFd) into rings of Core, and hands the
// device lines that fired meanwhile (ring0.TakeDeviceIRQs, bit g for
// GSI g) to devices. Package main calls it once, before it starts the
// monitor.
func Start(devices func(mask uint32)) {
	startOnce.Do(func() {
		fd := ring0.NotifyFd()
		if fd < 0 {
			klog.Printf("cpudriver: no descriptor left for notifications: URPC receivers will only poll")
			return
		}
		f := os.NewFile(uintptr(fd), "notify")
		go func() {
			var buf [8]byte
			for {
				if _, err := f.Read(buf[:]); err != nil {
					klog.Printf("cpudriver: reading notifications: %v", err)
					return
				}
				Take()
				devices(ring0.TakeDeviceIRQs())
			}
		}()
	})
}
