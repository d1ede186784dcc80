package proc

import (
	"fmt"
	"math/bits"
	"multikernel/cpudriver/trace"
	"runtime"
	"sync/atomic"

	"golang.org/x/arch/x86/x86asm"

	"multikernel/cpudriver/devices"
	"multikernel/cpudriver/kpi"
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

	// A spanning program's thread (span.go): affinity is the cores it
	// may run on; onReplica, that it runs on a core other than the
	// program's home, whose calls go home (span_calls.go); moveTo, the
	// core+1 it is to move to before it next enters ring 3, and moved,
	// that it went (its goroutine here is ending without ending it; a
	// signal or mask for it goes to its new core). Only its own goroutine
	// uses them, but moved (the process's lock).
	affinity  uint64
	onReplica bool
	moveTo    int
	moved     bool

	// proxy: the thread is the home core's stand-in for another core's
	// thread proxyCore, whose calls it runs; it never runs itself.
	proxy     bool
	proxyCore int
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
	if p.span != nil {
		defer p.span.countThreads(-1)
	}
	trace.Add(trace.Switch, uint16(t.TID), uint32(p.PID))
	for {
		if t.attn.Load() {
			p.mu.Lock()
			exiting := p.exiting
			sig := t.takePendingLocked()
			if !exiting && t.pending == 0 && t.moveTo == 0 {
				t.attn.Store(false)
			}
			p.mu.Unlock()
			if exiting {
				return
			}
			if t.moveTo != 0 && t.move() {
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
			nr := uint16(r.AX)
			trace.Add(trace.SysEnter, nr, 0)
			if t.onReplica && (r.AX >= maxLinux && !rangeLocal(r.AX) || r.AX < maxLinux && !replicaLocal[r.AX]) {
				t.remoteSyscall() // the home core runs it (span_calls.go)
				continue
			}
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
			trace.Add(trace.SysExit, nr, uint32(ret))
		case tr == vecPageFault:
			trace.Add(trace.Fault, uint16(t.regs.ErrCode>>1&1|t.regs.ErrCode>>3&2), uint32(t.regs.CR2>>12))
			if t.onReplica {
				if !t.spanFault() {
					return
				}
				continue
			}
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
			notify.Take()
			runtime.Gosched()
			t.startClock()
			trace.Add(trace.Switch, uint16(t.TID), uint32(p.PID))
		case ring0.IsDeviceVector(tr):
			// A device's interrupt line: wake its driver, then let it run.
			random.AddInterrupt(t.stopClock())
			devices.RingLine(int(tr - ring0.DeviceVectorBase))
			runtime.Gosched()
			t.startClock()
			trace.Add(trace.Switch, uint16(t.TID), uint32(p.PID))
		case tr >= 32:
			// The time slice ended (or another interrupt): let the other
			// goroutines of this core run.
			random.AddInterrupt(t.stopClock())
			runtime.Gosched()
			t.startClock()
			trace.Add(trace.Switch, uint16(t.TID), uint32(p.PID))
		default:
			if !t.signal(0) {
				t.kill("%s (vector %d, error %#x) at rip %#x: %s", vectorName(tr), tr, t.regs.ErrCode, t.regs.IP, t.instruction())
				return
			}
		}
	}
}

// spanFault handles a page fault of a replica's thread (replicaFault),
// and reports whether the thread goes on.
func (t *Thread) spanFault() bool {
	switch t.replicaFault(t.regs.CR2, t.regs.ErrCode) {
	case faultMapped:
		return true
	case -kpi.ENOMEM:
		t.kill("out of memory at %#x", t.regs.CR2)
		return false
	}
	if !t.signal(t.regs.CR2) {
		t.kill("page fault at %#x (%s) at rip %#x: %s", t.regs.CR2, faultKind(t.regs.ErrCode), t.regs.IP, t.instruction())
		return false
	}
	return true
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
func (t *Thread) CopyIn(va uint64, b []byte) error { return t.proc.copyUserBy(t, va, b, false) }

// CopyOut writes b to the process's memory at va (Process.CopyOut).
func (t *Thread) CopyOut(va uint64, b []byte) error { return t.proc.copyUserBy(t, va, b, true) }

// Output writes b to the console for the thread, under the core it
// runs on (a proxy's: the core of the thread it stands for).
func (t *Thread) Output(b []byte) {
	if t.proxy {
		t.proc.outputFrom(t.proxyCore, b)
		return
	}
	t.proc.Output(b)
}

// Core returns the core the thread runs on.
func (t *Thread) Core() int {
	if t.proxy {
		return t.proxyCore
	}
	return ring0.Core().Index
}

// Affinity returns the cores the thread may run on (sched_getaffinity):
// a spanning program's thread's own set, else this core.
func (t *Thread) Affinity() uint64 {
	if t.affinity != 0 {
		return t.affinity
	}
	return 1 << t.Core()
}

// SetThreadAffinity is sched_setaffinity of another thread, tid, of a
// spanning program (mask already checked to be within the program's): it
// sets the thread's cores and, when its core is not among them, has it
// move to the first of them before it next enters ring 3. A thread on
// another core is set there (SpanAffinity, waiting for the answer). It
// reports false when tid is no thread of the program. The caller holds
// no lock.
func (p *Process) SetThreadAffinity(tid int, mask uint64) bool {
	if mask == 0 {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.threads[tid]
	if (t == nil || t.moved) && p.span != nil {
		p.mu.Unlock()
		defer p.mu.Lock()
		return p.affinityRemote(tid, mask) // its core sets it (or passes it on)
	}
	if t == nil || t.proxy {
		return false
	}
	if mask != 1<<ring0.Core().Index {
		t.endDedication()
	}
	t.affinity = mask
	if mask&(1<<ring0.Core().Index) == 0 {
		t.moveTo = bits.TrailingZeros64(mask) + 1
		t.attn.Store(true)
	}
	return true
}

// SetAffinity sets the cores a spanning program's thread may run on
// (mask, already checked to be within the program's); the caller moves
// it (MoveTo) if its core is not among them. A thread that held its core
// as dedicated gives it back unless mask is that core alone.
func (t *Thread) SetAffinity(mask uint64) {
	if mask != 1<<ring0.Core().Index {
		t.endDedication()
	}
	t.affinity = mask
}

// Spawn makes a new thread of t's process with registers r, t's FPU
// state and signal mask, or returns nil at RLIMIT_NPROC. It runs once
// Start is called.
func (t *Thread) Spawn(r ring0.UserRegs) *Thread {
	ring0.SyncFPU(t.fpu) // the x87 state may still be in the FPU only
	fpu := *t.fpu
	c := t.proc.newThread(r, &fpu)
	if c != nil {
		c.sigmask = t.sigmask
		if t.affinity != 0 {
			c.affinity = t.affinity
		}
	}
	return c
}

// SetClearTID sets the CLONE_CHILD_CLEARTID address: at the thread's
// exit the word there is zeroed and a futex waiter on it woken. Only
// before Start.
func (t *Thread) SetClearTID(va uint64) { t.clearTID = va }

// Start runs the thread; it counts as runnable from here (yield.go). A
// thread of a spanning program that starts on a core dedicated to
// another of its threads leaves it first (span_dedicate.go).
func (t *Thread) Start() {
	core.add(1)
	if st := t.proc.span; st != nil {
		st.countThreads(1)
		if d := st.dedicated.Load(); d != nil && d != t {
			t.proc.mu.Lock()
			t.leaveDedicatedLocked()
			t.proc.mu.Unlock()
		}
	}
	go t.run()
}
