package proc

import (
	"encoding/binary"

	"multikernel/cpudriver/ring0"
)

// Synchronous signals: a fault in a program that installed a handler
// (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP) is delivered the way Linux
// delivers it, so that Go's runtime turns a nil dereference into a panic
// the program can recover from. The frame on the user stack is Linux's
// x86-64 rt_sigframe (arch/x86/include/asm/sigframe.h, uapi sigcontext.h):
//
//	sp+0    return address (sa_restorer)
//	sp+8    ucontext: uc_flags, uc_link, uc_stack (24 bytes),
//	        uc_mcontext (struct sigcontext, 256 bytes), uc_sigmask
//	+...    siginfo (128 bytes)
//	above   the FXSAVE image the sigcontext's fpstate points to
//
// rt_sigreturn reads the (possibly edited) ucontext back.

// Signal numbers and codes.
const (
	sigILL  = 4
	sigTRAP = 5
	sigBUS  = 7
	sigFPE  = 8
	sigSEGV = 11

	segvMapErr = 1
	segvAccErr = 2
	fpeIntDiv  = 1
	illIllOpn  = 2
	siKernel   = 0x80
	siTkill    = -6

	saOnstack  = 0x08000000
	saRestorer = 0x04000000
	saNodefer  = 0x40000000

	ssOnstack = 1
	ssDisable = 2
)

// Frame offsets.
const (
	ucFlags    = 0
	ucStack    = 16
	ucMcontext = 40
	ucSigmask  = ucMcontext + 256
	ucSize     = ucSigmask + 8 + 128 // room for glibc's larger sigset
	siginfoLen = 128
	fxLen      = 512
)

// sigcontext register order (struct sigcontext, x86-64).
func sigcontextRegs(r *ring0.UserRegs) []*uint64 {
	return []*uint64{&r.R8, &r.R9, &r.R10, &r.R11, &r.R12, &r.R13, &r.R14, &r.R15,
		&r.DI, &r.SI, &r.BP, &r.BX, &r.DX, &r.AX, &r.CX, &r.SP, &r.IP, &r.FLAGS}
}

// action returns the recorded sigaction of sig: handler, flags, restorer
// and mask.
func (p *Process) action(sig int) (handler, flags, restorer, mask uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	a := p.sigactions[sig]
	le := binary.LittleEndian
	return le.Uint64(a[0:]), le.Uint64(a[8:]), le.Uint64(a[16:]), le.Uint64(a[24:])
}

// deliver sets the thread up to run the handler of sig, as if the fault
// had called it. It reports false when the signal cannot be delivered
// (default or ignored disposition, blocked, no restorer, or the frame
// cannot be written), in which case the process must die.
func (t *Thread) deliver(sig, code int, addr uint64) bool {
	handler, flags, restorer, mask := t.proc.action(sig)
	if !handlerOK(handler, flags, restorer) || t.sigmask&(1<<(sig-1)) != 0 {
		return false
	}
	r := &t.regs
	sp := r.SP - 128 // the red zone
	onAlt := t.altstack[0] != 0 && r.SP > t.altstack[0] && r.SP <= t.altstack[0]+t.altstack[2]
	if flags&saOnstack != 0 && t.altstack[0] != 0 && !onAlt {
		sp = t.altstack[0] + t.altstack[2]
	}
	fx := (sp - fxLen) &^ 63
	info := (fx - siginfoLen) &^ 15
	uc := info - ucSize
	frame := (uc-8)&^15 - 8 // so that (frame+8) is 16-byte aligned, as after a call
	uc = frame + 8
	info = uc + ucSize

	b := make([]byte, uint64(len(t.fpu))+(fx-frame))
	le := binary.LittleEndian
	le.PutUint64(b[0:], restorer)
	u := b[8:]
	le.PutUint64(u[ucFlags:], 0)
	altFlags := uint64(ssDisable)
	if t.altstack[0] != 0 {
		altFlags = 0
		if onAlt {
			altFlags = ssOnstack
		}
	}
	le.PutUint64(u[ucStack:], t.altstack[0])
	le.PutUint32(u[ucStack+8:], uint32(altFlags))
	le.PutUint64(u[ucStack+16:], t.altstack[2])
	mc := u[ucMcontext:]
	for i, p := range sigcontextRegs(r) {
		le.PutUint64(mc[i*8:], *p)
	}
	le.PutUint16(mc[144:], 0x2B) // cs
	le.PutUint16(mc[150:], 0x23) // ss
	le.PutUint64(mc[152:], r.ErrCode)
	le.PutUint64(mc[160:], r.Trap)
	le.PutUint64(mc[168:], t.sigmask)
	le.PutUint64(mc[176:], addr) // cr2
	le.PutUint64(mc[184:], fx)   // fpstate
	le.PutUint64(u[ucSigmask:], t.sigmask)
	si := b[info-frame:]
	le.PutUint32(si[0:], uint32(sig))
	le.PutUint32(si[8:], uint32(code))
	le.PutUint64(si[16:], addr)
	ring0.SyncFPU(t.fpu) // the x87 state may still be in the FPU only
	copy(b[fx-frame:], t.fpu[:])
	if t.CopyOut(frame, b) != nil {
		return false
	}
	if flags&saNodefer == 0 {
		mask |= 1 << (sig - 1)
	}
	t.sigmask |= mask
	r.SP = frame
	r.IP = handler
	r.DI = uint64(sig)
	r.SI = info
	r.DX = uc
	r.AX = 0
	r.FLAGS &^= 0x400 | 0x100 // DF and TF clear, as Linux does
	return true
}

