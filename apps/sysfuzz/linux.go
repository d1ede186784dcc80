package main

import (
	"math/rand/v2"
	"syscall"
)

// The Linux calls the fuzzer makes with shaped arguments: every call the
// CPU driver's Go personality implements, and the families around them
// (memory, threads, descriptors) whose random use would otherwise hit the
// fuzzer's own runtime. Each generator says which results are wrong.

// Linux x86-64 numbers used here.
const (
	nrRead, nrWrite, nrClose, nrMmap, nrMprotect, nrMunmap, nrBrk = 0, 1, 3, 9, 10, 11, 12
	nrRtSigaction, nrRtSigprocmask, nrRtSigreturn, nrSchedYield   = 13, 14, 15, 24
	nrMremap, nrMsync, nrMincore, nrMadvise, nrDup, nrDup2        = 25, 26, 27, 28, 32, 33
	nrNanosleep, nrGetpid, nrClone, nrFork, nrVfork, nrExit       = 35, 39, 56, 57, 58, 60
	nrKill, nrUname, nrFcntl, nrGetuid, nrGetgid, nrGeteuid       = 62, 63, 72, 102, 104, 107
	nrGetegid, nrGetppid, nrSigaltstack, nrMlock, nrMunlock       = 108, 110, 131, 149, 150
	nrPrctl, nrArchPrctl, nrGettid, nrTkill, nrFutex              = 157, 158, 186, 200, 202
	nrSchedGetaffinity, nrClockGettime, nrExitGroup, nrEpollCtl   = 204, 228, 231, 233
	nrTgkill, nrOpenat, nrReadlinkat, nrEpollPwait, nrEventfd2    = 234, 257, 267, 281, 290
	nrEpollCreate1, nrDup3, nrPipe2, nrPrlimit64, nrGetcpu        = 291, 292, 293, 302, 309
	nrGetrandom, nrClone3, nrCloseRange, nrIopl, nrIoperm         = 318, 435, 436, 172, 173
	nrSchedSetaffinity                                            = 203
)

// never are the numbers the fuzzer does not make at all: they end or
// replace the fuzzer itself (exit, exit_group, execve, execveat), restore
// a signal frame from its stack (rt_sigreturn), send signals to its
// process (kill, rt_sigqueueinfo, rt_tgsigqueueinfo), lock it into
// seccomp, or set its resource limits from noise (setrlimit; prlimit64 is
// shaped).
var never = map[uintptr]bool{nrExit: true, nrExitGroup: true, 59: true, 322: true, nrRtSigreturn: true,
	nrKill: true, 129: true, 297: true, 317: true, 160: true}

// waits are the numbers of calls that wait by design with no bound the
// fuzzer could give them or a watchdog could end (pause, rt_sigsuspend,
// wait4, waitid, the poll and select families, epoll_wait and
// epoll_pwait2, rt_sigtimedwait, futex_waitv): never made by random
// number. The one of them the Go personality has, epoll_pwait, is shaped.
var waits = map[uintptr]bool{34: true, 130: true, 61: true, 247: true, 7: true, 271: true, 23: true,
	270: true, 232: true, 441: true, 128: true, 449: true}

// flagsOf returns a random combination of the given bits, now and then
// with noise added.
func flagsOf(r *rand.Rand, bits ...uintptr) uintptr {
	f := uintptr(0)
	for _, b := range bits {
		if r.IntN(2) == 0 {
			f |= b
		}
	}
	if r.IntN(10) == 0 {
		f |= uintptr(r.Uint32())
	}
	return f
}

// hostileMust returns the reason a call must fail when its pointer is
// hostile.
func hostileMust(hostile bool, what string) string {
	if hostile {
		return what + " at an address no program may use"
	}
	return ""
}

