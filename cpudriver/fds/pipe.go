package fds

import "multikernel/cpudriver/kpi"

// PipeCapacity is how much a pipe holds before its writers wait.
const PipeCapacity = 64 << 10

// pipeBuf is the buffer of one pipe, shared by its two ends; guarded by
// the table's lock.
type pipeBuf struct {
	data             []byte
	readers, writers int
	gen              uint64 // bumped on every change, for edge-triggered epoll
}

// NewPipe makes a pipe (pipe2's flags: O_NONBLOCK, O_CLOEXEC) and returns
// its read and write descriptors, or an errno in r.
func (t *Table) NewPipe(flags int) (r, w int64) {
	if flags&^(oNonblock|oCloexec) != 0 {
		return -kpi.EINVAL, 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	p := &pipeBuf{readers: 1, writers: 1}
	fl := uint64(flags & oNonblock)
	rd := t.addLocked(&File{kind: Pipe, pipe: p, readEnd: true, flags: fl, cloexec: flags&oCloexec != 0})
	if rd < 0 {
		return int64(rd), 0
	}
	wr := t.addLocked(&File{kind: Pipe, pipe: p, flags: fl | 1, cloexec: flags&oCloexec != 0})
	if wr < 0 {
		t.setLocked(rd, nil)
		return int64(wr), 0
	}
	return int64(rd), int64(wr)
}

// PipeRead reads up to n bytes from the pipe's read end f, waiting while
// it is empty and has writers (unless O_NONBLOCK), with wait, which may
// give up (-EINTR). 0 bytes is the end of the file.
func (t *Table) PipeRead(f *File, n uint64, wait Wait) ([]byte, int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := f.pipe
	for len(p.data) == 0 {
		if p.writers == 0 {
			return nil, 0 // end of file
		}
		if f.nonblock() {
			return nil, -kpi.EAGAIN
		}
		if !t.waitLocked(wait) {
			return nil, -kpi.EINTR
		}
	}
	k := min(n, uint64(len(p.data)))
	b := append([]byte(nil), p.data[:k]...)
	p.data = p.data[k:]
	p.gen++
	t.signalLocked()
	return b, int64(k)
}

// PipeWrite writes b to the pipe's write end f, waiting for room (unless
// O_NONBLOCK) with wait, which may give up (-EINTR), and returns how
// much it wrote. Without readers it is -EPIPE (no SIGPIPE is
// delivered).
func (t *Table) PipeWrite(f *File, b []byte, wait Wait) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := f.pipe
	written := 0
	for len(b) > 0 {
		if p.readers == 0 {
			return -kpi.EPIPE
		}
		room := PipeCapacity - len(p.data)
		if room == 0 {
			if f.nonblock() {
				if written > 0 {
					return int64(written)
				}
				return -kpi.EAGAIN
			}
			if !t.waitLocked(wait) {
				return -kpi.EINTR
			}
			continue
		}
		k := min(room, len(b))
		p.data = append(p.data, b[:k]...)
		b = b[k:]
		written += k
		p.gen++
		t.signalLocked()
	}
	return int64(written)
}
