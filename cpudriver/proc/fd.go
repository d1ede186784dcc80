package proc

import (
	"sync"
	"time"

	"multikernel/cpudriver/kpi"
)

// File descriptors of a process: 0-2 are the console; the Go runtime's
// netpoller adds an epoll instance and an eventfd; programs add pipes. The
// table has its own lock, which also guards every file and pipe; changed
// is closed and replaced whenever a file's state changes (an eventfd's
// count, a pipe's contents or ends), which is what blocked readers,
// writers and epoll waiters wait for.
type fdTable struct {
	mu      sync.Mutex
	files   []*file
	changed chan struct{}
	limit   int // RLIMIT_NOFILE's soft limit; 0: maxFds. Guarded by mu.
}

// maxFds is the most descriptors a process may have open.
const maxFds = 1024

type fileKind int

const (
	kindConsole fileKind = iota + 1
	kindEpoll
	kindEventfd
	kindPipe
)

// epoll event bits (sys/epoll.h).
const (
	epollIn    = 0x1
	epollOut   = 0x4
	epollErr   = 0x8
	epollHup   = 0x10
	epollRdhup = 0x2000
	epollET    = 1 << 31
)

type epollReg struct {
	events  uint32
	data    uint64
	lastGen uint64 // the file's state generation when last reported
}

type file struct {
	kind    fileKind
	flags   uint64 // status flags (F_SETFL)
	cloexec bool
	count   uint64           // eventfd counter
	gen     uint64           // eventfd state generation
	regs    map[int]epollReg // epoll registrations by fd
	pipe    *pipeBuf         // for a pipe end
	readEnd bool             // which end
}

// nonblock reports O_NONBLOCK.
func (f *file) nonblock() bool { return f.flags&0x800 != 0 }

// poll returns the events f is ready for and its state generation.
// Caller holds the table's lock.
func (f *file) poll() (uint32, uint64) {
	switch f.kind {
	case kindConsole:
		return epollOut, 0
	case kindEventfd:
		ev := uint32(epollOut)
		if f.count > 0 {
			ev |= epollIn
		}
		return ev, f.gen
	case kindPipe:
		p := f.pipe
		var ev uint32
		if f.readEnd {
			if len(p.data) > 0 {
				ev |= epollIn
			}
			if p.writers == 0 {
				ev |= epollIn | epollHup | epollRdhup
			}
		} else {
			if len(p.data) < pipeCapacity {
				ev |= epollOut
			}
			if p.readers == 0 {
				ev |= epollErr
			}
		}
		return ev, p.gen
	}
	return 0, 0
}

func (t *fdTable) init() {
	t.files = []*file{{kind: kindConsole, flags: 0}, {kind: kindConsole, flags: 1}, {kind: kindConsole, flags: 1}} // O_RDONLY, O_WRONLY
	t.changed = make(chan struct{})
}

// get returns the file for fd. Caller holds t.mu.
func (t *fdTable) get(fd int) *file {
	if fd < 0 || fd >= len(t.files) {
		return nil
	}
	return t.files[fd]
}

// add installs f at the lowest free descriptor. Caller holds t.mu.
// As Linux under RLIMIT_NOFILE, it fails with EMFILE when the lowest
// free descriptor is at or above the process's limit (limit; 0: maxFds).
func (t *fdTable) add(f *file) int {
	lim := t.limit
	if lim == 0 {
		lim = maxFds
	}
	fd := len(t.files)
	for i, g := range t.files {
		if g == nil {
			fd = i
			break
		}
	}
	if fd >= lim {
		return -kpi.EMFILE
	}
	if fd == len(t.files) {
		t.files = append(t.files, f)
	} else {
		t.files[fd] = f
	}
	return fd
}

// wait blocks until the table changes or done closes; it reports false
// for done. Caller holds t.mu, which is released while waiting and held
// again on return.
func (t *fdTable) wait(done <-chan struct{}) bool {
	ch := t.changed
	t.mu.Unlock()
	defer t.mu.Lock()
	select {
	case <-ch:
		return true
	case <-done:
		return false
	}
}

// signal wakes the epoll waiters. Caller holds t.mu.
func (t *fdTable) signal() {
	close(t.changed)
	t.changed = make(chan struct{})
}

// ready fills up to max events for the epoll file ep. An edge-triggered
// registration (EPOLLET) is reported only when its file's state changed
// since the last report. Caller holds t.mu.
func (t *fdTable) ready(ep *file, max int) []epollReg {
	var out []epollReg
	for fd, r := range ep.regs {
		if len(out) >= max {
			break
		}
		f := t.get(fd)
		if f == nil {
			continue
		}
		ev, gen := f.poll()
		ev &= r.events | epollErr | epollHup
		if ev == 0 || (r.events&epollET != 0 && gen == r.lastGen) {
			continue
		}
		r.lastGen = gen
		ep.regs[fd] = r
		out = append(out, epollReg{events: ev, data: r.data})
	}
	return out
}

// epollWait waits until ep has ready registrations or timeout passes
// (negative: forever; 0: don't wait) or done closes.
func (t *fdTable) epollWait(epfd, max int, timeout time.Duration, done <-chan struct{}) ([]epollReg, int64) {
	var deadline <-chan time.Time
	if timeout > 0 {
		tm := time.NewTimer(timeout)
		defer tm.Stop()
		deadline = tm.C
	}
	for {
		t.mu.Lock()
		ep := t.get(epfd)
		if ep == nil || ep.kind != kindEpoll {
			t.mu.Unlock()
			return nil, -kpi.EBADF
		}
		evs := t.ready(ep, max)
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
