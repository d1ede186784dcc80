package fds

import (
	"time"

	"multikernel/cpudriver/kpi"
)

// epoll event bits (sys/epoll.h).
const (
	EpollIn    = 0x1
	EpollOut   = 0x4
	EpollErr   = 0x8
	EpollHup   = 0x10
	EpollRdhup = 0x2000
	EpollET    = 1 << 31
)

// epoll_ctl operations.
const (
	EpollCtlAdd = 1
	EpollCtlDel = 2
	EpollCtlMod = 3
)

// epollReg is one registration of an epoll instance.
type epollReg struct {
	events  uint32
	data    uint64
	lastGen uint64 // the file's state generation when last reported
}

// Event is one ready registration as epoll_wait reports it.
type Event struct {
	Events uint32
	Data   uint64
}

// NewEpoll makes an epoll instance and returns its descriptor.
func (t *Table) NewEpoll() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return int64(t.addLocked(&File{kind: Epoll, regs: map[int]epollReg{}}))
}

// EpollCtl adds, changes or removes (op) the registration of fd with the
// epoll instance epfd, for events and data.
func (t *Table) EpollCtl(epfd, op, fd int, events uint32, data uint64) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	ep := t.getLocked(epfd)
	if ep == nil || ep.kind != Epoll || t.getLocked(fd) == nil {
		return -kpi.EBADF
	}
	_, has := ep.regs[fd]
	switch op {
	case EpollCtlAdd:
		if has {
			return -kpi.EEXIST
		}
	case EpollCtlDel, EpollCtlMod:
		if !has {
			return -kpi.ENOENT
		}
	default:
		return -kpi.EINVAL
	}
	if op == EpollCtlDel {
		delete(ep.regs, fd)
		return 0
	}
	ep.regs[fd] = epollReg{events: events, data: data, lastGen: ^uint64(0)}
	return 0
}

// readyLocked fills up to max events for the epoll file ep. An
// edge-triggered registration (EPOLLET) is reported only when its file's
// state changed since the last report. t.mu is held.
func (t *Table) readyLocked(ep *File, max int) []Event {
	var out []Event
	for fd, r := range ep.regs {
		if len(out) >= max {
			break
		}
		f := t.getLocked(fd)
		if f == nil {
			continue
		}
		ev, gen := f.poll()
		ev &= r.events | EpollErr | EpollHup
		if ev == 0 || (r.events&EpollET != 0 && gen == r.lastGen) {
			continue
		}
		r.lastGen = gen
		ep.regs[fd] = r
		out = append(out, Event{Events: ev, Data: r.data})
	}
	return out
}

// EpollWait waits until the epoll instance epfd has up to max ready
// registrations, or timeout passes (negative: forever; 0: don't wait),
// or done closes (-EINTR). It returns them and their number.
func (t *Table) EpollWait(epfd, max int, timeout time.Duration, done <-chan struct{}) ([]Event, int64) {
	var deadline <-chan time.Time
	if timeout > 0 {
		tm := time.NewTimer(timeout)
		defer tm.Stop()
		deadline = tm.C
	}
	for {
		t.mu.Lock()
		ep := t.getLocked(epfd)
		if ep == nil || ep.kind != Epoll {
			t.mu.Unlock()
			return nil, -kpi.EBADF
		}
		evs := t.readyLocked(ep, max)
		ch := t.changed
		t.mu.Unlock()
		if len(evs) > 0 || timeout == 0 {
			return evs, int64(len(evs))
		}
		select {
		case <-ch:
		case <-deadline:
			return nil, 0
		case <-done:
			return nil, -kpi.EINTR
		}
	}
}
