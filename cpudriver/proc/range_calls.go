package proc

import (
	"encoding/binary"
	"sync/atomic"

	"multikernel/cpudriver/addrspace"
	"multikernel/cpudriver/capsys"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/memory"
	"multikernel/cpudriver/ranges"
	"multikernel/cpudriver/ring0"
)

// The range calls (ranges.go says where each range is held).

// forward sends t's range call nr home and returns its result.
func (t *Thread) forward(nr uint64, a [6]uint64) int64 {
	f, _ := callField(nr)
	t.block()
	ret := t.remoteCall(f, a)
	t.unblock()
	return ret
}

// rangeLocal reports whether a replica runs native call nr itself: the
// range calls decide themselves what goes home, and SysSpanDedicate is
// about the caller's own core.
func rangeLocal(nr uint64) bool {
	return nr >= kpi.SysRangeNew && nr <= kpi.SysRangeMapFrame || nr == kpi.SysCapUnmap || nr == kpi.SysSpanDedicate
}

// RangeNew is kpi.SysRangeNew.
func RangeNew(t *Thread, a [6]uint64) int64 {
	p := t.proc
	if !p.atHome() {
		return t.forward(kpi.SysRangeNew, a)
	}
	for {
		p.mu.Lock()
		ret, more := p.newRangeLocked(a[0])
		p.mu.Unlock()
		if !more {
			return ret
		}
		p.grow() // a table for the range root
	}
}

// newRangeLocked makes a range attached to cores in an empty PML4 slot
// and returns its base or an errno; more: a table must be refilled
// first.
func (p *Process) newRangeLocked(cores uint64) (ret int64, more bool) {
	if p.space == nil || p.exiting {
		return -kpi.ESRCH, false
	}
	if cores == 0 || cores&^p.allowedCores() != 0 {
		return -kpi.EINVAL, false
	}
	_, private := ranges.Private(cores)
	if !private && !p.space.EnsureRangeRoot() {
		return 0, true
	}
	slot, ok := p.space.EmptySlot()
	if !ok || !p.space.ReserveSlot(slot) {
		return -kpi.ENOMEM, false // no slot is empty, or the areas would be too many
	}
	i, e := p.ranges.table.New(cores, p.allowedCores(), slot)
	if e != 0 {
		p.space.UnreserveSlot(slot)
		return e, false
	}
	if p.ranges.held == nil {
		p.ranges.held = map[int]*addrspace.Range{}
	}
	p.space.RangeFault = p.homeRangeFault
	p.ranges.msgs[i] = 0
	if !private {
		p.ranges.shot[i] = cores
		p.ranges.held[i] = p.space.NewShared(slot, memory.AnyNode,
			func(start, end uint64) { p.flushShared(i, start, end) })
		if p.span != nil {
			atomic.StoreUint64(spanWord(p.span.page, spWordRanges), p.space.RangeRoot())
		}
	}
	p.publishRange(i, cores, slot, i+1)
	return int64(p.ranges.table.Base(i)), false
}

// flushShared drops [start, end) of shared range i from the TLBs of this
// core (the home) and of the other cores it was ever attached to
// (rangeState.shot); the process's lock is held.
func (p *Process) flushShared(i int, start, end uint64) {
	ring0.FlushRange(p.space.Root(), start, end)
	if p.span != nil {
		p.ranges.msgs[i] += p.shootCores(start, end, p.ranges.shot[i])
	}
}

// RangeMap is kpi.SysRangeMap.
func RangeMap(t *Thread, a [6]uint64) int64 {
	addr, length, prot := a[0], a[1], a[2]
	if prot&^uint64(addrspace.ProtMask) != 0 {
		return -kpi.EINVAL
	}
	return t.onRange(kpi.SysRangeMap, a, addr, length, func(r *addrspace.Range) int64 {
		return r.Map(addr, addr+length, uint32(prot))
	})
}

// RangeUnmap is kpi.SysRangeUnmap.
func RangeUnmap(t *Thread, a [6]uint64) int64 {
	addr, length := a[0], a[1]
	return t.onRange(kpi.SysRangeUnmap, a, addr, length, func(r *addrspace.Range) int64 {
		return r.Unmap(addr, addr+length)
	})
}

