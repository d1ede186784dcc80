package linux

import (
	"encoding/binary"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/linuxabi"
	"multikernel/cpudriver/proc"
)

// Signals: handlers, masks and alternate stacks are recorded and reported
// back as Linux would; a fault with a handler, and a signal sent with
// tgkill, is delivered in Linux's signal frame on the next entry to ring 3
// (proc's signal.go); without a handler the process ends.

// sigaction records the struct sigaction (handler, flags, restorer,
// mask: 32 bytes) for sig; SIGKILL and SIGSTOP cannot be caught.
func sigaction(t *proc.Thread, a [6]uint64) int64 {
	sig, act, old, size := int(a[0]), a[1], a[2], a[3]
	if sig < 1 || sig > 64 || size != 8 || sig == 9 || sig == 19 {
		return -kpi.EINVAL
	}
	p := t.Proc()
	cur := p.SigAction(sig)
	if act != 0 {
		var a [32]byte
		if t.CopyIn(act, a[:]) != nil {
			return -kpi.EFAULT
		}
		cur = p.SetSigAction(sig, a)
	}
	if old != 0 && t.CopyOut(old, cur[:]) != nil {
		return -kpi.EFAULT
	}
	return 0
}

func sigprocmask(t *proc.Thread, a [6]uint64) int64 {
	how, set, old, size := int(a[0]), a[1], a[2], a[3]
	if size != 8 {
		return -kpi.EINVAL
	}
	if old != 0 && t.PutU64(old, t.SigMask()) != nil {
		return -kpi.EFAULT
	}
	if set != 0 {
		s, err := t.GetU64(set)
		if err != nil {
			return -kpi.EFAULT
		}
		m, ok := linuxabi.Sigmask(how, t.SigMask(), s)
		if !ok {
			return -kpi.EINVAL
		}
		t.SetSigMask(m)
	}
	return 0
}

// sigaltstack reads and sets the thread's stack_t (ss_sp, ss_flags,
// ss_size).
func sigaltstack(t *proc.Thread, a [6]uint64) int64 {
	ss, old := a[0], a[1]
	if old != 0 {
		as := t.AltStack()
		var b [24]byte
		flags := as[1]
		if as[0] == 0 {
			flags = 2 // SS_DISABLE
		}
		binary.LittleEndian.PutUint64(b[0:], as[0])
		binary.LittleEndian.PutUint32(b[8:], uint32(flags))
		binary.LittleEndian.PutUint64(b[16:], as[2])
		if t.CopyOut(old, b[:]) != nil {
			return -kpi.EFAULT
		}
	}
	if ss != 0 {
		var b [24]byte
		if t.CopyIn(ss, b[:]) != nil {
			return -kpi.EFAULT
		}
		flags := uint64(binary.LittleEndian.Uint32(b[8:]))
		if flags&2 != 0 {
			t.SetAltStack([3]uint64{})
		} else {
			t.SetAltStack([3]uint64{binary.LittleEndian.Uint64(b[0:]), flags, binary.LittleEndian.Uint64(b[16:])})
		}
	}
	return 0
}

// tgkill sends sig to thread tid of process tgid (this process only; -1
// for tkill): it is delivered when the thread next returns to ring 3 (at
// the latest after its time slice). Signal 0 only checks that the thread
// exists.
func tgkill(t *proc.Thread, tgid, tid, sig int) int64 {
	p := t.Proc()
	if sig < 0 || sig > 64 {
		return -kpi.EINVAL
	}
	if tgid != p.PID && tgid != -1 {
		return -kpi.ESRCH
	}
	if !p.Signal(tid, sig) {
		return -kpi.ESRCH
	}
	return 0
}
