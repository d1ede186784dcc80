package proc

import (
	"encoding/binary"
	"runtime"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/linuxabi"
	"multikernel/cpudriver/ring0"
)

// Clone flags (linux/sched.h).
const (
	cloneVM            = 0x100
	cloneFS            = 0x200
	cloneFiles         = 0x400
	cloneSighand       = 0x800
	cloneThread        = 0x10000
	cloneSettls        = 0x80000
	cloneParentSettid  = 0x100000
	cloneChildCleartid = 0x200000
	cloneChildSettid   = 0x1000000
)

// clone starts a thread of the same process (the only kind supported: no
// fork yet, which answers ENOSYS).
func (t *Thread) clone(flags, stack, ptid, ctid, tls uint64) int64 {
	const need = cloneVM | cloneFS | cloneFiles | cloneSighand | cloneThread
	if flags&need != need {
		return -kpi.ENOSYS
	}
	r, errno := cloneRegs(t.regs, flags, stack, tls)
	if errno != 0 {
		return errno
	}
	ring0.SyncFPU(t.fpu) // the x87 state may still be in the FPU only
	fpu := *t.fpu
	c := t.proc.newThread(r, &fpu)
	if c == nil {
		return -kpi.EAGAIN // as Linux at RLIMIT_NPROC
	}
	c.sigmask = t.sigmask
	// The thread exists now: it must run (and end), or its process never
	// ends. A TID that cannot be written is no error, as on Linux.
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], uint32(c.TID))
	if flags&cloneParentSettid != 0 {
		t.copyOut(ptid, b[:])
	}
	if flags&cloneChildSettid != 0 {
		t.copyOut(ctid, b[:])
	}
	if flags&cloneChildCleartid != 0 {
		c.clearTID = ctid
	}
	go c.run()
	return int64(c.TID)
}

// cloneRegs returns the registers a new thread starts with: the
// caller's, with RAX 0, the new stack if one is given and, with
// CLONE_SETTLS, the FS base tls, which must be a user address (EPERM, as
// Linux's arch_prctl check refuses it). A stack that is not one is
// refused when the thread first enters ring 3 (ring0.Run): the child
// faults, as on Linux.
func cloneRegs(r ring0.UserRegs, flags, stack, tls uint64) (ring0.UserRegs, int64) {
	if flags&cloneSettls != 0 {
		if !ring0.IsUserAddr(tls) {
			return r, -kpi.EPERM
		}
		r.FS = tls
	}
	r.AX = 0
	if stack != 0 {
		r.SP = stack
	}
	return r, 0
}

// exitThread ends this thread (exit): CLONE_CHILD_CLEARTID is honoured.
func (t *Thread) exitThread() {
	if t.clearTID != 0 {
		var zero [4]byte
		if t.copyOut(t.clearTID, zero[:]) == nil {
			t.proc.futexes.wake(t.clearTID, 1)
		}
	}
}

func (t *Thread) archPrctl(code int, addr uint64) int64 {
	switch code {
	case 0x1002: // ARCH_SET_FS
		if !ring0.IsUserAddr(addr) {
			return -kpi.EPERM // as Linux: the FS base goes into an MSR on the way to ring 3
		}
		t.regs.FS = addr
		return 0
	case 0x1003: // ARCH_GET_FS
		if t.putU64(addr, t.regs.FS) != nil {
			return -kpi.EFAULT
		}
		return 0
	}
	return -kpi.EINVAL
}

// Signals: handlers, masks and alternate stacks are recorded and reported
// back as Linux would; a fault with a handler, and a signal sent with
// tgkill, is delivered in Linux's signal frame on the next entry to ring 3
// (signal.go); without a handler the process ends.
func (t *Thread) sigaction(sig int, act, old, size uint64) int64 {
	if sig < 1 || sig > 64 || size != 8 || sig == 9 || sig == 19 {
		return -kpi.EINVAL
	}
	p := t.proc
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.sigactions == nil {
		p.sigactions = map[int][32]byte{}
	}
	if old != 0 {
		cur := p.sigactions[sig]
		if p.space.copyOut(old, cur[:]) != nil {
			return -kpi.EFAULT
		}
	}
	if act != 0 {
		var a [32]byte
		if p.space.copyIn(act, a[:]) != nil {
			return -kpi.EFAULT
		}
		p.sigactions[sig] = a
	}
	return 0
}

func (t *Thread) sigprocmask(how int, set, old, size uint64) int64 {
	if size != 8 {
		return -kpi.EINVAL
	}
	if old != 0 && t.putU64(old, t.sigmask) != nil {
		return -kpi.EFAULT
	}
	if set != 0 {
		s, err := t.getU64(set)
		if err != nil {
			return -kpi.EFAULT
		}
		m, ok := linuxabi.Sigmask(how, t.sigmask, s)
		if !ok {
			return -kpi.EINVAL
		}
		t.sigmask = m
	}
	return 0
}

func (t *Thread) sigaltstack(ss, old uint64) int64 {
	if old != 0 {
		var b [24]byte
		flags := t.altstack[1]
		if t.altstack[0] == 0 {
			flags = 2 // SS_DISABLE
		}
		binary.LittleEndian.PutUint64(b[0:], t.altstack[0])
		binary.LittleEndian.PutUint32(b[8:], uint32(flags))
		binary.LittleEndian.PutUint64(b[16:], t.altstack[2])
		if t.copyOut(old, b[:]) != nil {
			return -kpi.EFAULT
		}
	}
	if ss != 0 {
		var b [24]byte
		if t.copyIn(ss, b[:]) != nil {
			return -kpi.EFAULT
		}
		flags := uint64(binary.LittleEndian.Uint32(b[8:]))
		if flags&2 != 0 {
			t.altstack = [3]uint64{}
		} else {
			t.altstack = [3]uint64{binary.LittleEndian.Uint64(b[0:]), flags, binary.LittleEndian.Uint64(b[16:])}
		}
	}
	return 0
}

// getaffinity reports one CPU: a process runs on its own core.
func (t *Thread) getaffinity(size, mask uint64) int64 {
	if size < 8 {
		return -kpi.EINVAL
	}
	if t.putU64(mask, 1) != nil {
		return -kpi.EFAULT
	}
	return 8
}

func yieldNow() { runtime.Gosched() }

// uname fills struct utsname (6 fields of 65 bytes).
func (t *Thread) uname(buf uint64) int64 {
	var u [6 * 65]byte
	for i, s := range []string{"Linux", "multikernel", "6.1.0-multikernel", "#1 multikernel", "x86_64", "(none)"} {
		copy(u[i*65:], s)
	}
	if t.copyOut(buf, u[:]) != nil {
		return -kpi.EFAULT
	}
	return 0
}

// getrandom fills buf from a per-core ChaCha8 generator seeded at boot
// from the TSC and the AT_RANDOM bytes the loader passed the CPU driver
// (family 10h CPUs have no RDRAND): fine for hashing and simulation, not a
// source of cryptographic keys.
// getrandom is getrandom(buf, n, flags): GRND_NONBLOCK, GRND_RANDOM and
// GRND_INSECURE are accepted (the generator never blocks: it is keyed
// before the first program starts); other flags are EINVAL.
func (t *Thread) getrandom(buf, n, flags uint64) int64 {
	if flags&^7 != 0 || flags&6 == 6 {
		return -kpi.EINVAL // as Linux: an unknown flag, or RANDOM with INSECURE
	}
	if n > 1<<20 {
		n = 1 << 20
	}
	b := make([]byte, n)
	fillRandom(b)
	if t.copyOut(buf, b) != nil {
		return -kpi.EFAULT
	}
	return int64(n)
}
