package linux

import (
	"encoding/binary"
	"time"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/proc"
	"multikernel/cpudriver/ring0"
)

// Threads: clone for new threads of the process (the flags Go's runtime
// uses), the FS base, futexes, and what a thread learns of its core.

// clone(2) flags.
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

// clone makes a thread (a new process, without CLONE_VM and the rest, is
// ENOSYS: there is no fork yet).
func clone(t *proc.Thread, a [6]uint64) int64 {
	flags, stack, ptid, ctid, tls := a[0], a[1], a[2], a[3], a[4]
	const need = cloneVM | cloneFS | cloneFiles | cloneSighand | cloneThread
	if flags&need != need {
		return -kpi.ENOSYS
	}
	r, errno := cloneRegs(*t.Regs(), flags, stack, tls)
	if errno != 0 {
		return errno
	}
	if t.Proc().Spanning() {
		var setTID, clearTID uint64
		if flags&cloneChildSettid != 0 {
			setTID = ctid
		}
		if flags&cloneChildCleartid != 0 {
			clearTID = ctid
		}
		tid := t.SpanClone(r, setTID, clearTID)
		if tid > 0 && flags&cloneParentSettid != 0 {
			var b [4]byte
			binary.LittleEndian.PutUint32(b[:], uint32(tid))
			t.CopyOut(ptid, b[:])
		}
		return tid
	}
	c := t.Spawn(r)
	if c == nil {
		return -kpi.EAGAIN // as Linux at RLIMIT_NPROC
	}
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], uint32(c.TID))
	if flags&cloneParentSettid != 0 {
		t.CopyOut(ptid, b[:])
	}
	if flags&cloneChildSettid != 0 {
		t.CopyOut(ctid, b[:])
	}
	if flags&cloneChildCleartid != 0 {
		c.SetClearTID(ctid)
	}
	c.Start()
	return int64(c.TID)
}

// cloneRegs returns the new thread's registers: the caller's, with RAX 0,
// the given stack, and with CLONE_SETTLS the FS base tls, which must be a
// user address (EPERM otherwise, as Linux: it goes into an MSR on the way
// to ring 3, where a non-canonical value would fault in ring 0).
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

// archPrctl sets or reads the FS base; the GS base is the CPU driver's.
func archPrctl(t *proc.Thread, a [6]uint64) int64 {
	code, addr := int(a[0]), a[1]
	return archPrctlRegs(t.Regs(), code, addr, t.PutU64)
}

// archPrctlRegs is arch_prctl on the registers r; put writes a word to
// the caller's memory.
func archPrctlRegs(r *ring0.UserRegs, code int, addr uint64, put func(va, v uint64) error) int64 {
	switch code {
	case 0x1002: // ARCH_SET_FS
		if !ring0.IsUserAddr(addr) {
			return -kpi.EPERM // as Linux: the FS base goes into an MSR on the way to ring 3
		}
		r.FS = addr
		return 0
	case 0x1003: // ARCH_GET_FS
		if put(addr, r.FS) != nil {
			return -kpi.EFAULT
		}
		return 0
	}
	return -kpi.EINVAL
}

// schedYield lets the core's other goroutines (threads, the CPU
// driver's own) run, or returns at once when t is the core's only
// runnable thread (proc.Thread.Yield).
func schedYield(t *proc.Thread, _ [6]uint64) int64 {
	t.Yield()
	return 0
}

// futex is FUTEX_WAIT and FUTEX_WAKE (private or not: a process's
// futexes are its own); the other operations are ENOSYS.
func futex(t *proc.Thread, a [6]uint64) int64 {
	addr, op, val, timeout := a[0], int(a[1]), uint32(a[2]), a[3]
	if addr&3 != 0 && (op&^128 == 0 || op&^128 == 1) {
		return -kpi.EINVAL // a futex word is 4-byte aligned (futex(2))
	}
	switch op &^ 128 { // FUTEX_PRIVATE_FLAG
	case 0: // FUTEX_WAIT
		var d time.Duration
		if timeout != 0 {
			var e int64
			if d, e = timespec(t, timeout); e != 0 {
				return e
			}
			if d == 0 {
				d = 1
			}
			t.WaitUntil(d) // a yield on the core lets it run once d is over
		}
		load := func() (uint32, error) {
			var b [4]byte
			err := t.CopyIn(addr, b[:])
			return binary.LittleEndian.Uint32(b[:]), err
		}
		return t.FutexWait(addr, val, load, d)
	case 1: // FUTEX_WAKE
		n := t.FutexWake(addr, int(val))
		if n > 0 {
			t.Woke() // a yield next lets them run
		}
		return int64(n)
	}
	return -kpi.ENOSYS
}

// getcpu reports the core the thread runs on and its NUMA node.
func getcpu(t *proc.Thread, a [6]uint64) int64 {
	cpu, node := a[0], a[1]
	c := ring0.Core()
	var b [4]byte
	if cpu != 0 {
		binary.LittleEndian.PutUint32(b[:], uint32(c.Index))
		if t.CopyOut(cpu, b[:]) != nil {
			return -kpi.EFAULT
		}
	}
	if node != 0 {
		binary.LittleEndian.PutUint32(b[:], uint32(c.Node))
		if t.CopyOut(node, b[:]) != nil {
			return -kpi.EFAULT
		}
	}
	return 0
}