// onRange runs op on the range that holds [addr, addr+length) where it
// is held: here for a private range of this core (made here on its first
// call) or, at home, a shared one; a shared range's call from another
// core goes home (call nr with a; nr 0: EINVAL instead). EINVAL for a
// span that is not in a live range, EPERM for a range the calling core
// is not attached to.
func (t *Thread) onRange(nr uint64, a [6]uint64, addr, length uint64, op func(*addrspace.Range) int64) int64 {
	if _, e := ranges.Span(addr, length); e != 0 {
		return e
	}
	p, self, i, cores, ok := t.lockRange(addr)
	defer p.ranges.mu.Unlock()
	owner, private := ranges.Private(cores)
	switch {
	case !ok || p.exiting:
		p.mu.Unlock()
		return -kpi.EINVAL
	case cores&(1<<self) == 0:
		p.mu.Unlock()
		return -kpi.EPERM
	case !private && !p.atHome():
		p.mu.Unlock()
		if nr == 0 {
			return -kpi.EINVAL
		}
		return t.forward(nr, a)
	}
	defer p.mu.Unlock()
	r := p.ranges.held[i]
	if r == nil && private && owner == ring0.Core().Index {
		if p.ranges.held == nil {
			p.ranges.held = map[int]*addrspace.Range{}
		}
		root := p.runRoot()
		var home *addrspace.Space
		if p.atHome() {
			home = p.space
		}
		s, _ := ranges.PML4(addr)
		r = addrspace.NewPrivate(s, root, nodeOf(owner), &p.ranges.private,
			func(start, end uint64) { ring0.FlushRange(root, start, end) }, home)
		p.ranges.used = true
		p.ranges.held[i] = r
	}
	if r == nil {
		return -kpi.EINVAL
	}
	return op(r)
}

// lockRange takes this core's range-call lock and the process's lock
// (the caller releases both) and returns the process, the calling core,
// and the live range at va with its cores (ok false if none).
func (t *Thread) lockRange(va uint64) (p *Process, self, i int, cores uint64, ok bool) {
	p = t.proc
	self = t.callerCore()
	p.ranges.mu.Lock()
	p.mu.Lock()
	i, cores, ok = p.liveRangeLocked(va)
	return p, self, i, cores, ok
}

// RangeDelete is kpi.SysRangeDelete.
func RangeDelete(t *Thread, a [6]uint64) int64 {
	base := a[0]
	if base&(kpi.RangeSize-1) != 0 {
		return -kpi.EINVAL
	}
	// The Frames mapped in it first, under the capability lock (which
	// comes before the range calls' locks): their capabilities forget
	// the mappings, and their pages are only unmapped.
	capsys.UnmapIn(t.proc, base, base+kpi.RangeSize)
	p, self, i, cores, ok := t.lockRange(base)
	defer p.ranges.mu.Unlock()
	if !ok || cores&(1<<self) == 0 {
		p.mu.Unlock()
		if !ok {
			return -kpi.EINVAL
		}
		return -kpi.EPERM
	}
	if p.atHome() {
		slot := p.ranges.table.Slot(i)
		_, _, slotFree, e := p.ranges.table.Delete(base)
		var r *addrspace.Range
		if e == 0 {
			r = p.takeHeld(i)
			if r != nil {
				r.Release() // a private range of this core, or a shared one's pages
			}
			if slotFree {
				// Private: its core released its tables (here, or
				// before it asked), so the slot is ordinary again.
				p.space.UnreserveSlot(slot)
				p.publishRange(i, 0, slot, 0)
			} else {
				p.publishRange(i, 0, slot, i+1)
			}
		}
		p.mu.Unlock()
		return e
	}
	// A replica: a private range of this core is released here first
	// (its faults now go home, which refuses them), then home frees its
	// slot; a shared one is the home's to delete.
	if _, private := ranges.Private(cores); private {
		if r := p.takeHeld(i); r != nil {
			r.Release()
		}
	}
	p.mu.Unlock()
	return t.forward(kpi.SysRangeDelete, a)
}

// takeHeld removes range i from this core's and returns it; the
// process's lock is held.
func (p *Process) takeHeld(i int) *addrspace.Range {
	r := p.ranges.held[i]
	delete(p.ranges.held, i)
	return r
}

// RangeInfo is kpi.SysRangeInfo: the range's cores, its pages mapped,
// its own page tables and the shootdown messages its changes sent, as
// four words at a[1].
func RangeInfo(t *Thread, a [6]uint64) int64 {
	base := a[0]
	if base&(kpi.RangeSize-1) != 0 {
		return -kpi.EINVAL
	}
	p := t.proc
	p.mu.Lock()
	i, cores, ok := p.liveRangeLocked(base)
	owner, private := ranges.Private(cores)
	switch {
	case ok && private && owner != t.callerCore():
		p.mu.Unlock()
		return -kpi.EPERM // its counts are its core's alone
	case ok && !private && !p.atHome():
		p.mu.Unlock()
		return t.forward(kpi.SysRangeInfo, a)
	}
	var w [4]uint64
	w[0] = cores
	if r := p.ranges.held[i]; ok && r != nil {
		pages, tables := r.Stats()
		w[1], w[2] = uint64(pages), uint64(tables)
	}
	if p.atHome() && ok {
		w[3] = p.ranges.msgs[i]
	}
	p.mu.Unlock()
	if !ok {
		return -kpi.EINVAL
	}
	var b [32]byte
	for i, v := range w {
		binary.LittleEndian.PutUint64(b[i*8:], v)
	}
	if err := t.CopyOut(a[1], b[:]); err != nil {
		return -kpi.EFAULT
	}
	return 0
}