// linuxGens generates the Linux calls, by number.
var linuxGens = map[uintptr]func(w *worker) call{
	nrRead: func(w *worker) call {
		fd, _ := w.fd(true)
		p, h := ptr(w.r)
		n := scalar(w.r) % (2 << 20)
		c := call{nr: nrRead, a: [6]uintptr{fd, p, n}}
		if h && n > 0 {
			c.after = readHostile
		}
		return c
	},
	nrWrite: func(w *worker) call {
		fd, kind := w.fd(true)
		p, h := ptr(w.r)
		n := scalar(w.r) % (2 << 20)
		if kind == fdConsole { // the console gets no noise: nothing, or from where nobody may read
			if !h {
				n = 0
			} else if n == 0 {
				n = 1
			}
		}
		c := call{nr: nrWrite, a: [6]uintptr{fd, p, n}}
		if kind == fdConsole && h {
			c.must = "write to the console from an address no program may use"
		}
		return c
	},
	nrClose: func(w *worker) call { fd, _ := w.fd(false); return call{nr: nrClose, a: [6]uintptr{fd}} },
	nrDup:   func(w *worker) call { fd, _ := w.fd(false); return call{nr: nrDup, a: [6]uintptr{fd}, after: noteFd} },
	nrDup2: func(w *worker) call {
		a, _ := w.fd(false)
		b, _ := w.fd(false)
		return call{nr: nrDup2, a: [6]uintptr{a, b}, after: noteFd}
	},
	nrDup3: func(w *worker) call {
		a, _ := w.fd(false)
		b, _ := w.fd(false)
		return call{nr: nrDup3, a: [6]uintptr{a, b, flagsOf(w.r, 0x80000)}, after: noteFd}
	},
	nrCloseRange: func(w *worker) call {
		a, _ := w.fd(false)
		b, _ := w.fd(false)
		return call{nr: nrCloseRange, a: [6]uintptr{a, b, flagsOf(w.r, 2, 4)}}
	},
	nrFcntl: func(w *worker) call {
		fd, kind := w.fd(true)
		cmd := uintptr(w.r.IntN(5)) // F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL
		switch w.r.IntN(4) {
		case 0:
			cmd = 1024 + uintptr(w.r.IntN(20)) // F_SETLEASE ... F_DUPFD_CLOEXEC ...
		case 1:
			cmd = scalar(w.r)
		}
		arg := scalar(w.r)
		if kind == fdConsole {
			// The console's flags stay as the fuzzer set them, and no
			// copy of it lets noise through: F_GETFD, F_SETFD, F_GETFL,
			// F_SETFL(O_NONBLOCK) only.
			cmd = 1 + uintptr(w.r.IntN(4))
			arg &= 1
		}
		if cmd == 4 {
			arg |= oNonblock // no descriptor of the fuzzer may block
		}
		return call{nr: nrFcntl, a: [6]uintptr{fd, cmd, arg}, after: noteFdIfDup}
	},
	nrPipe2: func(w *worker) call {
		p, h := ptr(w.r)
		fl := flagsOf(w.r, 0x80000) | oNonblock
		c := call{nr: nrPipe2, a: [6]uintptr{p, fl}, after: notePipe}
		if fl&^(oNonblock|0x80000) == 0 {
			c.must = hostileMust(h, "pipe2 writing its descriptors")
		}
		return c
	},
	nrEventfd2: func(w *worker) call {
		return call{nr: nrEventfd2, a: [6]uintptr{scalar(w.r), flagsOf(w.r, 0x80000, 1) | oNonblock}, after: noteFd}
	},
	nrEpollCreate1: func(w *worker) call {
		return call{nr: nrEpollCreate1, a: [6]uintptr{flagsOf(w.r, 0x80000)}, after: noteFd}
	},
	nrEpollCtl: func(w *worker) call {
		ep, _ := w.fd(false)
		fd, _ := w.fd(true)
		if w.r.IntN(4) == 0 {
			fd = uintptr(3 + w.r.IntN(3)) // perhaps the runtime's own: registering it in another set is harmless
		}
		p, _ := ptr(w.r)
		return call{nr: nrEpollCtl, a: [6]uintptr{ep, uintptr(w.r.IntN(5)), fd, p}}
	},
	nrEpollPwait: func(w *worker) call {
		ep, _ := w.fd(false)
		p, _ := ptr(w.r)
		// A timeout of at most 10 ms: a wait without one would hold a
		// worker until a descriptor it cannot name is ready.
		return call{nr: nrEpollPwait, a: [6]uintptr{ep, p, scalar(w.r), uintptr(w.r.IntN(11)), 0, 8}}
	},
	nrMmap:   genMmap,
	nrMunmap: func(w *worker) call { return rangeCall(w, nrMunmap, "munmap") },
	nrMprotect: func(w *worker) call {
		return rangeCall(w, nrMprotect, "mprotect", uintptr(w.r.IntN(8))|flagsOf(w.r, 0x01000000))
	},
	nrMadvise: func(w *worker) call { return rangeCall(w, nrMadvise, "madvise", uintptr(w.r.IntN(24))) },
	nrMsync:   func(w *worker) call { return rangeCall(w, nrMsync, "msync", flagsOf(w.r, 1, 2, 4)) },
	nrMlock:   func(w *worker) call { return rangeCall(w, nrMlock, "mlock") },
	nrMunlock: func(w *worker) call { return rangeCall(w, nrMunlock, "munlock") },
	nrMincore: func(w *worker) call {
		a, n, h := memRange(w.r)
		p, _ := ptr(w.r)
		return call{nr: nrMincore, a: [6]uintptr{a, n, p}, must: hostileMust(h && n > 0 && n < 1<<62, "mincore")}
	},
	nrMremap: genMremap,
	nrBrk:    func(w *worker) call { a, _, _ := memRange(w.r); return call{nr: nrBrk, a: [6]uintptr{a}} },
	nrClone: func(w *worker) call {
		flags, stack, tls := w.cloneArgs()
		ptid, _ := ptr(w.r)
		ctid, _ := ptr(w.r)
		c := call{nr: nrClone, a: [6]uintptr{flags, stack, ptid, ctid, tls}, child: true, after: noteChild}
		c.must = badTLS(flags, tls)
		return c
	},
	nrFork:  func(w *worker) call { return call{nr: nrFork, child: true, after: noteChild} },
	nrVfork: func(w *worker) call { return call{nr: nrVfork, child: true, after: noteChild} },
	nrClone3: func(w *worker) call {
		// struct clone_args, in the worker's own page: flags, pidfd,
		// child_tid, parent_tid, exit_signal, stack, stack_size, tls,
		// set_tid, set_tid_size, cgroup.
		flags, stack, tls := w.cloneArgs()
		pidfd, _ := ptr(w.r)
		ctid, _ := ptr(w.r)
		ptid, _ := ptr(w.r)
		size := uintptr(0)
		if stack != 0 {
			stack, size = stack&^0xffff, 1+uintptr(w.r.IntN(0x10000))
		}
		setTid, _ := ptr(w.r)
		args := [11]uintptr{flags &^ 0xff, pidfd, ctid, ptid, flags & 0xff, stack, size, tls, setTid, uintptr(w.r.IntN(2)), 0}
		for i, v := range args {
			*word(w.cargs + uintptr(i)*8) = uint64(v)
		}
		p, bad := w.cargs, ""
		if w.r.IntN(6) == 0 {
			p, bad = hostileAddr(w.r), "clone3 reading its arguments at an address no program may use"
		}
		sizes := []uintptr{64, 80, 88, 8, 4096}
		c := call{nr: nrClone3, a: [6]uintptr{p, sizes[w.r.IntN(len(sizes))]}, child: true, after: noteChild, must: bad}
		if c.must == "" && c.a[1] >= 64 {
			c.must = badTLS(flags, tls)
		}
		return c
	},
	nrArchPrctl: func(w *worker) call {
		code := []uintptr{0x1001, 0x1002, 0x1003, 0x1004, 0x1011, 0x1012, 0x2001, 0x2002, 0x3001}[w.r.IntN(9)]
		if w.r.IntN(8) == 0 {
			code = scalar(w.r)
		}
		addr, h := ptr(w.r)
		if w.r.IntN(3) == 0 {
			addr = uintptr(w.r.Uint64())
			h = addr >= userLimit
		}
		c := call{nr: nrArchPrctl, a: [6]uintptr{code, addr}}
		switch code {
		case 0x1002: // ARCH_SET_FS: made by archSetFS, which puts the FS base back
			c.setFS = true
			c.must = hostileMust(addr >= userLimit, "ARCH_SET_FS")
		case 0x1003, 0x1004:
			c.must = hostileMust(h, "ARCH_GET_FS or ARCH_GET_GS writing")
		case 0x1001: // ARCH_SET_GS: Go does not use GS, but the CPU driver does
			c.must = hostileMust(addr >= userLimit, "ARCH_SET_GS")
		}
		return c
	},
	nrRtSigaction: func(w *worker) call {
		// A new action only from where no program may read: installing
		// noise as a handler would end the fuzzer at its next signal.
		sig := uintptr(w.r.IntN(70))
		act, h := uintptr(0), false
		if w.r.IntN(2) == 0 {
			act, h = hostileAddr(w.r), true
		}
		old, _ := ptr(w.r)
		size := uintptr(8)
		if w.r.IntN(8) == 0 {
			size = scalar(w.r)
		}
		c := call{nr: nrRtSigaction, a: [6]uintptr{sig, act, old, size}}
		c.must = hostileMust(h, "rt_sigaction reading the new action")
		return c
	},
	nrRtSigprocmask: func(w *worker) call {
		set, h := uintptr(0), false
		if w.r.IntN(2) == 0 {
			set, h = hostileAddr(w.r), true
		}
		old, _ := ptr(w.r)
		size := uintptr(8)
		if w.r.IntN(8) == 0 {
			size = scalar(w.r)
		}
		c := call{nr: nrRtSigprocmask, a: [6]uintptr{uintptr(w.r.IntN(5)), set, old, size}}
		if size == 8 {
			c.must = hostileMust(h, "rt_sigprocmask reading the new mask")
		}
		return c
	},
	nrSigaltstack: func(w *worker) call {
		ss, h := uintptr(0), false
		if w.r.IntN(2) == 0 {
			ss, h = hostileAddr(w.r), true
		}
		old, _ := ptr(w.r)
		return call{nr: nrSigaltstack, a: [6]uintptr{ss, old}, must: hostileMust(h, "sigaltstack reading the new stack")}
	},
	nrTkill: func(w *worker) call {
		// Signal 0 (does the thread exist?) or no signal at all: a real
		// one would reach the fuzzer's runtime.
		sig := []uintptr{0, 65, 1000, ^uintptr(0)}[w.r.IntN(4)]
		c := call{nr: nrTkill, a: [6]uintptr{w.tid(), sig}}
		if sig != 0 {
			c.must = "tkill with no such signal"
		}
		return c
	},
	nrTgkill: func(w *worker) call {
		sig := []uintptr{0, 65, 1000, ^uintptr(0)}[w.r.IntN(4)]
		tgid := uintptr(w.f.pid)
		if w.r.IntN(3) == 0 {
			tgid = scalar(w.r)
		}
		c := call{nr: nrTgkill, a: [6]uintptr{tgid, w.tid(), sig}}
		if sig != 0 || int32(tgid) != int32(w.f.pid) && int32(tgid) != -1 { // pid_t is 32 bits
			c.must = "tgkill with no such signal or of another process"
		}
		return c
	},
	nrFutex: genFutex,
	nrNanosleep: func(w *worker) call {
		req, bad := w.timespec(false)
		rem, _ := ptr(w.r)
		return call{nr: nrNanosleep, a: [6]uintptr{req, rem}, must: bad}
	},
	nrClockGettime: func(w *worker) call {
		clk := uintptr(w.r.IntN(16))
		if w.r.IntN(8) == 0 {
			clk = scalar(w.r)
		}
		p, h := ptr(w.r)
		return call{nr: nrClockGettime, a: [6]uintptr{clk, p}, must: hostileMust(h || p < pageSize, "clock_gettime writing the time")}
	},
	nrGetcpu: func(w *worker) call {
		a, h := ptr(w.r)
		b, _ := ptr(w.r)
		return call{nr: nrGetcpu, a: [6]uintptr{a, b, scalar(w.r)}, must: hostileMust(h || a != 0 && a < pageSize, "getcpu writing the core")}
	},
	nrUname: func(w *worker) call {
		p, h := ptr(w.r)
		return call{nr: nrUname, a: [6]uintptr{p}, must: hostileMust(h || p < pageSize, "uname")}
	},
	nrSchedGetaffinity: func(w *worker) call {
		size := []uintptr{8, 128, 4, 0, scalar(w.r)}[w.r.IntN(5)]
		p, h := ptr(w.r)
		return call{nr: nrSchedGetaffinity, a: [6]uintptr{uintptr(w.r.IntN(3)) * uintptr(w.f.pid), size, p},
			must: hostileMust(h || p < pageSize, "sched_getaffinity writing the mask")}
	},
	nrSchedSetaffinity: func(w *worker) call {
		size := []uintptr{8, 128, 4, 0, scalar(w.r)}[w.r.IntN(5)]
		p, h := ptr(w.r)
		return call{nr: nrSchedSetaffinity, a: [6]uintptr{uintptr(w.r.IntN(3)) * uintptr(w.f.pid), size, p},
			must: hostileMust(h || p < pageSize, "sched_setaffinity reading the mask")}
	},
	nrGetrandom: func(w *worker) call {
		p, h := ptr(w.r)
		n := scalar(w.r) % (2 << 20)
		return call{nr: nrGetrandom, a: [6]uintptr{p, n, flagsOf(w.r, 1, 2, 4)}, must: hostileMust((h || p < pageSize) && n > 0, "getrandom")}
	},
	nrPrlimit64: func(w *worker) call {
		// A new limit only from where no program may read: a random one
		// could starve the fuzzer of descriptors it needs.
		nl, h := uintptr(0), false
		if w.r.IntN(2) == 0 {
			nl, h = hostileAddr(w.r), true
		}
		old, _ := ptr(w.r)
		return call{nr: nrPrlimit64, a: [6]uintptr{uintptr(w.r.IntN(2)) * uintptr(w.f.pid), uintptr(w.r.IntN(20)), nl, old},
			must: hostileMust(h, "prlimit64 reading the new limit")}
	},
	nrPrctl: func(w *worker) call {
		opt := uintptr(w.r.IntN(70))
		switch opt {
		case 22, 26, 29, 35, 59:
			// PR_SET_SECCOMP, PR_SET_TSC (the runtime reads the TSC),
			// PR_SET_TIMERSLACK (its timers), PR_SET_MM,
			// PR_SET_SYSCALL_USER_DISPATCH (its system calls): Linux
			// would maim the fuzzer.
			opt = 16 // PR_GET_NAME
		case 0, 1:
			// PR_SET_VMA, PR_SET_VMA_ANON_NAME, as the Go runtime names
			// its memory: on a range of the region or a hostile one.
			a, n, _ := memRange(w.r)
			p, _ := ptr(w.r)
			return call{nr: nrPrctl, a: [6]uintptr{0x53564d41, 0, a, n, p}}
		}
		return call{nr: nrPrctl, a: [6]uintptr{opt, anyArg(w.r), anyArg(w.r), anyArg(w.r), anyArg(w.r)}}
	},
	nrOpenat: func(w *worker) call {
		p, _ := ptr(w.r)
		return call{nr: nrOpenat, a: [6]uintptr{^uintptr(99), p, scalar(w.r), scalar(w.r)}, after: noteFd} // AT_FDCWD
	},
	nrReadlinkat: func(w *worker) call {
		p, _ := ptr(w.r)
		b, _ := ptr(w.r)
		return call{nr: nrReadlinkat, a: [6]uintptr{^uintptr(99), p, b, scalar(w.r)}}
	},
	nrIopl: func(w *worker) call {
		// No program has port I/O privilege (ports come through IO
		// capabilities): raising the level must fail.
		level := uintptr(w.r.IntN(5))
		if w.r.IntN(4) == 0 {
			level = scalar(w.r)
		}
		c := call{nr: nrIopl, a: [6]uintptr{level}}
		if uint32(level) != 0 { // Linux reads an unsigned int
			c.must = "iopl raising the I/O privilege level"
		}
		return c
	},
	nrIoperm: func(w *worker) call {
		from, num := uintptr(w.r.IntN(1<<16)), uintptr(w.r.IntN(64))
		if w.r.IntN(4) == 0 {
			from, num = scalar(w.r), scalar(w.r)
		}
		on := uintptr(w.r.IntN(2))
		if w.r.IntN(8) == 0 {
			on = scalar(w.r)
		}
		c := call{nr: nrIoperm, a: [6]uintptr{from, num, on}}
		if uint32(on) != 0 { // Linux reads an int
			c.must = "ioperm granting ports"
		}
		return c
	},
	nrSchedYield: func(w *worker) call { return call{nr: nrSchedYield} },
	nrGetpid:     func(w *worker) call { return call{nr: nrGetpid, after: isPID} },
	nrGettid:     func(w *worker) call { return call{nr: nrGettid} },
	nrGetppid:    func(w *worker) call { return call{nr: nrGetppid} },
	nrGetuid:     func(w *worker) call { return call{nr: nrGetuid} },
	nrGetgid:     func(w *worker) call { return call{nr: nrGetgid} },
	nrGeteuid:    func(w *worker) call { return call{nr: nrGeteuid} },
	nrGetegid:    func(w *worker) call { return call{nr: nrGetegid} },
}

