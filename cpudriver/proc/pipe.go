package proc

import (
	"encoding/binary"

	"multikernel/cpudriver/kpi"
)

// pipeCapacity is how many bytes a pipe holds (Linux's default).
const pipeCapacity = 64 << 10

// pipeBuf is the shared buffer of a pipe's two ends; guarded by the fd
// table's lock.
type pipeBuf struct {
	data             []byte
	readers, writers int
	gen              uint64 // bumped on every change, for edge-triggered epoll
}

// pipe2 creates a pipe (flags O_NONBLOCK 0x800, O_CLOEXEC 0x80000).
func (t *Thread) pipe2(fds uint64, flags int) int64 {
	if flags&^(0x800|0x80000) != 0 {
		return -kpi.EINVAL
	}
	ft := &t.proc.fds
	ft.mu.Lock()
	p := &pipeBuf{readers: 1, writers: 1}
	fl := uint64(flags & 0x800)
	r := ft.add(&file{kind: kindPipe, pipe: p, readEnd: true, flags: fl, cloexec: flags&0x80000 != 0})
	if r < 0 {
		ft.mu.Unlock()
		return int64(r)
	}
	w := ft.add(&file{kind: kindPipe, pipe: p, flags: fl | 1, cloexec: flags&0x80000 != 0})
	if w < 0 {
		ft.files[r] = nil
		ft.mu.Unlock()
		return int64(w)
	}
	ft.mu.Unlock()
	var b [8]byte
	binary.LittleEndian.PutUint32(b[:], uint32(r))
	binary.LittleEndian.PutUint32(b[4:], uint32(w))
	if t.copyOut(fds, b[:]) != nil {
		t.close(r)
		t.close(w)
		return -kpi.EFAULT
	}
	return 0
}

// pipeRead reads up to n bytes, blocking unless the end is non-blocking.
// Caller holds the table's lock (released while blocked).
func (t *Thread) pipeRead(f *file, n uint64) ([]byte, int64) {
	ft := &t.proc.fds
	p := f.pipe
	for len(p.data) == 0 {
		if p.writers == 0 {
			return nil, 0 // end of file
		}
		if f.nonblock() {
			return nil, -kpi.EAGAIN
		}
		if !t.waitFds(ft) {
			return nil, -kpi.EINTR
		}
	}
	k := min(n, uint64(len(p.data)))
	b := append([]byte(nil), p.data[:k]...)
	p.data = p.data[k:]
	p.gen++
	ft.signal()
	return b, int64(k)
}

// pipeWrite writes b, blocking while the pipe is full unless the end is
// non-blocking (then it writes what fits, or EAGAIN). Caller holds the
// table's lock (released while blocked).
func (t *Thread) pipeWrite(f *file, b []byte) int64 {
	ft := &t.proc.fds
	p := f.pipe
	written := 0
	for len(b) > 0 {
		if p.readers == 0 {
			return -kpi.EPIPE // no signal delivery yet: EPIPE alone
		}
		room := pipeCapacity - len(p.data)
		if room == 0 {
			if f.nonblock() {
				if written > 0 {
					return int64(written)
				}
				return -kpi.EAGAIN
			}
			if !t.waitFds(ft) {
				return -kpi.EINTR
			}
			continue
		}
		k := min(room, len(b))
		p.data = append(p.data, b[:k]...)
		b = b[k:]
		written += k
		p.gen++
		ft.signal()
	}
	return int64(written)
}
