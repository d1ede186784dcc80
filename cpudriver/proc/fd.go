package proc

import (
	"sync"
	"time"
)

// File descriptors of a process: 0-2 are the console; the Go runtime's
// netpoller adds an epoll instance and an eventfd. The table has its own
// lock; changed is closed and replaced whenever an eventfd's count
// changes, which is what epoll waiters wait for.
type fdTable struct {
	mu      sync.Mutex
	files   []*file
	changed chan struct{}
}

// maxFds is the most descriptors a process may have open.
const maxFds = 1024

type fileKind int

const (
	kindConsole fileKind = iota + 1
	kindEpoll
	kindEventfd
)

type epollReg struct {
	events uint32
	data   uint64
}

type file struct {
	kind    fileKind
	flags   uint64 // status flags (F_SETFL)
	cloexec bool
	count   uint64           // eventfd counter
	regs    map[int]epollReg // epoll registrations by fd
}

func (t *fdTable) init() {
	t.files = []*file{{kind: kindConsole, flags: 0}, {kind: kindConsole, flags: 1}, {kind: kindConsole, flags: 1}}
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
func (t *fdTable) add(f *file) int {
	for i, g := range t.files {
		if g == nil {
			t.files[i] = f
			return i
		}
	}
	if len(t.files) >= maxFds {
		return -eMFILE
	}
	t.files = append(t.files, f)
	return len(t.files) - 1
}

// signal wakes the epoll waiters. Caller holds t.mu.
func (t *fdTable) signal() {
	close(t.changed)
	t.changed = make(chan struct{})
}

// ready fills up to max events for the epoll file ep. Caller holds t.mu.
func (t *fdTable) ready(ep *file, max int) []epollReg {
	var out []epollReg
	for fd, r := range ep.regs {
		f := t.get(fd)
		if f != nil && f.kind == kindEventfd && f.count > 0 && r.events&1 != 0 && len(out) < max {
			out = append(out, epollReg{1, r.data})
		}
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
			return nil, -eBADF
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
			return nil, -eINTR
		}
	}
}