// cloneArgs returns flags, a stack and a TLS for a clone: half the time
// those of a thread, as Go makes them, and random flags besides; the
// signal sent at the child's end (the low byte) none or SIGCHLD, never
// one that would end the fuzzer. The child's stack: none (the parent's),
// the region, or a low address: the child never touches it. Not a kernel
// or non-canonical one: the CPU driver refuses to enter ring 3 with it,
// and the fault it reports cannot be delivered on that stack, which ends
// the process (correctly, and the fuzzer with it).
func (w *worker) cloneArgs() (flags, stack, tls uintptr) {
	flags = flagsOf(w.r, 0x100, 0x200, 0x400, 0x800, 0x1000, 0x4000, 0x10000, 0x40000, 0x80000, 0x100000,
		0x200000, 0x400000, 0x1000000)
	if w.r.IntN(2) == 0 {
		flags |= cloneThread
	}
	flags = flags&^0xff | uintptr(w.r.IntN(2))*17
	switch w.r.IntN(3) {
	case 0:
		stack = regionBase + uintptr(w.r.Uint64N(regionSize))&^15
	case 1:
		stack = uintptr(w.r.Uint64N(1 << 20))
	}
	switch w.r.IntN(4) {
	case 0:
		tls = regionBase + uintptr(w.r.Uint64N(regionSize))
	case 1:
		tls = uintptr(w.r.Uint64())
	case 2:
		tls = hostileAddr(w.r)
	}
	return flags, stack, tls
}

