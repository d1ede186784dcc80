package proc

import (
	"runtime"
	"slices"
	"time"

	"multikernel/cpudriver/ring0"
)

// Yielding (sched_yield). As Linux's sched_yield returns at once when no
// other task is runnable, Yield returns at once when the calling thread
// is the only user thread of its core that is runnable: running, or
// ready to run ring-3 code, that is not blocked in a call that waits
// (the waiting calls of cputime.go, WaitOn, a wait for memory), and no
// blocked thread may have become ready meanwhile. A thread whose time
// slice ended, or that an interrupt stopped, stays runnable; a new
// thread is runnable from Start. Otherwise Yield lets the core's other
// goroutines run (runtime.Gosched), as every yield did before.
//
// A thread woken from a wait counts as runnable again only once its
// goroutine runs, which takes a trip through the CPU driver's scheduler,
// so the yield also goes through it when a wake-up may be waiting
// there: when the caller's calls may have woken threads (a futex wake, a
// write to a pipe or an eventfd: Woke), as on Linux, where the woken
// thread is ready at once; and when the timeout of a blocked thread's
// wait (nanosleep, a futex or epoll wait with a timeout: WaitUntil) has
// come, since the CPU driver's timers fire only in its scheduler (the Go
// runtime's own spin loops yield while another thread sleeps a few
// microseconds). What the fast return does not wait for: the CPU
// driver's own goroutines (the monitor link) and wake-ups from other
// cores, which run at the caller's next blocking point, interrupt or
// time-slice end, as they do for a thread that spins without yielding.
//
// The count is this core's (each core runs its own CPU driver), changed
// only by the goroutines of its threads, which never run at once
// (GOMAXPROCS 1, no asynchronous preemption): plain words, as clockFrom.
var core runnable

// runnable counts a core's runnable user threads and remembers wake-ups
// that may have readied others.
type runnable struct {
	threads int       // user threads not blocked in a wait
	woken   bool      // a thread may have been woken since the last yield through the scheduler
	timed   []*Thread // blocked threads whose waits time out (Thread.wakeAt)
	due     int64     // the earliest of their timeouts (ring0.Nanotime), 0 if none
}

// add counts a thread that starts (1), blocks (-1), resumes (1) or ends
// (-1).
func (r *runnable) add(d int) { r.threads += d }

// mustYield reports whether a yield of one of the runnable threads at
// time now (ring0.Nanotime; read only when r.due is set) must let others
// run: another thread is runnable, or may have been woken, or a blocked
// thread's timeout has come.
func (r *runnable) mustYield(now int64) bool {
	return r.threads > 1 || r.woken || r.due != 0 && now >= r.due
}

// timeout records that t, blocked, wakes by itself at wakeAt at the
// latest; untimed forgets it (t resumed).
func (r *runnable) timeout(t *Thread, wakeAt int64) {
	t.wakeAt = wakeAt
	r.timed = append(r.timed, t)
	if r.due == 0 || wakeAt < r.due {
		r.due = wakeAt
	}
}

func (r *runnable) untimed(t *Thread) {
	t.wakeAt = 0
	r.timed = slices.DeleteFunc(r.timed, func(u *Thread) bool { return u == t })
	r.due = 0
	for _, u := range r.timed {
		if r.due == 0 || u.wakeAt < r.due {
			r.due = u.wakeAt
		}
	}
}

// yielded records a yield through the scheduler: the threads woken
// before it have had their turn.
func (r *runnable) yielded() { r.woken = false }

// block marks the thread blocked in a wait: its CPU time stops and it
// no longer counts as runnable. unblock undoes both. Only the thread's
// own goroutine calls them, in pairs.
func (t *Thread) block() {
	if t.proxy {
		return // a stand-in is not one of this core's threads
	}
	t.stopClock()
	core.add(-1)
}

func (t *Thread) unblock() {
	if t.proxy {
		return
	}
	if t.wakeAt != 0 {
		core.untimed(t)
	}
	core.add(1)
	t.startClock()
}

// Yield is sched_yield for t: it returns at once when t is its core's
// only runnable user thread and no wake-up is pending, and otherwise
// lets the core's other goroutines run, with t's CPU time stopped
// meanwhile. Only the thread's own goroutine calls it.
func (t *Thread) Yield() {
	var now int64
	if core.due != 0 {
		now = ring0.Nanotime()
	}
	if !core.mustYield(now) {
		return
	}
	core.yielded()
	t.stopClock()
	runtime.Gosched()
	t.startClock()
}

// Woke tells the core that t's call may have woken other threads (a
// futex wake that woke some, a write to a pipe or an eventfd): the next
// yield on the core lets them run. Only the thread's own goroutine
// calls it.
func (t *Thread) Woke() { core.woken = true }

// WaitUntil tells the core that t, in a call that waits, wakes by
// itself after d at the latest (its timeout): from then on a yield on
// the core lets it run. Only the thread's own goroutine calls it, within
// a waiting call, before it waits.
func (t *Thread) WaitUntil(d time.Duration) {
	if d > 0 && !t.proxy && t.wakeAt == 0 {
		core.timeout(t, ring0.Nanotime()+int64(d))
	}
}
