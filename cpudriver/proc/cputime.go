package proc

import (
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/linuxabi"
	"multikernel/cpudriver/ring0"
)

// CPU time (CLOCK_THREAD_CPUTIME_ID, CLOCK_PROCESS_CPUTIME_ID): a
// thread's time in ring 3 plus the CPU driver's time on its system calls
// and page faults, except on the calls that may wait (waitingCall: a wait
// is no CPU time, and the core runs other threads meanwhile) and where a
// read or write waits (WaitOn: a pipe, the console's input). A time
// slice that ends in ring 3 counts up to the trap; the time other
// goroutines then run is theirs. A process's time is its threads', those
// that ended included.
//
// The TSC is read only where the thread stops running (stopClock: before
// a call that may wait, at an interrupt, before waiting for memory, at
// its end) and starts again (startClock): a span runs on across ring 3,
// system calls and faults that do not wait, so such a call reads no TSC
// (under emulation each read is a costly helper call). cpuCycles holds
// the spans that ended, clockFrom the start of the running one (0 when
// none); both are written only by the thread's own goroutine, and other
// goroutines of the core read them while it is not running. clockFrom is
// a plain word: the goroutines of a core never run at once (GOMAXPROCS
// 1, no asynchronous preemption), and under emulation an atomic store is
// a costly helper call.

// waitingCall reports whether system call nr may wait, so that its
// duration is not the thread's CPU time. read and write are not among
// them: they stop the clock where they wait (WaitOn), so that one that
// does not wait reads no TSC; nor is sched_yield, which returns at once
// when no other thread is runnable and stops the clock where it lets
// others run (Yield).
func waitingCall(nr uint64) bool {
	switch nr {
	case linuxabi.SysFutex, linuxabi.SysNanosleep, linuxabi.SysEpollPwait,
		linuxabi.SysExit, linuxabi.SysExitGroup,
		kpi.SysWait, kpi.SysCapReceive, kpi.SysCapIRQ, kpi.SysMemAlloc, kpi.SysConnect,
		kpi.SysCapRetype, kpi.SysCapDelete, kpi.SysCapRevoke, kpi.SysCapSend:
		return true // may wait for another thread, a device, a monitor or time
	}
	return false
}

// startClock starts a span of the thread's CPU time; stopClock ends it,
// adds it to cpuCycles and returns the TSC it read (0 if no span ran).
// Only the thread's own goroutine calls them.
func (t *Thread) startClock() { t.clockFrom = ring0.Rdtsc() }

func (t *Thread) stopClock() uint64 {
	from := t.clockFrom
	if from == 0 {
		return 0
	}
	now := ring0.Rdtsc()
	t.charge(now - from)
	t.clockFrom = 0
	return now
}

// WaitOn waits, blocked (its CPU time stopped, not runnable: yield.go),
// until ch is ready (true) or the process begins to exit (false): how a
// call that does not always wait (read, write) waits. Only the thread's
// own goroutine calls it.
func (t *Thread) WaitOn(ch <-chan struct{}) bool {
	t.block()
	defer t.unblock()
	select {
	case <-ch:
		return true
	case <-t.proc.dying:
		return false
	}
}

// cycles returns the thread's CPU time in TSC cycles, its running span
// included.
func (t *Thread) cycles() uint64 {
	c := t.cpuCycles.Load()
	if from := t.clockFrom; from != 0 {
		c += ring0.Rdtsc() - from
	}
	return c
}

// charge adds cycles of this core's TSC to the thread's CPU time. Only
// the thread's own goroutine calls it.
func (t *Thread) charge(cycles uint64) { t.cpuCycles.Add(cycles) }

// CPUTime returns the thread's CPU time in nanoseconds.
func (t *Thread) CPUTime() int64 { return ring0.CyclesToNs(t.cycles()) }

// CPUTime returns the CPU time of the process's threads, those that
// ended included, in nanoseconds.
func (p *Process) CPUTime() int64 { return ring0.CyclesToNs(p.cpuCycles()) }

// cpuCycles returns the process's CPU time in TSC cycles: its threads'
// and what the ended ones used.
func (p *Process) cpuCycles() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.cpuEnded
	for _, t := range p.threads {
		c += t.cycles()
	}
	return c
}
