package proc

import (
	"encoding/binary"
	"sync"
	"sync/atomic"

	"multikernel/cpudriver/addrspace"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/memory"
	"multikernel/cpudriver/ranges"
	"multikernel/cpudriver/ring0"
)

// Address ranges (docs/ranges.md; kpi.SysRangeNew to kpi.SysRangeInfo).
// The program's table of ranges (package ranges) is its home core's,
// under the process's lock; a spanning program's home also publishes
// each live range's cores in the span page (word spRangesOff/8+slot),
// before the call that made or deleted it returns, for the other cores.
//
// A private range is held by its core alone (rangeState.held of that
// core's Process, home or replica): its calls, faults and kernel copies
// run there, with no message, and its tables hang from that core's root
// only. A shared range is held by the home core: its pages and tables
// are the space's, below the range root; a core attached to it copies
// the range root's entry into its own root on its first fault there
// (syncRange, as syncSlot copies the home root's), and its changes are
// flushed on the attached cores only (shootCores). Calls on a shared
// range from another core go home as other calls do.

// rangeState is a program's ranges on one core.
type rangeState struct {
	// mu orders this core's range calls (a private range's delete
	// against its maps); taken before the process's lock, never by a
	// fault.
	mu sync.Mutex

	// Guarded by the process's lock: table (home only), the program's
	// ranges; held, by slot, this core's private ranges and (home) the
	// shared ones; msgs (home), the shootdown messages each range's
	// changes sent.
	table ranges.Table
	held  map[int]*addrspace.Range
	msgs  [kpi.MaxRanges]uint64

	// private is the memory this core's private ranges take, kept
	// until the program ends here; used: some range took from it.
	// Guarded by the process's lock.
	private addrspace.PrivateMemory
	used    bool
}

// atHome reports whether this core holds the program's space.
func (p *Process) atHome() bool { return p.span == nil || !p.span.replica }

// callerCore returns the core t's call comes from (a proxy's thread's).
func (t *Thread) callerCore() int {
	if t.proxy {
		return t.proxyCore
	}
	return ring0.Core().Index
}

// allowedCores returns the cores the program may run on.
func (p *Process) allowedCores() uint64 {
	if p.span != nil {
		return p.span.cores
	}
	return 1 << ring0.Core().Index
}

// rangeWord is span page word of slot's range's cores.
func rangeWord(page uint64, slot int) *uint64 { return spanWord(page, spRangesOff/8+slot) }

// rangeCoresLocked returns the cores of slot's live range as this core
// knows them: the table at home, the span page elsewhere. The process's
// lock is held.
func (p *Process) rangeCoresLocked(slot int) (uint64, bool) {
	if p.atHome() {
		return p.ranges.table.Cores(slot)
	}
	w := atomic.LoadUint64(rangeWord(p.span.page, slot))
	return w, w != 0
}

// publishRange (home) tells the other cores slot's range's cores (0:
// none).
func (p *Process) publishRange(slot int, cores uint64) {
	if p.span != nil {
		atomic.StoreUint64(rangeWord(p.span.page, slot), cores)
	}
}

// runRoot returns this core's page-table root for the program; the
// process's lock is held and, at home, the space is there.
func (p *Process) runRoot() uint64 {
	if !p.atHome() {
		return p.span.root
	}
	return p.space.Root()
}

// forward sends t's range call nr home and returns its result.
func (t *Thread) forward(nr uint64, a [6]uint64) int64 {
	f, _ := callField(nr)
	t.block()
	ret := t.remoteCall(f, a)
	t.unblock()
	return ret
}

// rangeLocal reports whether a replica runs native call nr itself: the
// range calls decide themselves what goes home.
func rangeLocal(nr uint64) bool { return nr >= kpi.SysRangeNew && nr <= kpi.SysRangeInfo }

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