// cloneThread are the flags of a thread: VM, FS, FILES, SIGHAND, THREAD.
const cloneThread = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000

// badTLS says why a clone with flags must fail with tls: a thread whose
// TLS, set with CLONE_SETTLS, is a kernel or non-canonical address
// (Linux: EPERM, as for ARCH_SET_FS).
func badTLS(flags, tls uintptr) string {
	if flags&cloneThread == cloneThread && flags&0x80000 != 0 && tls >= userLimit {
		return "clone with CLONE_SETTLS and a kernel or non-canonical TLS"
	}
	return ""
}

// oNonblock is O_NONBLOCK: every descriptor the fuzzer makes has it, and
// keeps it, so that no read or write of its own can block for good.
const oNonblock = 0x800

// genMmap maps in the region, at null, or at a hostile address, with
// random protections and flags; MAP_FIXED only where the range is the
// region's or must be refused. What a call maps outside the region is
// unmapped again at once (noteMapped).
func genMmap(w *worker) call {
	addr, n, h := memRange(w.r)
	prot := uintptr(w.r.IntN(8))
	if w.r.IntN(10) == 0 {
		prot = scalar(w.r)
	}
	flags := flagsOf(w.r, 0x01, 0x02, 0x10, 0x20, 0x100, 0x4000, 0x8000, 0x20000, 0x100000)
	if w.r.IntN(2) == 0 {
		flags = 0x22 | flagsOf(w.r, 0x10, 0x100000) // MAP_PRIVATE|MAP_ANONYMOUS: the kind that maps
	}
	fd := ^uintptr(0)
	if w.r.IntN(4) == 0 {
		fd = scalar(w.r)
	}
	if flags&0x8000 != 0 && n > regionSize {
		n = regionSize // MAP_POPULATE: no more memory than the region holds
	}
	c := call{nr: nrMmap, a: [6]uintptr{addr, n, prot, flags, fd, scalar(w.r) &^ (pageSize - 1)}, after: noteMapped}
	const fixed = 0x10 | 0x100000
	if flags&fixed != 0 && h {
		c.must = "mmap with MAP_FIXED at an address no program may use"
	}
	if n == 0 {
		c.must = "mmap of no bytes"
	}
	return c
}

