// Package fds is a process's file descriptors as the CPU driver's Linux
// calls see them: the table, the kinds of open file there are (the
// console, epoll instances, eventfds, pipes), and what each does. It
// touches no user memory: the calls in cpudriver/linux copy arguments
// and results in and out. Descriptors 0-2 are the console; the Go
// runtime's netpoller adds an epoll instance and an eventfd; programs add
// pipes.
//
// A Table has its own lock, which also guards every file and pipe in it:
// the table's methods take it, and no method is called with it held.
// Get alone takes no lock: each descriptor's file is also published in
// an atomic slot (written under the lock, read without it), so that a
// lookup, the first step of every descriptor call, costs one load, as
// Linux's lookup under RCU.
// changed is closed and replaced whenever a file's state changes (an
// eventfd's count, a pipe's contents or ends), which is what blocked
// readers, writers and epoll waiters wait for.
package fds

import (
	"sync"
	"sync/atomic"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/linuxabi"
)

// Table is one process's descriptors.
type Table struct {
	mu      sync.Mutex
	files   []*File                   // guarded by mu
	open    [Max]atomic.Pointer[File] // files[fd] for every fd < len(files), nil beyond: written under mu (setLocked), read by Get without it
	changed chan struct{}
	limit   int // RLIMIT_NOFILE's soft limit; 0: Max. Guarded by mu.
}

// Max is the most descriptors a process may have open.
const Max = 1024

// Kind is what an open file is.
type Kind int

// The kinds of file.
const (
	Console Kind = iota + 1
	Epoll
	Eventfd
	Pipe
)

// O_NONBLOCK and O_CLOEXEC, as status flags and as the flags of pipe2
// and eventfd2.
const (
	oNonblock = 0x800
	oCloexec  = 0x80000
)

// Init gives the table its console descriptors: 0 read-only, 1 and 2
// write-only.
func (t *Table) Init() {
	t.files = []*File{{kind: Console, flags: 0}, {kind: Console, flags: 1}, {kind: Console, flags: 1}} // O_RDONLY, O_WRONLY
	for fd, f := range t.files {
		t.open[fd].Store(f)
	}
	t.changed = make(chan struct{})
}

// SetLimit sets how many descriptors the table may hold (RLIMIT_NOFILE's
// soft limit), at most Max.
func (t *Table) SetLimit(n uint64) {
	t.mu.Lock()
	t.limit = int(min(n, Max))
	t.mu.Unlock()
}

// Get returns the open file fd, or nil. It takes no lock (the file's
// slot is atomic): like a lookup under the lock, it returns what fd held
// at some moment during the call.
func (t *Table) Get(fd int) *File {
	if uint(fd) >= Max {
		return nil
	}
	return t.open[fd].Load()
}

// setLocked makes f (nil: none) the file of descriptor fd, which is
// below len(t.files): every change of a descriptor goes through here,
// so that Get sees it. t.mu is held.
func (t *Table) setLocked(fd int, f *File) {
	t.files[fd] = f
	t.open[fd].Store(f)
}

func (t *Table) getLocked(fd int) *File {
	if fd < 0 || fd >= len(t.files) {
		return nil
	}
	return t.files[fd]
}

// addLocked puts f in the lowest free descriptor and returns it, or
// -EMFILE when the limit is reached. t.mu is held.
func (t *Table) addLocked(f *File) int {
	lim := t.limit
	if lim == 0 {
		lim = Max
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
		t.files = append(t.files, nil)
	}
	t.setLocked(fd, f)
	return fd
}

// A Wait is how a call that may block waits: it blocks until changed is
// closed (true) or the caller must give up (false: its process is
// ending). proc.Thread.WaitOn is one; Until makes one from a channel.
type Wait func(changed <-chan struct{}) bool

// Until returns a Wait that gives up when done closes.
func Until(done <-chan struct{}) Wait {
	return func(changed <-chan struct{}) bool {
		select {
		case <-changed:
			return true
		case <-done:
			return false
		}
	}
}

// waitLocked waits with wait, with t.mu held and released meanwhile,
// until a file changes; false if wait gave up.
func (t *Table) waitLocked(wait Wait) bool {
	ch := t.changed
	t.mu.Unlock()
	defer t.mu.Lock()
	return wait(ch)
}

// signalLocked wakes everyone waiting for a change. t.mu is held.
func (t *Table) signalLocked() {
	close(t.changed)
	t.changed = make(chan struct{})
}

// Close closes fd: 0 or -EBADF. A pipe end's peer sees it go; an epoll
// set forgets it.
func (t *Table) Close(fd int) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.getLocked(fd)
	if f == nil {
		return -kpi.EBADF
	}
	t.setLocked(fd, nil)
	if f.kind == Pipe {
		if f.readEnd {
			f.pipe.readers--
		} else {
			f.pipe.writers--
		}
		f.pipe.gen++
		t.signalLocked()
	}
	for _, g := range t.files {
		if g != nil && g.kind == Epoll {
			delete(g.regs, fd)
		}
	}
	return 0
}

// Fcntl runs fcntl(fd, cmd, arg) on the descriptor's flags.
func (t *Table) Fcntl(fd, cmd int, arg uint64) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.getLocked(fd)
	if f == nil {
		return -kpi.EBADF
	}
	r, ok := linuxabi.Fcntl(cmd, arg, &f.cloexec, &f.flags)
	if !ok {
		return -kpi.EINVAL
	}
	return int64(r)
}

// Nonblock reports whether f has O_NONBLOCK set.
func (t *Table) Nonblock(f *File) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return f.nonblock()
}