// newRangeLocked makes a range attached to cores and returns its base or
// an errno; more: a table must be refilled first.
func (p *Process) newRangeLocked(cores uint64) (ret int64, more bool) {
	if p.space == nil || p.exiting {
		return -kpi.ESRCH, false
	}
	if cores == 0 || cores&^p.allowedCores() != 0 {
		return -kpi.EINVAL, false
	}
	if !p.space.ReserveRanges() {
		return -kpi.ENOMEM, false
	}
	_, private := ranges.Private(cores)
	if !private && !p.space.EnsureRangeRoot() {
		return 0, true
	}
	slot, e := p.ranges.table.New(cores, p.allowedCores())
	if e != 0 {
		return e, false
	}
	if p.ranges.held == nil {
		p.ranges.held = map[int]*addrspace.Range{}
	}
	p.space.RangeFault = p.homeRangeFault
	p.ranges.msgs[slot] = 0
	if !private {
		p.ranges.held[slot] = p.space.NewShared(ranges.PML4Slot(slot), memory.AnyNode,
			func(start, end uint64) { p.flushShared(slot, cores, start, end) })
		if p.span != nil {
			atomic.StoreUint64(spanWord(p.span.page, spWordRanges), p.space.RangeRoot())
		}
	}
	p.publishRange(slot, cores)
	return int64(ranges.Base(slot)), false
}

