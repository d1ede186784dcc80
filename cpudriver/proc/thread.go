package proc

import (
	"fmt"
	"runtime"
	"sync/atomic"

	"golang.org/x/arch/x86/x86asm"

	"multikernel/cpudriver/devices"
	"multikernel/cpudriver/memory"
	"multikernel/cpudriver/notify"
	"multikernel/cpudriver/random"
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
	pending  uint64 // signals sent to this thread, not yet delivered; guarded by proc.mu
	altstack [3]uint64

	// attn is set (under proc.mu) when the thread's loop must look at the
	// process before it enters ring 3 again: a signal is pending or the
	// process is exiting. Cleared by the loop once neither holds, so that
	// the common entry takes no lock.
	attn atomic.Bool

	// cpuCycles is the thread's CPU time in TSC cycles (cputime.go):
	// added to only by its own goroutine, read by any of the process's.
	// clockFrom is the TSC at which the span it is running now began, 0
	// while it waits (cputime.go); written only by its own goroutine.
	cpuCycles atomic.Uint64
	clockFrom uint64

	// wakeAt is when the timeout of the wait the thread is blocked in
	// ends (ring0.Nanotime), 0 if none (yield.go); written only by its
	// own goroutine.
	wakeAt int64
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
	t.startClock()
	defer t.stopClock() // before threadDone reads cpuCycles
	defer core.add(-1)  // runnable from Start (yield.go) to its end
	for {
		if t.attn.Load() {
			p.mu.Lock()
			exiting := p.exiting
			sig := t.takePendingLocked()
			if !exiting && t.pending == 0 {
				t.attn.Store(false)
			}
			p.mu.Unlock()
			if exiting {
				return
			}
			if sig != 0 && !t.deliver(sig, siTkill, 0) {
				t.kill("signal %d with no handler", sig)
				return
			}
		}
		ring0.Run(&t.regs, t.fpu)
		switch tr := t.regs.Trap; {
		case tr == ring0.TrapSyscall:
			// The general system-call path (syscall.go), written out
			// here rather than in a function of its own: under
			// emulation every call and return costs a look-up of the
			// next translated block.
			r := &t.regs
			h := handlerOf(r.AX)
			if h.call == nil {
				if t.ownCall(r.AX) {
					return
				}
				continue
			}
			a := [6]uint64{r.DI, r.SI, r.DX, r.R10, r.R8, r.R9}
			if h.waits {
				t.block() // its CPU time stops, and it is not runnable (cputime.go, yield.go)
			}
			ret := h.call(t, a)
			if h.waits {
				t.unblock()
			}
			if Trace {
				t.trace(r.AX, a, ret)
			}
			r.AX = uint64(ret)
		case tr == vecPageFault:
			write := t.regs.ErrCode&2 != 0
			exec := t.regs.ErrCode&16 != 0
			p.mu.Lock()
			ok, err := p.space.Fault(t.regs.CR2, write, exec)
			p.mu.Unlock()
			if err == memory.ErrNeedMemory {
				t.block() // a wait for memory is not counted
				p.grow()
				t.unblock()
				continue // the instruction faults again, and finds memory
			}
			if err == memory.ErrNoMemory {
				t.kill("out of memory at %#x: its core's RAM capabilities are full, and the memory service had none", t.regs.CR2)
				return
			}
			if Trace {
				p.Logf("tid %d: page fault at %#x (%s) rip %#x: %v", t.TID, t.regs.CR2, faultKind(t.regs.ErrCode), t.regs.IP, ok)
			}
			if !ok && !t.signal(t.regs.CR2) {
				t.kill("page fault at %#x (%s) at rip %#x: %s", t.regs.CR2, faultKind(t.regs.ErrCode), t.regs.IP, t.instruction())
				return
			}
		case tr == ring0.NotifyVector:
			// A notification for this core's URPC receivers: wake them,
			// then let them run.
			random.AddInterrupt(t.stopClock())
			notify.Core.Ring()
			runtime.Gosched()
			t.startClock()
		case ring0.IsDeviceVector(tr):
			// A device's interrupt line: wake its driver, then let it run.
			random.AddInterrupt(t.stopClock())
			devices.RingLine(int(tr - ring0.DeviceVectorBase))
			runtime.Gosched()
			t.startClock()
		case tr >= 32:
			// The time slice ended (or another interrupt): let the other
			// goroutines of this core run.
			random.AddInterrupt(t.stopClock())
			runtime.Gosched()
			t.startClock()
		default:
			if !t.signal(0) {
				t.kill("%s (vector %d, error %#x) at rip %#x: %s", vectorName(tr), tr, t.regs.ErrCode, t.regs.IP, t.instruction())
				return
			}
		}
	}
}

