package ring0

import (
	"multikernel/cpudriver/linuxabi"

	"multikernel/cpudriver/kpi"
)

// File descriptors of the CPU driver's runtime: 0-2 are the console, and
// the runtime's netpoller opens one epoll instance and one eventfd. That is
// all the table holds; anything else is refused with a Linux errno.

const maxFds = 16

// fd kinds.
const (
	fdNone = iota
	fdConsole
	fdEpoll
	fdEventfd
)

const maxEpollRegs = 8

type epollReg struct {
	fd     int
	events uint32
	data   uint64
}

type fileDesc struct {
	kind    int
	flags   uint64 // F_SETFL flags
	cloexec bool
	count   uint64 // eventfd counter
	regs    [maxEpollRegs]epollReg
	nregs   int
}

var fds [maxFds]fileDesc

//go:nosplit
func initFds() {
	for i := 0; i < 3; i++ {
		fds[i] = fileDesc{kind: fdConsole, flags: 2} // O_RDWR
	}
}

//go:nosplit
func fdGet(fd int) *fileDesc {
	if fd < 0 || fd >= maxFds || fds[fd].kind == fdNone {
		return nil
	}
	return &fds[fd]
}

//go:nosplit
func fdAlloc(kind int) int {
	for i := range fds {
		if fds[i].kind == fdNone {
			fds[i] = fileDesc{kind: kind}
			return i
		}
	}
	return -1
}

//go:nosplit
func fdClose(fd int) uint64 {
	d := fdGet(fd)
	if d == nil {
		return negErrno(kpi.EBADF)
	}
	*d = fileDesc{}
	return 0
}

//go:nosplit
func fdFcntl(fd int, cmd int, arg uint64) uint64 {
	d := fdGet(fd)
	if d == nil {
		return negErrno(kpi.EBADF)
	}
	r, ok := linuxabi.Fcntl(cmd, arg, &d.cloexec, &d.flags)
	if !ok {
		return negErrno(kpi.EINVAL)
	}
	return r
}

//go:nosplit
func sysWriteFd(fd int, buf uintptr, n uint64) uint64 {
	d := fdGet(fd)
	if d == nil {
		return negErrno(kpi.EBADF)
	}
	switch d.kind {
	case fdConsole:
		if n > 1<<20 {
			n = 1 << 20
		}
		consoleWrite(buf, int(n))
		return n
	case fdEventfd:
		if n < 8 {
			return negErrno(kpi.EINVAL)
		}
		v := *u64at(buf)
		if v == ^uint64(0) {
			return negErrno(kpi.EINVAL)
		}
		d.count += v
		wakeEpoll()
		return 8
	}
	return negErrno(kpi.EINVAL)
}

//go:nosplit
func sysReadFd(fd int, buf uintptr, n uint64) uint64 {
	d := fdGet(fd)
	if d == nil {
		return negErrno(kpi.EBADF)
	}
	switch d.kind {
	case fdEventfd:
		if n < 8 {
			return negErrno(kpi.EINVAL)
		}
		if d.count == 0 {
			return negErrno(kpi.EAGAIN) // the runtime opens it non-blocking
		}
		*u64at(buf) = d.count
		d.count = 0
		return 8
	case fdConsole:
		return negErrno(kpi.EAGAIN) // the CPU driver takes no console input
	}
	return negErrno(kpi.EINVAL)
}

//go:nosplit
func eventfdCreate(initval uint32, flags int) uint64 {
	fd := fdAlloc(fdEventfd)
	if fd < 0 {
		return negErrno(kpi.EMFILE)
	}
	fds[fd].count = uint64(initval)
	fds[fd].flags = uint64(flags) & 0x800 // O_NONBLOCK
	fds[fd].cloexec = flags&0x80000 != 0
	return uint64(fd)
}

//go:nosplit
func epollCreate() uint64 {
	fd := fdAlloc(fdEpoll)
	if fd < 0 {
		return negErrno(kpi.EMFILE)
	}
	return uint64(fd)
}

// epollCtl handles EPOLL_CTL_ADD (1), DEL (2) and MOD (3). The event
// structure is packed: u32 events, u64 data.
//
//go:nosplit
func epollCtl(epfd, op, fd int, ev uintptr) uint64 {
	ep := fdGet(epfd)
	if ep == nil || ep.kind != fdEpoll || fdGet(fd) == nil {
		return negErrno(kpi.EBADF)
	}
	idx := -1
	for i := 0; i < ep.nregs && i < maxEpollRegs; i++ {
		if ep.regs[i].fd == fd {
			idx = i
		}
	}
	switch op {
	case 1, 3:
		if (op == 1) != (idx < 0) {
			if op == 1 {
				return negErrno(17) // EEXIST
			}
			return negErrno(kpi.ENOENT)
		}
		if idx < 0 {
			if ep.nregs >= maxEpollRegs {
				return negErrno(kpi.ENOMEM)
			}
			idx = ep.nregs
			ep.nregs++
		}
		ep.regs[idx] = epollReg{fd, *u32at(ev), *u64at(ev + 4)}
	case 2:
		if idx < 0 {
			return negErrno(kpi.ENOENT)
		}
		ep.nregs--
		ep.regs[idx] = ep.regs[ep.nregs&(maxEpollRegs-1)]
	default:
		return negErrno(kpi.EINVAL)
	}
	return 0
}

// epollPwait reports ready registrations (an eventfd with a non-zero count
// is readable). It returns true when it blocked the thread instead.
//
//go:nosplit
func epollPwait(epfd int, events uintptr, max int, timeout int) bool {
	f := &threads[cur].frame
	ep := fdGet(epfd)
	if ep == nil || ep.kind != fdEpoll {
		f.AX = negErrno(kpi.EBADF)
		return false
	}
	if max <= 0 {
		f.AX = negErrno(kpi.EINVAL)
		return false
	}
	n := 0
	for i := 0; i < ep.nregs && i < maxEpollRegs && n < max; i++ {
		r := ep.regs[i]
		d := fdGet(r.fd)
		if d != nil && d.kind == fdEventfd && d.count > 0 && r.events&1 != 0 {
			p := events + uintptr(n)*12
			*u32at(p) = 1 // EPOLLIN
			*u64at(p + 4) = r.data
			n++
		}
	}
	if n > 0 || timeout == 0 {
		f.AX = uint64(n)
		return false
	}
	deadline := int64(0)
	if timeout > 0 {
		deadline = nanotime() + int64(timeout)*1000000
	}
	block(thEpoll, deadline)
	return true
}
