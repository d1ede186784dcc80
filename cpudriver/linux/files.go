package linux

import (
	"encoding/binary"
	"time"

	"multikernel/cpudriver/fds"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/proc"
)

// Descriptor calls: the table and its files are package fds's; these
// copy arguments and results between it and the program's memory, and
// never with the table's lock held (a copy may fault a page in).

// maxIO bounds one read or write of a pipe or the console.
const maxIO = 1 << 20

func write(t *proc.Thread, a [6]uint64) int64 {
	fd, buf, n := int(a[0]), a[1], a[2]
	ft := t.Proc().FDs()
	f := ft.Get(fd)
	if f == nil {
		return -kpi.EBADF
	}
	switch f.Kind() {
	case fds.Console:
		b := make([]byte, min(n, maxIO))
		if t.CopyIn(buf, b) != nil {
			return -kpi.EFAULT
		}
		t.Output(b)
		return int64(len(b))
	case fds.Pipe:
		if f.ReadEnd() {
			return -kpi.EBADF
		}
		b := make([]byte, min(n, maxIO))
		if t.CopyIn(buf, b) != nil {
			return -kpi.EFAULT
		}
		return woke(t, ft.PipeWrite(f, b, t.WaitOn))
	case fds.Eventfd:
		if n < 8 {
			return -kpi.EINVAL
		}
		v, err := t.GetU64(buf)
		if err != nil {
			return -kpi.EFAULT
		}
		return woke(t, ft.EventfdAdd(f, v))
	}
	return -kpi.EINVAL
}

// woke passes on the result r of a write that may have woken a reader:
// if it wrote, the core's next yield lets the reader run
// (proc.Thread.Woke).
func woke(t *proc.Thread, r int64) int64 {
	if r > 0 {
		t.Woke()
	}
	return r
}

func read(t *proc.Thread, a [6]uint64) int64 {
	fd, buf, n := int(a[0]), a[1], a[2]
	ft := t.Proc().FDs()
	f := ft.Get(fd)
	if f == nil {
		return -kpi.EBADF
	}
	var b []byte
	var r int64
	switch f.Kind() {
	case fds.Eventfd:
		if n < 8 {
			return -kpi.EINVAL
		}
		v, r := ft.EventfdTake(f)
		if r < 0 {
			return r
		}
		if t.PutU64(buf, v) != nil {
			return -kpi.EFAULT
		}
		return r
	case fds.Console:
		if fd != 0 {
			return -kpi.EBADF // stdout and stderr are write-only
		}
		b, r = readStdin(t, min(n, 4096), ft.Nonblock(f))
	case fds.Pipe:
		if !f.ReadEnd() {
			return -kpi.EBADF
		}
		b, r = ft.PipeRead(f, min(n, maxIO), t.WaitOn)
	default:
		return -kpi.EINVAL
	}
	if r > 0 && t.CopyOut(buf, b) != nil {
		return -kpi.EFAULT
	}
	return r
}

func closeFd(t *proc.Thread, a [6]uint64) int64 {
	fd := int(a[0])
	return t.Proc().FDs().Close(fd)
}

func fcntl(t *proc.Thread, a [6]uint64) int64 {
	fd, cmd, arg := int(a[0]), int(a[1]), a[2]
	return t.Proc().FDs().Fcntl(fd, cmd, arg)
}

func eventfd(t *proc.Thread, a [6]uint64) int64 {
	initval, flags := uint32(a[0]), int(a[1])
	return t.Proc().FDs().NewEventfd(initval, flags)
}

func epollCreate(t *proc.Thread, _ [6]uint64) int64 { return t.Proc().FDs().NewEpoll() }

func epollCtl(t *proc.Thread, a [6]uint64) int64 {
	epfd, op, fd, ev := int(a[0]), int(a[1]), int(a[2]), a[3]
	var b [12]byte
	if op != fds.EpollCtlDel && t.CopyIn(ev, b[:]) != nil {
		return -kpi.EFAULT
	}
	return t.Proc().FDs().EpollCtl(epfd, op, fd, binary.LittleEndian.Uint32(b[:]), binary.LittleEndian.Uint64(b[4:]))
}

func epollPwait(t *proc.Thread, a [6]uint64) int64 {
	epfd, events, max, timeoutMs := int(a[0]), a[1], int(a[2]), int32(a[3])
	if max <= 0 {
		return -kpi.EINVAL
	}
	d := time.Duration(timeoutMs) * time.Millisecond
	t.WaitUntil(d) // a yield on the core lets it run once d is over (none for d <= 0)
	evs, r := t.Proc().FDs().EpollWait(epfd, max, d, t.Proc().Dying())
	if r <= 0 {
		return r
	}
	b := make([]byte, 12*len(evs))
	for i, e := range evs {
		binary.LittleEndian.PutUint32(b[i*12:], e.Events)
		binary.LittleEndian.PutUint64(b[i*12+4:], e.Data)
	}
	if t.CopyOut(events, b) != nil {
		return -kpi.EFAULT
	}
	return r
}

func pipe2(t *proc.Thread, a [6]uint64) int64 {
	fdsva, flags := a[0], int(a[1])
	ft := t.Proc().FDs()
	r, w := ft.NewPipe(flags)
	if r < 0 {
		return r
	}
	var b [8]byte
	binary.LittleEndian.PutUint32(b[:], uint32(r))
	binary.LittleEndian.PutUint32(b[4:], uint32(w))
	if t.CopyOut(fdsva, b[:]) != nil {
		ft.Close(int(r))
		ft.Close(int(w))
		return -kpi.EFAULT
	}
	return 0
}
