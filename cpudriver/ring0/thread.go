package ring0

import (
	"multikernel/cpudriver/linuxabi"

	"multikernel/cpudriver/kpi"
)

import "unsafe"

// The runtime's threads on this core. Thread 0 is the one the runtime
// starts on; clone adds the others (sysmon, and the Ms the runtime starts
// for blocking work). Threads switch only inside system calls (futex,
// nanosleep, sched_yield, epoll_pwait, exit): switching is cooperative, so a
// thread's Frame is complete whenever it is not running.

const maxThreads = 32

// Thread states.
const (
	thFree = iota
	thRunnable
	thFutex // waiting on waitAddr
	thSleep // nanosleep until deadline
	thEpoll // epoll_pwait until an event or deadline
)

// thread is one runtime thread (Linux task) of this core.
type thread struct {
	frame    Frame
	state    int
	waitAddr uintptr
	deadline int64 // nanotime at which a wait ends; 0: none
	sigmask  uint64
	altstack [3]uint64 // sigaltstack: sp, flags, size
}

var (
	threads [maxThreads]thread
	cur     int // index of the running thread
)

// tidBase makes thread ids distinct from the process id 1.
const tidBase = 1000

//go:nosplit
func setCurrent(i int) {
	cur = i & (maxThreads - 1)
	curFrame = uintptr(unsafe.Pointer(&threads[cur].frame))
}

// block puts the current thread into state st and switches to another
// runnable thread, idling until there is one. The blocked thread's return
// value (its AX) must be set by the caller or by whoever wakes it.
//
//go:nosplit
func block(st int, deadline int64) {
	t := &threads[cur]
	t.state = st
	t.deadline = deadline
	schedule()
}

// yield lets the other runnable threads run before the current one.
//
//go:nosplit
func yield() {
	threads[cur].state = thRunnable
	schedule()
}

// schedule makes the next runnable thread after cur current, idling (HLT
// with interrupts on) until one is runnable. It runs on the system stack.
//
//go:nosplit
func schedule() {
	for {
		maybeResync()
		wakeExpired()
		for k := 1; k <= maxThreads; k++ {
			i := (cur + k) % maxThreads
			if threads[i].state == thRunnable {
				setCurrent(i)
				return
			}
		}
		idle()
		deliverNotify()
	}
}

// wakeExpired ends the waits whose deadline has passed.
//
//go:nosplit
func wakeExpired() {
	now := nanotime()
	for i := range threads {
		t := &threads[i]
		if t.deadline == 0 || t.deadline > now {
			continue
		}
		switch t.state {
		case thFutex:
			t.frame.AX = negErrno(kpi.ETIMEDOUT)
		case thSleep, thEpoll:
			t.frame.AX = 0
		default:
			continue
		}
		t.deadline = 0
		t.state = thRunnable
	}
}

// idle halts until the next interrupt, after arming the LAPIC timer for
// the earliest deadline (tickless: no deadline, no timer), or the next
// clock re-sync when this core re-syncs (clock.go).
//
//go:nosplit
func idle() {
	next := int64(0)
	for i := range threads {
		d := threads[i].deadline
		if d != 0 && threads[i].state > thRunnable && (next == 0 || d < next) {
			next = d
		}
	}
	if d := resyncDeadline(); d != 0 && (next == 0 || d < next) {
		next = d
	}
	sliceArmed = false // the timer is the idle loop's now
	if next != 0 {
		armTimer(next - nanotime())
	} else {
		*lapicReg(lapicTimerIC) = 0
	}
	haltOnce()
}

// futexWake makes up to n threads waiting on addr runnable with result 0
// and returns how many it woke.
//
//go:nosplit
func futexWake(addr uintptr, n int) int {
	woken := 0
	for i := range threads {
		if woken >= n {
			break
		}
		t := &threads[i]
		if t.state == thFutex && t.waitAddr == addr {
			t.state = thRunnable
			t.deadline = 0
			t.frame.AX = 0
			woken++
		}
	}
	return woken
}

// wakeEpoll restarts the epoll_pwait of every waiting thread: it returns
// into the SYSCALL instruction (2 bytes) with the call number in AX, so the
// readiness check runs again.
//
//go:nosplit
func wakeEpoll() {
	for i := range threads {
		t := &threads[i]
		if t.state == thEpoll {
			t.state = thRunnable
			t.deadline = 0
			t.frame.AX = linuxabi.SysEpollPwait
			t.frame.IP -= 2
		}
	}
}

// newThread starts a thread that is a copy of the current one, as clone
// does, and returns its index or -1 when all slots are taken.
//
//go:nosplit
func newThread() int {
	for i := range threads {
		if threads[i].state == thFree && i != cur {
			threads[i] = thread{}
			threads[i].frame = threads[cur].frame
			threads[i].sigmask = threads[cur].sigmask
			threads[i].state = thRunnable
			return i
		}
	}
	return -1
}