// rangeCall makes a memory call on a range memRange gives, with extra
// arguments; on a hostile range it must fail, unless its length is 0 or
// so long that rounding it up to pages wraps (Linux then takes the range
// as empty and answers 0).
func rangeCall(w *worker, nr uintptr, name string, extra ...uintptr) call {
	addr, n, h := memRange(w.r)
	c := call{nr: nr, a: [6]uintptr{addr, n}}
	copy(c.a[2:], extra)
	c.must = hostileMust(h && n > 0 && n < 1<<62, name)
	return c
}

// genMremap moves or resizes a range of the region; a fixed new place is
// a range memRange gives too (the region's, or one that must be refused),
// any other new length is random.
func genMremap(w *worker) call {
	addr, n, h := memRange(w.r)
	flags := flagsOf(w.r, 1, 2, 4) // MREMAP_MAYMOVE, FIXED, DONTUNMAP
	to, tn, th := memRange(w.r)
	if flags&2 == 0 {
		tn, th = scalar(w.r)%(2*regionSize), false
	}
	c := call{nr: nrMremap, a: [6]uintptr{addr, n, tn, flags, to}, after: noteMapped}
	if h && n > 0 && n < 1<<62 || th && tn > 0 && tn < 1<<62 {
		c.must = "mremap of or to an address no program may use"
	}
	return c
}

