package linux

import (
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/linuxabi"
	"multikernel/cpudriver/proc"
)

// calls are the Linux system calls this package implements, by number:
// the handlers of the areas (mem.go, numa.go, files.go, signals.go, threads.go,
// time.go, limits.go, info.go, ports.go), each of which decodes its
// arguments from the six registers in its first line (a table entry
// that called a handler with decoded arguments would cost each call a
// call and a return more, under emulation a look-up of the next
// translated block each); the few that share a handler, or need no
// thread, decode them here. A number not here is ENOSYS (proc logs it
// once per process). exit, exit_group and rt_sigreturn are proc's own.
var calls = map[uint64]proc.Call{
	// Memory.
	linuxabi.SysMmap:     mmap,
	linuxabi.SysMprotect: mprotect,
	linuxabi.SysMunmap:   munmap,
	linuxabi.SysMadvise:  madvise,
	linuxabi.SysBrk:      brk,

	// NUMA.
	linuxabi.SysGetMempolicy: getMempolicy,

	// Descriptors.
	linuxabi.SysWrite:        write,
	linuxabi.SysRead:         read,
	linuxabi.SysClose:        closeFd,
	linuxabi.SysFcntl:        fcntl,
	linuxabi.SysEpollCreate1: epollCreate,
	linuxabi.SysEpollCtl:     epollCtl,
	linuxabi.SysEpollPwait:   epollPwait,
	linuxabi.SysEventfd2:     eventfd,
	linuxabi.SysPipe2:        pipe2,
	linuxabi.SysOpenat:       noFiles,
	linuxabi.SysReadlinkat:   noFiles,

	// Signals.
	linuxabi.SysRtSigaction:   sigaction,
	linuxabi.SysRtSigprocmask: sigprocmask,
	linuxabi.SysSigaltstack:   sigaltstack,
	linuxabi.SysTgkill: func(t *proc.Thread, a [6]uint64) int64 {
		return tgkill(t, int(int32(a[0])), int(int32(a[1])), int(a[2]))
	},
	linuxabi.SysTkill: func(t *proc.Thread, a [6]uint64) int64 { return tgkill(t, -1, int(int32(a[0])), int(a[1])) },

	// Threads and identity.
	linuxabi.SysClone:            clone,
	linuxabi.SysArchPrctl:        archPrctl,
	linuxabi.SysFutex:            futex,
	linuxabi.SysSchedYield:       schedYield,
	linuxabi.SysGetcpu:           getcpu,
	linuxabi.SysSchedGetaffinity: schedGetaffinity,
	linuxabi.SysSchedSetaffinity: schedSetaffinity,
	linuxabi.SysGetpid:           func(t *proc.Thread, a [6]uint64) int64 { return int64(t.Proc().PID) },
	linuxabi.SysGettid:           func(t *proc.Thread, a [6]uint64) int64 { return int64(t.TID) },
	linuxabi.SysGetppid:          zero,
	linuxabi.SysGetuid:           zero,
	linuxabi.SysGetgid:           zero,
	linuxabi.SysGeteuid:          zero,
	linuxabi.SysGetegid:          zero,
	linuxabi.SysPrctl:            func(*proc.Thread, [6]uint64) int64 { return -kpi.EINVAL },
	linuxabi.SysPrlimit64:        prlimit,

	// Time.
	linuxabi.SysClockGettime: clockGettime,
	linuxabi.SysNanosleep:    nanosleep,

	// The machine.
	linuxabi.SysUname:     uname,
	linuxabi.SysGetrandom: getrandom,
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
