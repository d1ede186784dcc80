package proc

import (
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/linuxabi"
	"multikernel/cpudriver/ring0"
)

// CPU time (CLOCK_THREAD_CPUTIME_ID, CLOCK_PROCESS_CPUTIME_ID): a
// thread's time in ring 3, measured with the TSC around ring0.Run, plus
// the CPU driver's time on its system calls and page faults, except on
// the calls that may wait (waitingCall: a wait is no CPU time, and the
// core runs other threads meanwhile). A time slice that ends in ring 3
// counts up to the trap; the time other goroutines then run is theirs. A
// process's time is its threads', those that ended included.

// waitingCall reports whether system call nr may wait, so that its
// duration is not the thread's CPU time.
func waitingCall(nr uint64) bool {
	switch nr {
	case linuxabi.SysFutex, linuxabi.SysNanosleep, linuxabi.SysEpollPwait, linuxabi.SysRead,
		linuxabi.SysWrite, linuxabi.SysSchedYield, linuxabi.SysExit, linuxabi.SysExitGroup,
		kpi.SysWait, kpi.SysCapReceive, kpi.SysCapIRQ, kpi.SysMemAlloc, kpi.SysConnect,
		kpi.SysCapRetype, kpi.SysCapDelete, kpi.SysCapRevoke, kpi.SysCapSend:
		return true // may wait for another thread, a device, a monitor or time
	}
	return false
}

// charge adds cycles of this core's TSC to the thread's CPU time. Only
// the thread's own goroutine calls it.
func (t *Thread) charge(cycles uint64) { t.cpuCycles.Add(cycles) }

// CPUTime returns the thread's CPU time in nanoseconds.
func (t *Thread) CPUTime() int64 { return ring0.CyclesToNs(t.cpuCycles.Load()) }

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
		c += t.cpuCycles.Load()
	}
	return c
}