// genFutex waits on or wakes words of the region (or hostile ones). A
// wait has a bounded timeout, or none for the plain waits, which the
// watchdog ends; the second word of a requeue or FUTEX_WAKE_OP is one of
// the worker's requeue words, which the watchdog wakes too.
func genFutex(w *worker) call {
	addr, h := ptr(w.r)
	if w.r.IntN(4) > 0 {
		addr &^= 3
	}
	op := []uintptr{0, 1, 128, 129}[w.r.IntN(4)]
	if w.r.IntN(4) == 0 {
		op = uintptr(w.r.IntN(14)) | uintptr(w.r.IntN(2))*128 | uintptr(w.r.IntN(2))*256
	}
	val := uintptr(w.r.IntN(3))
	if w.r.IntN(4) == 0 {
		val = scalar(w.r)
	}
	cmd := op &^ (128 | 256)
	ts, bad := w.timespec(cmd == 0 || cmd == 9) // FUTEX_WAIT, FUTEX_WAIT_BITSET
	addr2 := w.requeue + uintptr(w.r.IntN(requeueWords))*4
	if w.r.IntN(4) == 0 {
		addr2 = hostileAddr(w.r)
	}
	c := call{nr: nrFutex, a: [6]uintptr{addr, op, val, ts, addr2, scalar(w.r)}}
	if cmd == 0 {
		c.must = hostileMust(h || addr < pageSize, "FUTEX_WAIT on a word")
		if c.must == "" {
			c.must = bad
		}
	}
	return c
}

