package linux

import (
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/linuxabi"
	"multikernel/cpudriver/proc"
)

// calls are the Linux system calls this package implements, by number:
// each decodes its arguments from the six registers and calls the
// handler of its area (mem.go, files.go, signals.go, threads.go,
// time.go, limits.go, info.go, ports.go). A number not here is ENOSYS
// (proc logs it once per process). exit, exit_group and rt_sigreturn are
// proc's own.
var calls = map[uint64]proc.Call{
	// Memory.
	linuxabi.SysMmap: func(t *proc.Thread, a [6]uint64) int64 {
		return mmap(t, a[0], a[1], uint32(a[2]), uint32(a[3])) // fd and offset: no files yet
	},
	linuxabi.SysMprotect: func(t *proc.Thread, a [6]uint64) int64 { return mprotect(t, a[0], a[1], a[2]) },
	linuxabi.SysMunmap:   func(t *proc.Thread, a [6]uint64) int64 { return munmap(t, a[0], a[1]) },
	linuxabi.SysMadvise:  func(t *proc.Thread, a [6]uint64) int64 { return madvise(t, a[0], a[1], int(a[2])) },
	linuxabi.SysBrk:      func(t *proc.Thread, a [6]uint64) int64 { return brk(t, a[0]) },

	// Descriptors.
	linuxabi.SysWrite:        func(t *proc.Thread, a [6]uint64) int64 { return write(t, int(a[0]), a[1], a[2]) },
	linuxabi.SysRead:         func(t *proc.Thread, a [6]uint64) int64 { return read(t, int(a[0]), a[1], a[2]) },
	linuxabi.SysClose:        func(t *proc.Thread, a [6]uint64) int64 { return closeFd(t, int(a[0])) },
	linuxabi.SysFcntl:        func(t *proc.Thread, a [6]uint64) int64 { return fcntl(t, int(a[0]), int(a[1]), a[2]) },
	linuxabi.SysEpollCreate1: func(t *proc.Thread, a [6]uint64) int64 { return epollCreate(t) },
	linuxabi.SysEpollCtl: func(t *proc.Thread, a [6]uint64) int64 {
		return epollCtl(t, int(a[0]), int(a[1]), int(a[2]), a[3])
	},
	linuxabi.SysEpollPwait: func(t *proc.Thread, a [6]uint64) int64 {
		return epollPwait(t, int(a[0]), a[1], int(a[2]), int32(a[3]))
	},
	linuxabi.SysEventfd2:   func(t *proc.Thread, a [6]uint64) int64 { return eventfd(t, uint32(a[0]), int(a[1])) },
	linuxabi.SysPipe2:      func(t *proc.Thread, a [6]uint64) int64 { return pipe2(t, a[0], int(a[1])) },
	linuxabi.SysOpenat:     noFiles,
	linuxabi.SysReadlinkat: noFiles,

	// Signals.
	linuxabi.SysRtSigaction: func(t *proc.Thread, a [6]uint64) int64 {
		return sigaction(t, int(a[0]), a[1], a[2], a[3])
	},
	linuxabi.SysRtSigprocmask: func(t *proc.Thread, a [6]uint64) int64 {
		return sigprocmask(t, int(a[0]), a[1], a[2], a[3])
	},
	linuxabi.SysSigaltstack: func(t *proc.Thread, a [6]uint64) int64 { return sigaltstack(t, a[0], a[1]) },
	linuxabi.SysTgkill: func(t *proc.Thread, a [6]uint64) int64 {
		return tgkill(t, int(int32(a[0])), int(int32(a[1])), int(a[2]))
	},
	linuxabi.SysTkill: func(t *proc.Thread, a [6]uint64) int64 { return tgkill(t, -1, int(int32(a[0])), int(a[1])) },

	// Threads and identity.
	linuxabi.SysClone:     func(t *proc.Thread, a [6]uint64) int64 { return clone(t, a[0], a[1], a[2], a[3], a[4]) },
	linuxabi.SysArchPrctl: func(t *proc.Thread, a [6]uint64) int64 { return archPrctl(t, int(a[0]), a[1]) },
	linuxabi.SysFutex: func(t *proc.Thread, a [6]uint64) int64 {
		return futex(t, a[0], int(a[1]), uint32(a[2]), a[3])
	},
	linuxabi.SysSchedGetaffinity: func(t *proc.Thread, a [6]uint64) int64 { return getaffinity(t, a[1], a[2]) },
	linuxabi.SysSchedYield:       func(t *proc.Thread, a [6]uint64) int64 { return schedYield(t) },
	linuxabi.SysGetcpu:           func(t *proc.Thread, a [6]uint64) int64 { return getcpu(t, a[0], a[1]) },
	linuxabi.SysGetpid:           func(t *proc.Thread, a [6]uint64) int64 { return int64(t.Proc().PID) },
	linuxabi.SysGettid:           func(t *proc.Thread, a [6]uint64) int64 { return int64(t.TID) },
	linuxabi.SysGetppid:          zero,
	linuxabi.SysGetuid:           zero,
	linuxabi.SysGetgid:           zero,
	linuxabi.SysGeteuid:          zero,
	linuxabi.SysGetegid:          zero,
	linuxabi.SysPrctl:            func(*proc.Thread, [6]uint64) int64 { return -kpi.EINVAL },
	linuxabi.SysPrlimit64: func(t *proc.Thread, a [6]uint64) int64 {
		return prlimit(t, int(a[0]), int(a[1]), a[2], a[3])
	},

	// Time.
	linuxabi.SysClockGettime: func(t *proc.Thread, a [6]uint64) int64 { return clockGettime(t, int(a[0]), a[1]) },
	linuxabi.SysNanosleep:    func(t *proc.Thread, a [6]uint64) int64 { return nanosleep(t, a[0]) },

	// The machine.
	linuxabi.SysUname:     func(t *proc.Thread, a [6]uint64) int64 { return uname(t, a[0]) },
	linuxabi.SysGetrandom: func(t *proc.Thread, a [6]uint64) int64 { return getrandom(t, a[0], a[1], a[2]) },
	linuxabi.SysIopl:      func(t *proc.Thread, a [6]uint64) int64 { return iopl(a[0]) },
	linuxabi.SysIoperm:    func(t *proc.Thread, a [6]uint64) int64 { return ioperm(a[0], a[1], a[2]) },
}

// zero answers the identity calls that are 0 here (parent, user and
// group IDs: there are no users).
func zero(*proc.Thread, [6]uint64) int64 { return 0 }

// noFiles answers the file calls: there is no file system yet.
func noFiles(*proc.Thread, [6]uint64) int64 { return -kpi.ENOENT }

// Install puts this package's calls into proc's table. Package main
// calls it once, before any program starts.
func Install() {
	for nr, c := range calls {
		proc.Install(nr, c)
	}
}