// handlerOK reports whether a signal can be delivered to the recorded
// action: a handler (not SIG_DFL or SIG_IGN) and a restorer, both user
// addresses. A handler the thread could not run is a process that dies of
// the signal, as on Linux, where the return to a non-canonical address
// forces SIGSEGV; it is never an entry into ring 3 the CPU cannot make.
func handlerOK(handler, flags, restorer uint64) bool {
	return handler > 1 && flags&saRestorer != 0 && ring0.IsUserAddr(handler) && ring0.IsUserAddr(restorer)
}

// sigcontextIn returns the registers a signal frame's ucontext u restores
// over cur: the general registers, RIP, RSP and RFLAGS of its sigcontext
// (the FS base stays, as on Linux). ok is false if RIP or RSP is not a
// user address: the process dies of SIGSEGV, as Linux's return to user
// mode forces it. RFLAGS is limited to the bits a user may set when the
// thread enters ring 3 (ring0.Run).
func sigcontextIn(u []byte, cur ring0.UserRegs) (nr ring0.UserRegs, ok bool) {
	le := binary.LittleEndian
	mc := u[ucMcontext:]
	nr = cur
	for i, p := range sigcontextRegs(&nr) {
		*p = le.Uint64(mc[i*8:])
	}
	return nr, ring0.IsUserAddr(nr.IP) && ring0.IsUserAddr(nr.SP)
}

// sigreturn restores the thread from the ucontext at the user stack
// pointer (the handler returned into sa_restorer, which made the call).
func (t *Thread) sigreturn() bool {
	uc := t.regs.SP
	u := make([]byte, ucSize)
	if t.CopyIn(uc, u) != nil {
		return false
	}
	le := binary.LittleEndian
	mc := u[ucMcontext:]
	nr, ok := sigcontextIn(u, t.regs)
	if !ok {
		return false
	}
	if fx := le.Uint64(mc[184:]); fx != 0 {
		var f ring0.UserFPU
		if t.CopyIn(fx, f[:]) != nil {
			return false
		}
		f[26], f[27] = 0, 0  // MXCSR's reserved bits 16-31: FXRSTOR faults on them
		ring0.SyncFPU(t.fpu) // so that the next Run loads all of f
		*t.fpu = f
	}
	nr.Trap = t.regs.Trap
	t.regs = nr
	t.sigmask = le.Uint64(u[ucSigmask:]) &^ (1<<(9-1) | 1<<(19-1)) // never block SIGKILL, SIGSTOP
	return true
}

// faultSignal maps a trap to the signal Linux would send and its code.
func faultSignal(vector, errCode uint64) (sig, code int) {
	switch vector {
	case vecPageFault:
		if errCode&1 != 0 {
			return sigSEGV, segvAccErr
		}
		return sigSEGV, segvMapErr
	case vecDivide:
		return sigFPE, fpeIntDiv
	case vecInvalidOp:
		return sigILL, illIllOpn
	case vecBreakpoint:
		return sigTRAP, siKernel
	case 17: // alignment check
		return sigBUS, siKernel
	}
	return sigSEGV, siKernel // general protection and the rest
}

// takePendingLocked removes and returns the lowest pending signal that is
// not blocked, 0 if none. Caller holds proc.mu.
func (t *Thread) takePendingLocked() int {
	ready := t.pending &^ t.sigmask
	for sig := 1; sig <= 64; sig++ {
		if ready&(1<<(sig-1)) != 0 {
			t.pending &^= 1 << (sig - 1)
			return sig
		}
	}
	return 0
}

// Signal makes signal sig (1-64; 0 only checks) pending for the
// process's thread tid, which takes it before it next enters ring 3:
// false if there is no such thread.
func (p *Process) Signal(tid, sig int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	target := p.threads[tid]
	if target == nil || target.moved {
		if p.span != nil {
			p.mu.Unlock()
			defer p.mu.Lock()
			return p.signalRemote(tid, sig)
		}
		return false
	}
	if sig > 0 && sig <= 64 {
		target.pending |= 1 << (sig - 1)
		target.attn.Store(true)
	}
	return true
}

// SigAction returns the rt_sigaction structure recorded for sig (zero
// if none: SIG_DFL).
func (p *Process) SigAction(sig int) [32]byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sigactions[sig]
}

// SetSigAction records the rt_sigaction structure for sig and returns
// the one it replaces. Its handler and restorer are checked when a
// signal is delivered (handlerOK), not here.
func (p *Process) SetSigAction(sig int, a [32]byte) (old [32]byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.sigactions == nil {
		p.sigactions = map[int][32]byte{}
	}
	old = p.sigactions[sig]
	p.sigactions[sig] = a
	if p.span != nil && !p.span.replica {
		go p.shareSigAction(sig, a)
	}
	return old
}

// SigMask returns the thread's blocked signals. Only its own goroutine
// uses the mask.
func (t *Thread) SigMask() uint64 { return t.sigmask }

// SetSigMask sets the thread's blocked signals; SIGKILL and SIGSTOP are
// never blocked.
func (t *Thread) SetSigMask(m uint64) { t.sigmask = m &^ (1<<(9-1) | 1<<(19-1)) }

// AltStack returns the thread's signal stack: base, flags, size (base 0:
// none).
func (t *Thread) AltStack() [3]uint64 { return t.altstack }

// SetAltStack sets the thread's signal stack (sigaltstack); a base of 0
// disables it. The stack's addresses are only used to place a signal
// frame, which is copied out through the checked user copy.
func (t *Thread) SetAltStack(s [3]uint64) { t.altstack = s }