// flushShared drops [start, end) of shared range slot from the TLBs of
// this core (the home) and of the other attached cores; the process's
// lock is held.
func (p *Process) flushShared(slot int, cores, start, end uint64) {
	ring0.FlushRange(p.space.Root(), start, end)
	if p.span != nil {
		p.ranges.msgs[slot] += p.shootCores(start, end, cores)
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
// core goes home. EINVAL for a span that is not in a live range, EPERM
// for a range the calling core is not attached to.
func (t *Thread) onRange(nr uint64, a [6]uint64, addr, length uint64, op func(*addrspace.Range) int64) int64 {
	slot, e := ranges.Span(addr, length)
	if e != 0 {
		return e
	}
	p, self, cores, ok := t.lockRange(slot)
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
		return t.forward(nr, a)
	}
	defer p.mu.Unlock()
	r := p.ranges.held[slot]
	if r == nil && private && owner == ring0.Core().Index {
		if p.ranges.held == nil {
			p.ranges.held = map[int]*addrspace.Range{}
		}
		root := p.runRoot()
		var home *addrspace.Space
		if p.atHome() {
			home = p.space
		}
		r = addrspace.NewPrivate(ranges.PML4Slot(slot), root, nodeOf(owner), &p.ranges.private,
			func(start, end uint64) { ring0.FlushRange(root, start, end) }, home)
		p.ranges.used = true
		p.ranges.held[slot] = r
	}
	if r == nil {
		return -kpi.EINVAL
	}
	return op(r)
}

// lockRange takes this core's range-call lock and the process's lock
// (the caller releases both) and returns the process, the calling core
// and slot's cores, as rangeCoresLocked does.
func (t *Thread) lockRange(slot int) (p *Process, self int, cores uint64, ok bool) {
	p = t.proc
	self = t.callerCore()
	p.ranges.mu.Lock()
	p.mu.Lock()
	cores, ok = p.rangeCoresLocked(slot)
	return p, self, cores, ok
}

// RangeDelete is kpi.SysRangeDelete.
func RangeDelete(t *Thread, a [6]uint64) int64 {
	base := a[0]
	slot, ok := ranges.AtBase(base)
	if !ok {
		return -kpi.EINVAL
	}
	p, self, cores, ok := t.lockRange(slot)
	defer p.ranges.mu.Unlock()
	if !ok || cores&(1<<self) == 0 {
		p.mu.Unlock()
		if !ok {
			return -kpi.EINVAL
		}
		return -kpi.EPERM
	}
	var r *addrspace.Range
	if p.atHome() {
		var e int64
		if _, _, e = p.ranges.table.Delete(base); e == 0 {
			p.publishRange(slot, 0)
			r = p.takeHeld(slot)
		}
		p.mu.Unlock()
		p.endRange(r)
		return e
	}
	// A replica: a private range of this core leaves the table here at
	// once (its faults now go home, which refuses them), then home's;
	// a shared one is the home's to delete.
	if _, private := ranges.Private(cores); private {
		r = p.takeHeld(slot)
	}
	p.mu.Unlock()
	ret := t.forward(kpi.SysRangeDelete, a)
	p.endRange(r)
	return ret
}

// takeHeld removes slot's range from this core's and returns it; the
// process's lock is held.
func (p *Process) takeHeld(slot int) *addrspace.Range {
	r := p.ranges.held[slot]
	delete(p.ranges.held, slot)
	return r
}

// endRange releases a range taken from the table (nil: none); the
// caller holds no lock.
func (p *Process) endRange(r *addrspace.Range) {
	if r == nil {
		return
	}
	p.mu.Lock()
	r.Release()
	p.mu.Unlock()
}

// RangeInfo is kpi.SysRangeInfo: the range's cores, its pages mapped,
// its own page tables and the shootdown messages its changes sent, as
// four words at a[1].
func RangeInfo(t *Thread, a [6]uint64) int64 {
	slot, ok := ranges.AtBase(a[0])
	if !ok {
		return -kpi.EINVAL
	}
	p := t.proc
	p.mu.Lock()
	cores, ok := p.rangeCoresLocked(slot)
	_, private := ranges.Private(cores)
	if ok && !private && !p.atHome() {
		p.mu.Unlock()
		return t.forward(kpi.SysRangeInfo, a)
	}
	var w [4]uint64
	w[0] = cores
	if r := p.ranges.held[slot]; r != nil {
		pages, tables := r.Stats()
		w[1], w[2] = uint64(pages), uint64(tables)
	}
	if p.atHome() {
		w[3] = p.ranges.msgs[slot]
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

// homeRangeFault is the space's RangeFault: a fault, or kernel copy, of
// this (the home) core in the range region. The process's lock is held.
func (p *Process) homeRangeFault(va uint64, write, exec bool) (bool, error) {
	return p.rangeFaultLocked(ring0.Core().Index, va, write, exec)
}

// rangeFaultLocked (the home core) answers a fault of core's thread at
// va in the range region: a private range of this core faults here, a
// shared range attached to core faults in its tables (and this core's
// root copies the range's entry, for this core's own faults); anything
// else is a real fault. The process's lock is held.
func (p *Process) rangeFaultLocked(core int, va uint64, write, exec bool) (bool, error) {
	slot, _ := ranges.SlotOf(va)
	cores, ok := p.ranges.table.Cores(slot)
	r := p.ranges.held[slot]
	if !ok || cores&(1<<core) == 0 || r == nil || r.Own() && core != ring0.Core().Index {
		return false, nil
	}
	ok, err := r.Fault(va, write, exec)
	if ok && !r.Own() && core == ring0.Core().Index {
		syncEntry(p.space.Root(), p.space.RangeRoot(), r.Slot())
	}
	return ok, err
}

// syncEntry copies from's PML4 entry slot into root if root has none and
// from has one, and reports whether it did. A range's entry is set once
// and stays until the program ends (ranges.Table retires a shared range's
// slot), so a copied entry never dangles.
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

// replicaRangeFault handles a fault of a replica's thread in the range
// region that this core can answer: a private range of this core faults
// here (growing its account if need be), and a shared range attached to
// this core whose entry the range root has is copied into this core's
// root. handled is false when the home core must answer (a shared
// range's page not mapped yet, or a range this core may not reach).
func (t *Thread) replicaRangeFault(va uint64, write, exec bool) (ret int64, handled bool) {
	p := t.proc
	slot, _ := ranges.SlotOf(va)
	for {
		p.mu.Lock()
		r := p.ranges.held[slot]
		if r == nil {
			cores, ok := p.rangeCoresLocked(slot)
			_, private := ranges.Private(cores)
			synced := ok && !private && cores&(1<<p.span.self) != 0 &&
				syncEntry(p.span.root, atomic.LoadUint64(spanWord(p.span.page, spWordRanges)), ranges.PML4Slot(slot))
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
	for slot, r := range p.ranges.held {
		if r.Own() {
			r.Release()
		}
		delete(p.ranges.held, slot)
	}
	used := p.ranges.used
	p.ranges.used = false
	p.mu.Unlock()
	if used {
		p.ranges.private.Release()
	}
}
