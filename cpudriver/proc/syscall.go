package proc

import (
	"encoding/binary"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/linuxabi"
	"time"

	"multikernel/cpudriver/ring0"
)

// Linux x86-64 system call numbers implemented here.

// OnMonitorUp is called when this core's monitor reports itself up.
var OnMonitorUp func()

// Trace logs every system call of every process (the strace option).
var Trace bool

// call is the decoded system call of a thread: number and arguments.
type call struct {
	nr   uint64
	args [6]uint64
}

// syscall handles the thread's system call (registers in t.regs) and
// reports whether the thread has ended. The thread's CPU time runs on
// through ring 3 and the call, unless the call may wait (cputime.go).
func (t *Thread) syscall() bool {
	r := &t.regs
	if r.AX == linuxabi.SysRtSigreturn {
		if !t.sigreturn() {
			t.kill("rt_sigreturn with a bad signal frame at %#x", r.SP)
			return true
		}
		return false
	}
	c := call{r.AX, [6]uint64{r.DI, r.SI, r.DX, r.R10, r.R8, r.R9}}
	waits := waitingCall(c.nr)
	if waits {
		t.stopClock()
	}
	ret, done := t.dispatch(c)
	if waits {
		t.startClock()
	}
	if Trace {
		t.proc.logf("tid %d: syscall %d(%#x, %#x, %#x, %#x) = %d", t.TID, c.nr, c.args[0], c.args[1], c.args[2], c.args[3], ret)
	}
	r.AX = uint64(ret)
	return done
}

// dispatch runs one call and returns its result (a negative errno on
// failure) and whether the thread ended.
func (t *Thread) dispatch(c call) (int64, bool) {
	p := t.proc
	a := c.args
	switch c.nr {
	case linuxabi.SysWrite:
		return t.write(int(a[0]), a[1], a[2]), false
	case linuxabi.SysRead:
		return t.read(int(a[0]), a[1], a[2]), false
	case linuxabi.SysClose:
		return t.close(int(a[0])), false
	case linuxabi.SysFcntl:
		return t.fcntl(int(a[0]), int(a[1]), a[2]), false
	case linuxabi.SysMmap:
		return t.mmap(a[0], a[1], uint32(a[2]), uint32(a[3]), int32(a[4]), a[5]), false
	case linuxabi.SysMunmap:
		return t.munmap(a[0], a[1]), false
	case linuxabi.SysMadvise:
		return t.madvise(a[0], a[1], int(a[2])), false
	case linuxabi.SysBrk:
		return t.brk(a[0]), false
	case linuxabi.SysArchPrctl:
		return t.archPrctl(int(a[0]), a[1]), false
	case linuxabi.SysRtSigaction:
		return t.sigaction(int(a[0]), a[1], a[2], a[3]), false
	case linuxabi.SysRtSigprocmask:
		return t.sigprocmask(int(a[0]), a[1], a[2], a[3]), false
	case linuxabi.SysSigaltstack:
		return t.sigaltstack(a[0], a[1]), false
	case linuxabi.SysGetpid:
		return int64(p.PID), false
	case linuxabi.SysGettid:
		return int64(t.TID), false
	case linuxabi.SysTgkill:
		return t.tgkill(int(int32(a[0])), int(int32(a[1])), int(a[2])), false
	case linuxabi.SysTkill:
		return t.tgkill(-1, int(int32(a[0])), int(a[1])), false
	case linuxabi.SysGetppid:
		return 0, false
	case linuxabi.SysGetuid, linuxabi.SysGetgid, linuxabi.SysGeteuid, linuxabi.SysGetegid:
		return 0, false
	case linuxabi.SysSchedGetaffinity:
		return t.getaffinity(a[1], a[2]), false
	case linuxabi.SysSchedYield:
		yieldNow()
		return 0, false
	case linuxabi.SysClockGettime:
		return t.clockGettime(int(a[0]), a[1]), false
	case linuxabi.SysNanosleep:
		return t.nanosleep(a[0]), false
	case linuxabi.SysFutex:
		return t.futex(a[0], int(a[1]), uint32(a[2]), a[3]), false
	case linuxabi.SysClone:
		return t.clone(a[0], a[1], a[2], a[3], a[4]), false
	case linuxabi.SysExit:
		t.exitThread()
		return 0, true
	case linuxabi.SysExitGroup:
		p.exit(int(a[0]&0xff), "")
		return 0, true
	case linuxabi.SysEpollCreate1:
		return t.epollCreate(), false
	case linuxabi.SysEpollCtl:
		return t.epollCtl(int(a[0]), int(a[1]), int(a[2]), a[3]), false
	case linuxabi.SysEpollPwait:
		return t.epollPwait(int(a[0]), a[1], int(a[2]), int32(a[3])), false
	case linuxabi.SysEventfd2:
		return t.eventfd(uint32(a[0]), int(a[1])), false
	case linuxabi.SysOpenat, linuxabi.SysReadlinkat:
		return -kpi.ENOENT, false // no file system yet
	case linuxabi.SysPipe2:
		return t.pipe2(a[0], int(a[1])), false
	case linuxabi.SysPrctl:
		return -kpi.EINVAL, false
	case linuxabi.SysUname:
		return t.uname(a[0]), false
	case linuxabi.SysGetrandom:
		return t.getrandom(a[0], a[1], a[2]), false
	case linuxabi.SysPrlimit64:
		return t.prlimit(int(a[0]), int(a[1]), a[2], a[3]), false
	case linuxabi.SysGetcpu:
		return t.getcpu(a[0], a[1]), false
	case linuxabi.SysIopl:
		return iopl(a[0]), false
	case linuxabi.SysIoperm:
		return ioperm(a[0], a[1], a[2]), false
	}
	if r, ok := t.native(c); ok {
		return r, false
	}
	p.mu.Lock()
	first := !p.unknown[c.nr]
	p.unknown[c.nr] = true
	p.mu.Unlock()
	if first {
		p.logf("unimplemented system call %d (ENOSYS)", c.nr)
	}
	return -kpi.ENOSYS, false
}

