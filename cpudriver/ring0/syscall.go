package ring0

import (
	"multikernel/cpudriver/linuxabi"

	"multikernel/cpudriver/kpi"
)

// Linux x86-64 system call numbers answered for the runtime.

// unknownSeen has a bit per system call number already reported as
// unimplemented, so each is logged once.
var unknownSeen [8]uint64

// syscallGo handles the system call of the current thread, whose registers
// are in its Frame: number in AX, arguments in DI, SI, DX, R10, R8, R9,
// result to AX. It may switch threads (curFrame) before returning to
// syscallEntry, which resumes the current thread.
//
//go:nosplit
func syscallGo() {
	f := &threads[cur].frame
	a0, a1, a2, a3 := f.DI, f.SI, f.DX, f.R10
	var r uint64
	switch f.AX {
	case linuxabi.SysWrite:
		r = sysWriteFd(int(a0), uintptr(a1), a2)
	case linuxabi.SysRead:
		r = sysReadFd(int(a0), uintptr(a1), a2)
	case linuxabi.SysClose:
		r = fdClose(int(a0))
	case linuxabi.SysMmap:
		r = sysMmapGo(a0, a1, uint32(a2), uint32(a3), int32(f.R8), f.R9)
	case linuxabi.SysMunmap:
		r = sysMunmapGo(a0, a1)
	case linuxabi.SysMadvise:
		r = sysMadviseGo(a0, a1, int(a2))
	case linuxabi.SysClockGettime:
		r = sysClockGettimeGo(int(a0), uintptr(a1))
	case linuxabi.SysArchPrctl:
		r = sysArchPrctlGo(int(a0), a1)
	case linuxabi.SysRtSigaction:
		r = sysRtSigactionGo(int(a0), uintptr(a1), uintptr(a2), a3)
	case linuxabi.SysRtSigprocmask:
		r = sysRtSigprocmaskGo(int(a0), uintptr(a1), uintptr(a2), a3)
	case linuxabi.SysSigaltstack:
		r = sysSigaltstackGo(uintptr(a0), uintptr(a1))
	case linuxabi.SysGettid:
		r = uint64(tidBase + cur)
	case linuxabi.SysGetpid:
		r = 1
	case linuxabi.SysSchedGetaffinity:
		r = sysSchedGetaffinityGo(uintptr(a2), a1)
	case linuxabi.SysFcntl:
		r = fdFcntl(int(a0), int(a1), a2)
	case linuxabi.SysOpenat:
		r = negErrno(kpi.ENOENT) // the CPU driver has no files
	case linuxabi.SysPrctl:
		r = negErrno(kpi.EINVAL)
	case linuxabi.SysSchedYield:
		f.AX = 0
		yield()
		return
	case linuxabi.SysNanosleep:
		sysNanosleepGo(uintptr(a0))
		return
	case linuxabi.SysFutex:
		sysFutexGo(uintptr(a0), int(a1), uint32(a2), uintptr(a3))
		return
	case linuxabi.SysClone:
		r = sysCloneGo(a0, a1, f.R8)
	case linuxabi.SysExit:
		threads[cur].state = thFree
		schedule()
		return
	case linuxabi.SysExitGroup:
		exitGroup(int(a0))
		return
	case linuxabi.SysEpollCreate1:
		r = epollCreate()
	case linuxabi.SysEpollCtl:
		r = epollCtl(int(a0), int(a1), int(a2), uintptr(a3))
	case linuxabi.SysEpollPwait:
		if epollPwait(int(a0), uintptr(a1), int(a2), int(int32(a3))) {
			return // blocked; AX is set when it wakes
		}
		r = f.AX
	case linuxabi.SysEventfd2:
		r = eventfdCreate(uint32(a0), int(a1))
	default:
		r = unknownSyscall(f.AX)
	}
	f.AX = r
}

// unknownSyscall answers ENOSYS and reports the number the first time.
// prlimit64 (302) is not reported: the runtime probes it at every start
// and does without.
//
//go:nosplit
func unknownSyscall(nr uint64) uint64 {
	if nr != 302 && nr < 512 && unknownSeen[nr/64]&(1<<(nr%64)) == 0 {
		unknownSeen[nr/64] |= 1 << (nr % 64)
		kprint("cpudriver: runtime made unimplemented system call ")
		printDec(nr)
		kprint(" (ENOSYS)\n")
	}
	return negErrno(kpi.ENOSYS)
}

//go:nosplit
func u64at(p uintptr) *uint64 { return (*uint64)(at(p)) }

//go:nosplit
func u32at(p uintptr) *uint32 { return (*uint32)(at(p)) }

//go:nosplit
func sysClockGettimeGo(clock int, ts uintptr) uint64 {
	var ns int64
	switch clock {
	case 0, 8, 11: // REALTIME, REALTIME_ALARM, TAI (no leap-second table)
		ns = epochNs + nanotime()
	case 1, 4, 7, 2, 3: // MONOTONIC, MONOTONIC_RAW, BOOTTIME, CPUTIME (approx.)
		ns = nanotime()
	default:
		return negErrno(kpi.EINVAL)
	}
	if ts == 0 {
		return negErrno(kpi.EFAULT)
	}
	*u64at(ts) = uint64(ns / 1000000000)
	*u64at(ts + 8) = uint64(ns % 1000000000)
	return 0
}

//go:nosplit
func sysArchPrctlGo(code int, addr uint64) uint64 {
	switch code {
	case 0x1002: // ARCH_SET_FS
		threads[cur].frame.FS = addr
		return 0
	case 0x1003: // ARCH_GET_FS
		*u64at(uintptr(addr)) = threads[cur].frame.FS
		return 0
	}
	return negErrno(kpi.EINVAL)
}

