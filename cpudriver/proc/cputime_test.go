package proc

import (
	"testing"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/linuxabi"
	"multikernel/cpudriver/ring0"
)

// TestProcessCPUTime: a process's CPU time is its live threads' plus
// what its ended threads used.
func TestProcessCPUTime(t *testing.T) {
	p := &Process{PID: 1, nextTID: 1, threads: map[int]*Thread{}}
	a := p.newThread(ring0.UserRegs{}, ring0.NewUserFPU())
	b := p.newThread(ring0.UserRegs{}, ring0.NewUserFPU())
	a.charge(1000)
	b.charge(250)
	b.charge(50)
	if got := p.cpuCycles(); got != 1300 {
		t.Fatalf("two threads: %d cycles, want 1300", got)
	}
	p.mu.Lock()
	delete(p.threads, b.TID)
	p.cpuEnded += b.cpuCycles.Load() // as threadDone does
	p.mu.Unlock()
	a.charge(1)
	if got := p.cpuCycles(); got != 1301 {
		t.Fatalf("after one ended: %d cycles, want 1301", got)
	}
}

// TestWaitingCalls: calls that may wait are not CPU time; the others are.
func TestWaitingCalls(t *testing.T) {
	for _, nr := range []uint64{linuxabi.SysFutex, linuxabi.SysNanosleep, linuxabi.SysEpollPwait, kpi.SysWait, kpi.SysCapReceive} {
		if !waitingCall(nr) {
			t.Errorf("call %d may wait, but counts as CPU time", nr)
		}
	}
	// sched_yield stops the clock only where it lets others run (Yield).
	for _, nr := range []uint64{linuxabi.SysSchedYield, linuxabi.SysGetpid, linuxabi.SysMmap, linuxabi.SysClockGettime, linuxabi.SysFcntl, kpi.SysCapIdentify} {
		if waitingCall(nr) {
			t.Errorf("call %d does not wait, but is not counted", nr)
		}
	}
}
