package proc

import (
	"runtime"

	"multikernel/cpudriver/ring0"
)

// Thread is one thread of a process: a goroutine of the CPU driver that
// runs it in ring 3 and handles its traps.
type Thread struct {
	proc *Process
	TID  int
	regs ring0.UserRegs
	fpu  *ring0.UserFPU

	clearTID uint64 // CLONE_CHILD_CLEARTID address, woken at exit
	sigmask  uint64
	altstack [3]uint64
}

// Trap vectors handled here.
const (
	vecDivide     = 0
	vecBreakpoint = 3
	vecInvalidOp  = 6
	vecGP         = 13
	vecPageFault  = 14
)

// run is the thread's goroutine: enter ring 3, handle the trap, repeat.
func (t *Thread) run() {
	p := t.proc
	defer p.threadDone(t)
	for {
		p.mu.Lock()
		exiting := p.exiting
		p.mu.Unlock()
		if exiting {
			return
		}
		ring0.Run(&t.regs, t.fpu)
		switch tr := t.regs.Trap; {
		case tr == ring0.TrapSyscall:
			if t.syscall() {
				return
			}
		case tr == vecPageFault:
			write := t.regs.ErrCode&2 != 0
			exec := t.regs.ErrCode&16 != 0
			p.mu.Lock()
			ok := p.space.fault(t.regs.CR2, write, exec)
			p.mu.Unlock()
			if !ok {
				t.kill("page fault at %#x (%s) from rip %#x", t.regs.CR2, faultKind(t.regs.ErrCode), t.regs.IP)
				return
			}
		case tr >= 32:
			// The time slice ended (or another interrupt): let the other
			// goroutines of this core run.
			runtime.Gosched()
		default:
			t.kill("%s (vector %d, error %#x) at rip %#x", vectorName(tr), tr, t.regs.ErrCode, t.regs.IP)
			return
		}
	}
}

// kill ends the process because of this thread's fault.
func (t *Thread) kill(format string, args ...any) {
	p := t.proc
	p.logf("killed: "+format, args...)
	p.exit(128+11, "killed")
}

func faultKind(e uint64) string {
	s := "read"
	if e&2 != 0 {
		s = "write"
	}
	if e&16 != 0 {
		s = "instruction fetch"
	}
	if e&1 != 0 {
		s += ", protection"
	} else {
		s += ", not mapped"
	}
	return s
}

func vectorName(v uint64) string {
	switch v {
	case vecDivide:
		return "divide error"
	case vecBreakpoint:
		return "breakpoint"
	case vecInvalidOp:
		return "invalid opcode"
	case vecGP:
		return "general protection fault"
	}
	return "exception"
}