// Signals: the CPU driver's runtime installs handlers and masks, which are
// recorded and reported back as Linux would, but no signal is ever raised
// in ring 0 (a fault is an oops, see trap.go).
var sigactions [65][4]uint64 // handler, flags, restorer, mask

//go:nosplit
func sysRtSigactionGo(sig int, act, old uintptr, size uint64) uint64 {
	if sig < 1 || sig > 64 || size != 8 || sig == 9 || sig == 19 {
		return negErrno(kpi.EINVAL)
	}
	if old != 0 {
		for i := 0; i < 4; i++ {
			*u64at(old + uintptr(i)*8) = sigactions[sig][i]
		}
	}
	if act != 0 {
		for i := 0; i < 4; i++ {
			sigactions[sig][i] = *u64at(act + uintptr(i)*8)
		}
	}
	return 0
}

//go:nosplit
func sysRtSigprocmaskGo(how int, set, old uintptr, size uint64) uint64 {
	if size != 8 {
		return negErrno(kpi.EINVAL)
	}
	t := &threads[cur]
	if old != 0 {
		*u64at(old) = t.sigmask
	}
	if set != 0 {
		m, ok := linuxabi.Sigmask(how, t.sigmask, *u64at(set))
		if !ok {
			return negErrno(kpi.EINVAL)
		}
		t.sigmask = m
	}
	return 0
}

//go:nosplit
func sysSigaltstackGo(ss, old uintptr) uint64 {
	t := &threads[cur]
	if old != 0 {
		flags := t.altstack[1]
		if t.altstack[0] == 0 {
			flags = 2 // SS_DISABLE
		}
		*u64at(old) = t.altstack[0]
		*u32at(old + 8) = uint32(flags)
		*u64at(old + 16) = t.altstack[2]
	}
	if ss != 0 {
		flags := uint64(*u32at(ss + 8))
		if flags&2 != 0 {
			t.altstack = [3]uint64{}
		} else {
			t.altstack = [3]uint64{*u64at(ss), flags, *u64at(ss + 16)}
		}
	}
	return 0
}

// sysSchedGetaffinityGo reports the one CPU the runtime may use: its own.
//
//go:nosplit
func sysSchedGetaffinityGo(mask uintptr, size uint64) uint64 {
	if size < 8 || mask == 0 {
		return negErrno(kpi.EINVAL)
	}
	*u64at(mask) = 1
	return 8
}

//go:nosplit
func sysNanosleepGo(req uintptr) {
	f := &threads[cur].frame
	sec, nsec := int64(*u64at(req)), int64(*u64at(req + 8))
	if sec < 0 || nsec < 0 || nsec >= 1000000000 {
		f.AX = negErrno(kpi.EINVAL)
		return
	}
	f.AX = 0
	d := sec*1000000000 + nsec
	if d <= 0 {
		return
	}
	block(thSleep, nanotime()+d)
}

//go:nosplit
func sysFutexGo(addr uintptr, op int, val uint32, timeout uintptr) {
	f := &threads[cur].frame
	switch op &^ 128 { // FUTEX_PRIVATE_FLAG
	case 0: // FUTEX_WAIT
		if *u32at(addr) != val {
			f.AX = negErrno(kpi.EAGAIN)
			return
		}
		deadline := int64(0)
		if timeout != 0 {
			sec, nsec := int64(*u64at(timeout)), int64(*u64at(timeout + 8))
			if sec < 0 || nsec < 0 || nsec >= 1000000000 {
				f.AX = negErrno(kpi.EINVAL)
				return
			}
			deadline = nanotime() + sec*1000000000 + nsec
		}
		threads[cur].waitAddr = addr
		f.AX = 0
		block(thFutex, deadline)
	case 1: // FUTEX_WAKE
		f.AX = uint64(futexWake(addr, int(val)))
	default:
		f.AX = negErrno(kpi.ENOSYS)
	}
}

// sysCloneGo starts a thread. Only the runtime's kind of clone is allowed:
// a thread sharing everything (CLONE_VM|CLONE_FS|CLONE_FILES|
// CLONE_SIGHAND|CLONE_THREAD), optionally with CLONE_SETTLS.
//
//go:nosplit
func sysCloneGo(flags, stack, tls uint64) uint64 {
	const need = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000
	if flags&need != need {
		return negErrno(kpi.EINVAL)
	}
	i := newThread()
	if i < 0 {
		return negErrno(kpi.EAGAIN)
	}
	c := &threads[i].frame
	c.AX = 0
	c.SP = stack
	if flags&0x80000 != 0 { // CLONE_SETTLS
		c.FS = tls
	}
	return uint64(tidBase + i)
}

// exitGroup ends this core's CPU driver: its runtime has exited (returned
// from main or died). The core reports it and halts.
//
//go:nosplit
func exitGroup(code int) {
	kprint("cpudriver: core ")
	printDec(uint64(core.Index))
	kprint(": CPU driver runtime exited with status ")
	printDec(uint64(code))
	kprint("; core halted\n")
	if exitHook != 0 && core.BSP {
		outb(uint16(exitHook), uint8(code|1)) // isa-debug-exit: failure
	}
	haltForever()
}

// exitHook is the isa-debug-exit port the bootstrap core writes when its
// runtime exits, 0 for none. Set by package cpudriver.
var exitHook uintptr

// SetExitPort makes the bootstrap core report its runtime's exit through
// the isa-debug-exit device at port (0 to disable).
func SetExitPort(port uint16) { exitHook = uintptr(port) }