// The result checks and bookkeeping that follow some calls.

// isPID checks getpid.
func isPID(w *worker, c *call, r uintptr, e syscall.Errno) string {
	if e != 0 || int(r) != w.f.pid {
		return "getpid does not return the process's ID"
	}
	return ""
}

// readHostile: a read into an address no program may use must not
// succeed (it may return 0 or EAGAIN, having nothing to copy).
func readHostile(w *worker, c *call, r uintptr, e syscall.Errno) string {
	if e == 0 && r > 0 {
		return "read into an address no program may use succeeded"
	}
	return ""
}

// noteFd records a descriptor a call returned.
func noteFd(w *worker, c *call, r uintptr, e syscall.Errno) string {
	if e == 0 {
		w.f.fds.made(int(r))
	}
	return ""
}

// noteFdIfDup records the descriptor F_DUPFD and F_DUPFD_CLOEXEC return.
func noteFdIfDup(w *worker, c *call, r uintptr, e syscall.Errno) string {
	if c.a[1] == 0 || c.a[1] == 1030 {
		return noteFd(w, c, r, e)
	}
	return ""
}

// notePipe records the descriptors a pipe got (the next free descriptor
// bounds them).
func notePipe(w *worker, c *call, r uintptr, e syscall.Errno) string {
	if e == 0 {
		w.f.fds.probe()
	}
	return ""
}

// noteMapped checks what mmap and mremap return and unmaps what they
// mapped outside the region.
func noteMapped(w *worker, c *call, r uintptr, e syscall.Errno) string {
	if e != 0 {
		return ""
	}
	n := c.a[1]
	if c.nr == nrMremap {
		n = c.a[2]
	}
	n = (n + pageSize - 1) &^ (pageSize - 1)
	if r&(pageSize-1) != 0 || r >= userLimit || r+n > userLimit || r+n < r {
		return "mapped memory no program may use"
	}
	if c.nr == nrMmap && c.a[3]&0x10 != 0 && r != c.a[0] {
		return "MAP_FIXED mapped somewhere else"
	}
	w.f.keepInRegion(r, n)
	return ""
}

// noteChild records the thread a clone made, to check it exited.
func noteChild(w *worker, c *call, r uintptr, e syscall.Errno) string {
	if e == 0 && r > 0 && c.nr == nrClone {
		w.f.child(int(r))
	}
	return ""
}
