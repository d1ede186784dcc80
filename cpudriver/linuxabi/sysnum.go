package linuxabi

// Linux x86-64 system call numbers (arch/x86/entry/syscalls/syscall_64.tbl)
// that the CPU driver answers, for its own runtime (ring0) or for programs
// (proc): one table for both.
const (
	SysRead             = 0
	SysWrite            = 1
	SysClose            = 3
	SysMmap             = 9
	SysMprotect         = 10
	SysMunmap           = 11
	SysBrk              = 12
	SysRtSigaction      = 13
	SysRtSigprocmask    = 14
	SysRtSigreturn      = 15
	SysSchedYield       = 24
	SysMadvise          = 28
	SysNanosleep        = 35
	SysGetpid           = 39
	SysClone            = 56
	SysExit             = 60
	SysUname            = 63
	SysFcntl            = 72
	SysGetuid           = 102
	SysGetgid           = 104
	SysGeteuid          = 107
	SysGetegid          = 108
	SysGetppid          = 110
	SysSigaltstack      = 131
	SysPrctl            = 157
	SysIopl             = 172
	SysIoperm           = 173
	SysArchPrctl        = 158
	SysGettid           = 186
	SysTkill            = 200
	SysFutex            = 202
	SysSchedSetaffinity = 203
	SysSchedGetaffinity = 204
	SysClockGettime     = 228
	SysGetMempolicy     = 239
	SysExitGroup        = 231
	SysEpollCtl         = 233
	SysTgkill           = 234
	SysOpenat           = 257
	SysReadlinkat       = 267
	SysEpollPwait       = 281
	SysEventfd2         = 290
	SysEpollCreate1     = 291
	SysPipe2            = 293
	SysPrlimit64        = 302
	SysGetcpu           = 309
	SysGetrandom        = 318
)