// copyIn and copyOut read and write the calling process's memory under
// its lock, growing its memory account when a page needs it.
func (t *Thread) copyIn(va uint64, b []byte) error {
	return t.proc.withSpace(func(s *space) error { return s.copyIn(va, b) })
}

func (t *Thread) copyOut(va uint64, b []byte) error {
	return t.proc.withSpace(func(s *space) error { return s.copyOut(va, b) })
}

func (t *Thread) putU64(va, v uint64) error {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	return t.copyOut(va, b[:])
}

func (t *Thread) getU64(va uint64) (uint64, error) {
	var b [8]byte
	err := t.copyIn(va, b[:])
	return binary.LittleEndian.Uint64(b[:]), err
}

// timespec reads a struct timespec; ok is false for a bad one.
func (t *Thread) timespec(va uint64) (time.Duration, int64) {
	sec, err := t.getU64(va)
	if err != nil {
		return 0, -kpi.EFAULT
	}
	nsec, err := t.getU64(va + 8)
	if err != nil {
		return 0, -kpi.EFAULT
	}
	if int64(sec) < 0 || nsec >= 1e9 {
		return 0, -kpi.EINVAL
	}
	return time.Duration(sec)*time.Second + time.Duration(nsec), 0
}

func (t *Thread) clockGettime(clock int, ts uint64) int64 {
	var ns int64
	switch clock {
	case 0, 8, 11: // REALTIME, REALTIME_ALARM, TAI
		ns = time.Now().UnixNano()
	case 1, 4, 7: // MONOTONIC, MONOTONIC_RAW, BOOTTIME
		ns = ring0.Nanotime()
	case 2: // CLOCK_PROCESS_CPUTIME_ID
		ns = t.proc.cpuNanos()
	case 3: // CLOCK_THREAD_CPUTIME_ID
		ns = t.cpuNanos()
	default:
		return -kpi.EINVAL
	}
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:], uint64(ns/1e9))
	binary.LittleEndian.PutUint64(b[8:], uint64(ns%1e9))
	if t.copyOut(ts, b[:]) != nil {
		return -kpi.EFAULT
	}
	return 0
}

func (t *Thread) nanosleep(req uint64) int64 {
	d, e := t.timespec(req)
	if e != 0 {
		return e
	}
	select {
	case <-time.After(d):
	case <-t.proc.dying:
	}
	return 0
}

func (t *Thread) futex(addr uint64, op int, val uint32, timeout uint64) int64 {
	p := t.proc
	switch op &^ 128 { // FUTEX_PRIVATE_FLAG
	case 0: // FUTEX_WAIT
		var d time.Duration
		if timeout != 0 {
			var e int64
			if d, e = t.timespec(timeout); e != 0 {
				return e
			}
			if d == 0 {
				d = 1
			}
		}
		load := func() (uint32, error) {
			var b [4]byte
			err := t.copyIn(addr, b[:])
			return binary.LittleEndian.Uint32(b[:]), err
		}
		return p.futexes.wait(addr, val, load, d)
	case 1: // FUTEX_WAKE
		return int64(p.futexes.wake(addr, int(val)))
	}
	return -kpi.ENOSYS
}

// getcpu reports the core and its NUMA node (the program's process stays
// on its core).
func (t *Thread) getcpu(cpu, node uint64) int64 {
	c := ring0.Core()
	var b [4]byte
	if cpu != 0 {
		binary.LittleEndian.PutUint32(b[:], uint32(c.Index))
		if t.copyOut(cpu, b[:]) != nil {
			return -kpi.EFAULT
		}
	}
	if node != 0 {
		binary.LittleEndian.PutUint32(b[:], uint32(c.Node))
		if t.copyOut(node, b[:]) != nil {
			return -kpi.EFAULT
		}
	}
	return 0
}
