package proc

import (
	"sync/atomic"

	"multikernel/cpudriver/ranges"
	"multikernel/cpudriver/ring0"
)

// Faults in ranges, and their end (ranges.go says where each range is
// held).

// homeRangeFault is the space's RangeFault: a fault, or kernel copy, of
// this (the home) core in a range's slot. The process's lock is held.
func (p *Process) homeRangeFault(va uint64, write, exec bool) (bool, error) {
	return p.rangeFaultLocked(ring0.Core().Index, va, write, exec)
}

// rangeFaultLocked (the home core) answers a fault of core's thread at
// va in a range's slot: a private range of this core faults here, a
// shared range attached to core faults in its tables (and this core's
// root copies the range's entry, for this core's own faults); anything
// else is a real fault. The process's lock is held.
func (p *Process) rangeFaultLocked(core int, va uint64, write, exec bool) (bool, error) {
	i, ok := p.ranges.table.At(va)
	cores, live := p.ranges.table.Cores(i)
	r := p.ranges.held[i]
	if !ok || !live || cores&(1<<core) == 0 || r == nil || r.Own() && core != ring0.Core().Index {
		return false, nil
	}
	if !r.Own() && core == ring0.Core().Index && syncEntry(p.space.Root(), p.space.RangeRoot(), r.Slot()) {
		return true, nil // mapped already (a Frame, or by another core's fault): this root lacked the entry
	}
	ok, err := r.Fault(va, write, exec)
	if ok && !r.Own() && core == ring0.Core().Index {
		syncEntry(p.space.Root(), p.space.RangeRoot(), r.Slot())
	}
	return ok, err
}

// syncEntry copies from's PML4 entry slot into root if root has none and
// from has one, and reports whether it did. A shared range's entry is
// set once and stays until the program ends (ranges.Table retires a
// shared range's slot), so a copied entry never dangles.
func syncEntry(root, from uint64, slot int) bool {
	if from == 0 {
		return false
	}
	r, f := &ring0.PhysWords(root)[slot], ring0.PhysWords(from)[slot]
	if *r == 0 && f != 0 {
		*r = f
		return true
	}
	return false
}

// replicaRangeFault handles a fault of a replica's thread in a range's
// slot that this core can answer: a private range of this core faults
// here (growing its account if need be), and a shared range attached to
// this core whose entry the range root has is copied into this core's
// root. handled is false when the home core must answer (a shared
// range's page not mapped yet, or a range this core may not reach).
func (p *Process) replicaRangeFault(va uint64, write, exec bool) (ret int64, handled bool) {
	for {
		p.mu.Lock()
		i, ok := p.rangeAtLocked(va)
		r := p.ranges.held[i]
		if !ok || r == nil {
			cores, _ := p.rangeCoresLocked(i)
			_, private := ranges.Private(cores)
			s, _ := ranges.PML4(va)
			synced := ok && !private && cores&(1<<p.span.self) != 0 &&
				syncEntry(p.span.root, atomic.LoadUint64(spanWord(p.span.page, spWordRanges)), s)
			p.mu.Unlock()
			if synced {
				return faultMapped, true
			}
			return 0, false
		}
		ok, err := r.Fault(va, write, exec)
		p.mu.Unlock()
		if ret, done := p.faultOutcome(ok, err); done {
			return ret, true
		}
	}
}

// privateMemory returns this core's memory for private ranges as a
// refiller, nil if no range took from it; the process's lock is held.
func (p *Process) privateMemory() refiller {
	if !p.ranges.used {
		return nil
	}
	return &p.ranges.private
}

// releaseRanges ends this core's ranges when the program's threads here
// have all gone: the private ones' tables and memory go back (before the
// space or the root they hang from is released), the shared ones go
// with the space. The caller holds no lock.
func (p *Process) releaseRanges() {
	p.mu.Lock()
	for i, r := range p.ranges.held {
		if r.Own() {
			r.Release()
		}
		delete(p.ranges.held, i)
	}
	used := p.ranges.used
	p.ranges.used = false
	p.mu.Unlock()
	if used {
		p.ranges.private.Release()
	}
}