// signal delivers the signal for the thread's fault (addr: the faulting
// address, for SIGSEGV) to its handler; false if it has none.
func (t *Thread) signal(addr uint64) bool {
	sig, code := faultSignal(t.regs.Trap, t.regs.ErrCode)
	ok := t.deliver(sig, code, addr)
	if Trace {
		t.proc.Logf("tid %d: signal %d (code %d, addr %#x) at rip %#x: delivered %v", t.TID, sig, code, addr, t.regs.IP, ok)
	}
	return ok
}

// kill ends the process because of this thread's fault; Wait reports
// the reason.
func (t *Thread) kill(format string, args ...any) {
	t.proc.exit(128+11, fmt.Sprintf("tid %d: ", t.TID)+fmt.Sprintf(format, args...))
}

// instruction decodes the instruction at the thread's RIP.
func (t *Thread) instruction() string {
	var code [16]byte
	n := 0
	for ; n < len(code); n++ {
		if t.proc.CopyIn(t.regs.IP+uint64(n), code[n:n+1]) != nil {
			break
		}
	}
	if n == 0 {
		return "instruction not readable"
	}
	inst, err := x86asm.Decode(code[:n], 64)
	if err != nil {
		return fmt.Sprintf("undecodable bytes % x", code[:n])
	}
	return x86asm.GoSyntax(inst, t.regs.IP, nil)
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

// Proc returns the thread's process.
func (t *Thread) Proc() *Process { return t.proc }

// Regs returns the thread's user registers, as ring 3 left them. Only
// the thread's own goroutine (its system calls) may use them; a value
// put in one is checked before it reaches a register (ring0.Run checks
// RIP and RSP; arch_prctl and clone check the FS base).
func (t *Thread) Regs() *ring0.UserRegs { return &t.regs }

// CopyIn reads len(b) bytes of the process's memory at va (Process.CopyIn).
func (t *Thread) CopyIn(va uint64, b []byte) error { return t.proc.CopyIn(va, b) }

// CopyOut writes b to the process's memory at va (Process.CopyOut).
func (t *Thread) CopyOut(va uint64, b []byte) error { return t.proc.CopyOut(va, b) }

// Spawn makes a new thread of t's process with registers r, t's FPU
// state and signal mask, or returns nil at RLIMIT_NPROC. It runs once
// Start is called.
func (t *Thread) Spawn(r ring0.UserRegs) *Thread {
	ring0.SyncFPU(t.fpu) // the x87 state may still be in the FPU only
	fpu := *t.fpu
	c := t.proc.newThread(r, &fpu)
	if c != nil {
		c.sigmask = t.sigmask
	}
	return c
}

// SetClearTID sets the CLONE_CHILD_CLEARTID address: at the thread's
// exit the word there is zeroed and a futex waiter on it woken. Only
// before Start.
func (t *Thread) SetClearTID(va uint64) { t.clearTID = va }

// Start runs the thread; it counts as runnable from here (yield.go).
func (t *Thread) Start() {
	core.add(1)
	go t.run()
}
