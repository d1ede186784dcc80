package proc

import (
	"multikernel/cpudriver/addrspace"
	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/capsys"
	"multikernel/cpudriver/memory"
)

// A Process is the capability calls' Holder (and the device calls'
// Owner): these methods give them its CSpace, its quota and its address
// space.
var _ capsys.Holder = (*Process)(nil)

// CSpace returns the process's capability slots; guarded by the core's
// capability lock.
func (p *Process) CSpace() *capcore.CSpace { return &p.caps }

// Quota returns the process's limit on RAM from the memory service.
func (p *Process) Quota() *memory.Quota { return &p.mem }

// IsMonitor reports whether p is this core's monitor.
func (p *Process) IsMonitor() bool { return p.Monitor }

// CopyIn reads len(b) bytes of the process's memory at va, growing its
// memory account when a page needs it. The caller holds no lock.
func (p *Process) CopyIn(va uint64, b []byte) error { return p.copyUser(va, b, false) }

// CopyOut writes b to the process's memory at va, growing its memory
// account when a page needs it. The caller holds no lock.
func (p *Process) CopyOut(va uint64, b []byte) error { return p.copyUser(va, b, true) }

// copyUser is CopyIn, or CopyOut (out). A copy that lies within the page
// of the space's cached translation (addrspace.Space.Cached), the
// common case of a call's argument or result, takes the lock once and
// calls no function value; the rest goes through WithSpace.
func (p *Process) copyUser(va uint64, b []byte, out bool) error { return p.copyUserBy(nil, va, b, out) }

// copyUserBy is copyUser for thread t (nil: none): a replica's copy
// (replicaCopy) asks the home core, for t, to fault in a page its tables
// lack.
func (p *Process) copyUserBy(t *Thread, va uint64, b []byte, out bool) error {
	if p.span != nil && p.span.replica {
		return p.replicaCopy(t, va, b, out)
	}
	p.mu.Lock()
	if p.space != nil {
		if user, ok := p.space.Cached(va, len(b), out); ok {
			if out {
				copy(user, b)
			} else {
				copy(b, user)
			}
			p.mu.Unlock()
			return nil
		}
	}
	p.mu.Unlock()
	return p.WithSpace(func(s *addrspace.Space) error {
		if out {
			return s.CopyOut(va, b)
		}
		return s.CopyIn(va, b)
	})
}

// MapFrameLocked maps the size bytes at pa at va with prot as a pinned
// area (uncached for device memory), growing the page tables while they
// are short. The core's capability lock is held (so growLocked may
// refill), the process's is not.
func (p *Process) MapFrameLocked(va, pa, size uint64, prot uint32, uncached bool) error {
	for {
		p.mu.Lock()
		err := p.space.MapFrame(va, pa, size, prot, uncached)
		p.mu.Unlock()
		if err != memory.ErrNeedMemory {
			return err
		}
		p.growLocked(p.spaceAccount) // page tables wanted
	}
}

// UnmapFrame removes the pinned mapping [va, va+size) without freeing
// its pages, from the space or from the range of this core that holds
// it (range_frames.go); nothing happens once the space is released.
func (p *Process) UnmapFrame(va, size uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.unmapRangeFrame(va, size) {
		return
	}
	if p.space != nil && !p.space.Released() {
		p.space.UnmapPinned(va, va+size)
	}
}
