package proc

import (
	"encoding/binary"
	"time"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/linuxabi"
)

func (t *Thread) write(fd int, buf, n uint64) int64 {
	ft := &t.proc.fds
	ft.mu.Lock()
	f := ft.get(fd)
	ft.mu.Unlock()
	if f == nil {
		return -kpi.EBADF
	}
	switch f.kind {
	case kindConsole:
		n = min(n, 1<<20)
		b := make([]byte, n)
		if t.copyIn(buf, b) != nil {
			return -kpi.EFAULT
		}
		t.proc.write(b)
		return int64(n)
	case kindPipe:
		if f.readEnd {
			return -kpi.EBADF
		}
		b := make([]byte, min(n, 1<<20))
		if t.copyIn(buf, b) != nil {
			return -kpi.EFAULT
		}
		ft.mu.Lock()
		defer ft.mu.Unlock()
		return t.pipeWrite(f, b)
	case kindEventfd:
		if n < 8 {
			return -kpi.EINVAL
		}
		v, err := t.getU64(buf)
		if err != nil {
			return -kpi.EFAULT
		}
		if v == ^uint64(0) {
			return -kpi.EINVAL
		}
		ft.mu.Lock()
		f.count += v
		f.gen++
		ft.signal()
		ft.mu.Unlock()
		return 8
	}
	return -kpi.EINVAL
}

func (t *Thread) read(fd int, buf, n uint64) int64 {
	ft := &t.proc.fds
	ft.mu.Lock()
	f := ft.get(fd)
	if f == nil {
		ft.mu.Unlock()
		return -kpi.EBADF
	}
	switch f.kind {
	case kindEventfd:
		if n < 8 {
			ft.mu.Unlock()
			return -kpi.EINVAL
		}
		v := f.count
		if v == 0 {
			ft.mu.Unlock()
			return -kpi.EAGAIN // the runtime opens it non-blocking
		}
		f.count = 0
		f.gen++
		ft.mu.Unlock()
		if t.putU64(buf, v) != nil {
			return -kpi.EFAULT
		}
		return 8
	case kindConsole:
		nonblock := f.nonblock()
		ft.mu.Unlock()
		if fd != 0 {
			return -kpi.EBADF // stdout and stderr are write-only
		}
		b, r := t.readStdin(min(n, 4096), nonblock)
		if r > 0 && t.copyOut(buf, b) != nil {
			return -kpi.EFAULT
		}
		return r
	case kindPipe:
		if !f.readEnd {
			ft.mu.Unlock()
			return -kpi.EBADF
		}
		b, r := t.pipeRead(f, min(n, 1<<20))
		ft.mu.Unlock()
		if r > 0 && t.copyOut(buf, b) != nil {
			return -kpi.EFAULT
		}
		return r
	}
	ft.mu.Unlock()
	return -kpi.EINVAL
}

func (t *Thread) close(fd int) int64 {
	ft := &t.proc.fds
	ft.mu.Lock()
	defer ft.mu.Unlock()
	f := ft.get(fd)
	if f == nil {
		return -kpi.EBADF
	}
	ft.files[fd] = nil
	if f.kind == kindPipe {
		if f.readEnd {
			f.pipe.readers--
		} else {
			f.pipe.writers--
		}
		f.pipe.gen++
		ft.signal()
	}
	for _, g := range ft.files { // an epoll set forgets a closed fd
		if g != nil && g.kind == kindEpoll {
			delete(g.regs, fd)
		}
	}
	return 0
}

func (t *Thread) fcntl(fd, cmd int, arg uint64) int64 {
	ft := &t.proc.fds
	ft.mu.Lock()
	defer ft.mu.Unlock()
	f := ft.get(fd)
	if f == nil {
		return -kpi.EBADF
	}
	r, ok := linuxabi.Fcntl(cmd, arg, &f.cloexec, &f.flags)
	if !ok {
		return -kpi.EINVAL
	}
	return int64(r)
}

func (t *Thread) eventfd(initval uint32, flags int) int64 {
	ft := &t.proc.fds
	ft.mu.Lock()
	defer ft.mu.Unlock()
	return int64(ft.add(&file{kind: kindEventfd, count: uint64(initval),
		flags: uint64(flags) & 0x800, cloexec: flags&0x80000 != 0}))
}

func (t *Thread) epollCreate() int64 {
	ft := &t.proc.fds
	ft.mu.Lock()
	defer ft.mu.Unlock()
	return int64(ft.add(&file{kind: kindEpoll, regs: map[int]epollReg{}}))
}

// epollCtl: EPOLL_CTL_ADD (1), DEL (2), MOD (3); struct epoll_event is
// packed: u32 events, u64 data.
func (t *Thread) epollCtl(epfd, op, fd int, ev uint64) int64 {
	var b [12]byte
	if op != 2 && t.copyIn(ev, b[:]) != nil {
		return -kpi.EFAULT
	}
	ft := &t.proc.fds
	ft.mu.Lock()
	defer ft.mu.Unlock()
	ep := ft.get(epfd)
	if ep == nil || ep.kind != kindEpoll || ft.get(fd) == nil {
		return -kpi.EBADF
	}
	_, has := ep.regs[fd]
	switch op {
	case 1:
		if has {
			return -kpi.EEXIST
		}
	case 2, 3:
		if !has {
			return -kpi.ENOENT
		}
	default:
		return -kpi.EINVAL
	}
	if op == 2 {
		delete(ep.regs, fd)
		return 0
	}
	ep.regs[fd] = epollReg{events: binary.LittleEndian.Uint32(b[:]), data: binary.LittleEndian.Uint64(b[4:]), lastGen: ^uint64(0)}
	return 0
}

func (t *Thread) epollPwait(epfd int, events uint64, max int, timeoutMs int32) int64 {
	if max <= 0 {
		return -kpi.EINVAL
	}
	d := time.Duration(timeoutMs) * time.Millisecond
	evs, r := t.proc.fds.epollWait(epfd, max, d, t.proc.dying)
	if r <= 0 {
		if r == -kpi.EINTR {
			return -kpi.EINTR
		}
		return r
	}
	b := make([]byte, 12*len(evs))
	for i, e := range evs {
		binary.LittleEndian.PutUint32(b[i*12:], e.events)
		binary.LittleEndian.PutUint64(b[i*12+4:], e.data)
	}
	if t.copyOut(events, b) != nil {
		return -kpi.EFAULT
	}
	return r
}
