package proc

import (
	"testing"

	"multikernel/cpudriver/ring0"
)

// TestRunnableCount: a yield returns at once only for the core's one
// runnable thread with no wake-up pending, through starts, waits, wakes
// and ends.
func TestRunnableCount(t *testing.T) {
	var r runnable
	steps := []struct {
		what string
		do   func()
		must bool // whether a yield of a runnable thread must let others run
	}{
		{"one thread started", func() { r.add(1) }, false},
		{"a second started", func() { r.add(1) }, true},
		{"the second blocks in a wait", func() { r.add(-1) }, false},
		{"the first wakes it (futex wake)", func() { r.woken = true }, true},
		{"the first yields through the scheduler", r.yielded, false},
		{"the second resumes", func() { r.add(1) }, true},
		{"the first blocks", func() { r.add(-1) }, false},
		{"the first resumes", func() { r.add(1) }, true},
		{"the second ends", func() { r.add(-1) }, false},
		{"a wake with no one to wake", func() { r.woken = true }, true},
		{"a yield clears it", r.yielded, false},
	}
	for _, s := range steps {
		s.do()
		if got := r.mustYield(0); got != s.must {
			t.Fatalf("after %q (%d runnable, woken %v): mustYield %v, want %v", s.what, r.threads, r.woken, got, s.must)
		}
	}
}

// TestBlockPairs: block and unblock keep the core's count (and a
// thread's start and end, as run does) balanced.
func TestBlockPairs(t *testing.T) {
	saved := core
	defer func() { core = saved }()
	core = runnable{}
	p := &Process{PID: 1, nextTID: 1, threads: map[int]*Thread{}}
	a := p.newThread(ring0.UserRegs{}, ring0.NewUserFPU())
	b := p.newThread(ring0.UserRegs{}, ring0.NewUserFPU())
	core.add(2) // as Start does for each
	a.block()
	if core.threads != 1 || core.mustYield(0) {
		t.Fatalf("one of two blocked: %d runnable, mustYield %v; want 1, false", core.threads, core.mustYield(0))
	}
	b.Woke()
	b.Yield() // goes through the scheduler: a wake is pending
	if core.woken {
		t.Fatal("a yield through the scheduler left the wake pending")
	}
	a.unblock()
	if core.threads != 2 || !core.mustYield(0) {
		t.Fatalf("both runnable: %d runnable, mustYield %v; want 2, true", core.threads, core.mustYield(0))
	}
	if a.clockFrom == 0 {
		t.Error("unblock did not start the thread's clock again")
	}
}

// TestTimedWaits: a blocked thread whose wait times out makes a yield
// go through the scheduler once its timeout has come, and not before;
// the earliest of several counts, and a thread that resumes is
// forgotten.
func TestTimedWaits(t *testing.T) {
	var r runnable
	p := &Process{PID: 1, nextTID: 1, threads: map[int]*Thread{}}
	a := p.newThread(ring0.UserRegs{}, ring0.NewUserFPU())
	b := p.newThread(ring0.UserRegs{}, ring0.NewUserFPU())
	r.add(1) // the yielding thread; a and b are blocked
	r.timeout(a, 300)
	r.timeout(b, 200)
	for _, c := range []struct {
		now  int64
		must bool
	}{{100, false}, {199, false}, {200, true}, {250, true}} {
		if got := r.mustYield(c.now); got != c.must {
			t.Errorf("timeouts at 300 and 200, now %d: mustYield %v, want %v", c.now, got, c.must)
		}
	}
	r.untimed(b) // b woke (at its timeout, or early)
	if r.mustYield(250) || !r.mustYield(300) {
		t.Errorf("a's timeout at 300 alone: mustYield(250) %v, mustYield(300) %v; want false, true", r.mustYield(250), r.mustYield(300))
	}
	r.untimed(a)
	if r.due != 0 || len(r.timed) != 0 || r.mustYield(1<<62) || a.wakeAt != 0 || b.wakeAt != 0 {
		t.Errorf("both resumed: due %d, %d timed, wakeAt %d %d; want none", r.due, len(r.timed), a.wakeAt, b.wakeAt)
	}
}
