package proc

import (
	"os"
	"sync"
	"time"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/ring0"
)

// A bell is a count of rings and a channel closed and replaced on every
// ring, so that any number of waiters wake. The notification bell counts
// the notification IPIs this core took: a waiter remembers the count it
// last saw and sleeps until the count differs (libos/sys.Wait), so a
// notification that arrives between its last look at its channels and its
// sleep ends that sleep: no wake-up is lost, and several notifications may
// end one sleep. The capability inbox rings its own (captransfer.go).
type bell struct {
	mu      sync.Mutex
	gen     uint64
	changed chan struct{}
}

var notifyBell = bell{changed: make(chan struct{})}

// ring counts one notification and wakes every waiter.
func (b *bell) ring() {
	b.mu.Lock()
	b.gen++
	close(b.changed)
	b.changed = make(chan struct{})
	b.mu.Unlock()
}

// state returns the count and the channel that closes at the next ring.
func (b *bell) state() (uint64, <-chan struct{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.gen, b.changed
}

var listenOnce sync.Once

// StartNotifications starts the goroutine that turns the notifications
// this core takes in ring 0 (ring0.NotifyFd) into rings of the bell;
// those taken in ring 3 ring it from the interrupted thread (Thread.run).
// Package main calls it before it starts the monitor.
func StartNotifications() {
	listenOnce.Do(func() {
		fd := ring0.NotifyFd()
		if fd < 0 {
			Console("cpudriver: no descriptor left for notifications: URPC receivers will only poll\n")
			return
		}
		f := os.NewFile(uintptr(fd), "notify")
		go func() {
			var buf [8]byte
			for {
				if _, err := f.Read(buf[:]); err != nil {
					Console("cpudriver: reading notifications: " + err.Error() + "\n")
					return
				}
				notifyBell.ring()
				ringDeviceLines(ring0.TakeDeviceIRQs())
			}
		}()
	})
}

// notifyWait blocks until the notification bell's count differs from
// seen (see bell.wait).
func (t *Thread) notifyWait(seen uint64, timeout time.Duration) int64 {
	return notifyBell.wait(t, seen, timeout)
}

// wait blocks until the bell's count differs from seen, the timeout (if
// positive) passes, or t's process dies, and returns the count. A
// negative timeout only reads the count.
func (b *bell) wait(t *Thread, seen uint64, timeout time.Duration) int64 {
	g, ch := b.state()
	if g != seen || timeout < 0 {
		return int64(g)
	}
	expired, stop := optionalTimer(timeout)
	defer stop()
	for {
		select {
		case <-ch:
		case <-expired:
			g, _ := b.state()
			return int64(g)
		case <-t.proc.dying:
			return -kpi.EINTR
		}
		if g, ch = b.state(); g != seen {
			return int64(g)
		}
	}
}

// optionalTimer returns a channel that fires after d, or never for d <= 0,
// and the function that stops it.
func optionalTimer(d time.Duration) (<-chan time.Time, func() bool) {
	if d <= 0 {
		return nil, func() bool { return false }
	}
	tm := time.NewTimer(d)
	return tm.C, tm.Stop
}
