package proc

import "runtime"

// Yielding (sched_yield). As Linux's sched_yield returns at once when no
// other task is runnable, Yield returns at once when the calling thread
// is the only user thread of its core that is runnable: running, or
// ready to run ring-3 code, that is not blocked in a call that waits
// (the waiting calls of cputime.go, WaitOn, a wait for memory). A thread
// whose time slice ended, or that an interrupt stopped, stays runnable;
// a new thread is runnable from Start. Otherwise Yield lets the core's
// other goroutines run (runtime.Gosched), as every yield did before.
//
// What the fast return does not wait for: the CPU driver's own
// goroutines (the monitor link, timers, woken waiters) run at the
// caller's next blocking point, interrupt or time-slice end, as they do
// for a thread that spins without yielding. A thread woken from a wait
// counts as runnable again only once its goroutine runs; so that a
// thread that wakes another and then yields lets it run, as on Linux,
// the calls that wake threads directly (a futex wake, a write to a pipe
// or an eventfd) mark the core (Woke), and the next yield goes through
// the scheduler. Other wake-ups (a timer, a monitor's reply, a process's
// end) are seen when the woken thread runs.
//
// The count is this core's (each core runs its own CPU driver), changed
// only by the goroutines of its threads, which never run at once
// (GOMAXPROCS 1, no asynchronous preemption): plain words, as clockFrom.
var core runnable

// runnable counts a core's runnable user threads and remembers wake-ups
// that may have readied others.
type runnable struct {
	threads int  // user threads not blocked in a wait
	woken   bool // a thread may have been woken since the last yield through the scheduler
}

// add counts a thread that starts (1), blocks (-1), resumes (1) or ends
// (-1).
func (r *runnable) add(d int) { r.threads += d }

// mustYield reports whether a yield of one of the runnable threads must
// let others run: another thread is runnable, or may have been woken.
func (r *runnable) mustYield() bool { return r.threads > 1 || r.woken }

// yielded records a yield through the scheduler: the threads woken
// before it have had their turn.
func (r *runnable) yielded() { r.woken = false }

// block marks the thread blocked in a wait: its CPU time stops and it
// no longer counts as runnable. unblock undoes both. Only the thread's
// own goroutine calls them, in pairs.
func (t *Thread) block() {
	t.stopClock()
	core.add(-1)
}

func (t *Thread) unblock() {
	core.add(1)
	t.startClock()
}

// Yield is sched_yield for t: it returns at once when t is its core's
// only runnable user thread and no wake-up is pending, and otherwise
// lets the core's other goroutines run, with t's CPU time stopped
// meanwhile. Only the thread's own goroutine calls it.
func (t *Thread) Yield() {
	if !core.mustYield() {
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
