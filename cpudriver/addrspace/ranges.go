package addrspace

import (
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/memory"
	"multikernel/cpudriver/pagetable"
	"multikernel/cpudriver/ring0"
	"multikernel/cpudriver/vmas"
)

// Range is one address range's areas and page tables (docs/ranges.md):
// the mappings of one PML4 slot of the lower half, below one PDPT.
//
// A private range (NewPrivate) is its core's alone: its PDPT hangs from
// that core's root for the program and from no other, its pages and
// tables come from that core's PrivateMemory for the program, grown
// from that core's RAM capabilities (so of that core's node), and only
// that core's CPU driver touches any of it. Mapping, faulting or unmapping in it takes
// no message and no other core's TLB: no other core can have walked it.
//
// A shared range (Space.NewShared) lives on the program's home core: its
// PDPT hangs from the space's range root, the roots of the cores
// attached to it copy that entry, and its pages and tables are the
// space's. A change that removes or narrows its mappings is flushed on
// every attached core (flush).
//
// Guarded by the lock of the process that holds it.
type Range struct {
	slot  int    // the range's PML4 entry
	root  uint64 // the root whose entry slot leads to the range's tables
	areas vmas.Table
	mem   *memory.Account
	vn    *memory.VNodeSet
	node  int  // the node whose memory its faults take
	own   bool // private: mem and vn are its core's PrivateMemory

	// flush drops TLB entries of [start, end) that may map what was
	// just removed or narrowed, on every core that may hold them.
	flush func(start, end uint64)

	// cached drops the cached translation of the space whose kernel
	// copies walk the root the range hangs from (Space.unmapped), nil
	// if none does.
	cached func()

	pages, tables int // pages mapped; tables it took (private)
	frames        int // pages of Frames mapped (range_frames.go)
}

// PrivateMemory is what one core's private ranges of a program take
// pages and page tables from: an account grown from that core's RAM
// capabilities, kept until the program's end there (a deleted range's
// pages and tables are reused by the next). Guarded by the process's
// lock.
type PrivateMemory struct {
	mem memory.Account
	vn  memory.VNodeSet
}

// Refill grows the account and its spare tables as Space.Refill does;
// the capability lock and the process's lock are held.
func (m *PrivateMemory) Refill() (full bool, node int) { return refill(&m.mem, &m.vn) }

// MarkNodeFull is Space.MarkNodeFull for the account.
func (m *PrivateMemory) MarkNodeFull(node int, gen uint64) { m.mem.MarkNodeFull(node, gen) }

// Release gives the memory back to its core's RAM capabilities once
// every range that took from it is released. It takes the capability
// lock: the caller holds no lock.
func (m *PrivateMemory) Release() {
	m.vn.Release(m.mem.DropAtExit)
	m.mem.Release()
}

// NewPrivate makes the private range of PML4 entry slot, whose tables
// hang from root (this core's root for the program), with pages of node
// (this core's) from m, and flush this core's TLB flush of it; s is the
// space whose root that is (the home core's), nil on another core.
func NewPrivate(slot int, root uint64, node int, m *PrivateMemory, flush func(start, end uint64), s *Space) *Range {
	r := &Range{slot: slot, root: root, mem: &m.mem, vn: &m.vn, node: node, own: true, flush: flush}
	if s != nil {
		r.cached = s.unmapped
	}
	return r
}

// EnsureRangeRoot gives the space its range root if it has none yet:
// false if no table is spare for it (Refill and try again).
func (s *Space) EnsureRangeRoot() bool {
	if s.rangeRoot == 0 {
		s.rangeRoot = s.vn.Take(3)
	}
	return s.rangeRoot != 0
}

// NewShared makes the shared range of PML4 entry slot in the space,
// whose faults take pages of node (memory.AnyNode: the space's own
// policy) and whose changes flush calls on every attached core. The
// range root must exist (EnsureRangeRoot).
func (s *Space) NewShared(slot, node int, flush func(start, end uint64)) *Range {
	if node == memory.AnyNode {
		node = s.node
	}
	return &Range{slot: slot, root: s.rangeRoot, mem: &s.mem, vn: &s.vn, node: node, flush: flush, cached: s.unmapped}
}

// unmapped drops the cached translation of the space that may hold one
// of the range's pages: every removal of a leaf entry calls it first.
func (r *Range) unmapped() {
	if r.cached != nil {
		r.cached()
	}
}

// RangeRoot returns the physical address of the range root, 0 if the
// space has none yet. The attached cores copy its entries (proc's syncEntry).
func (s *Space) RangeRoot() uint64 { return s.rangeRoot }

// EmptySlot returns a PML4 slot of the lower half in which nothing is
// mapped and whose entry is empty (no tables were ever made there), for
// a new range: from the one below the mmap base down, so that ranges
// keep out of mmap's way. False if none is left.
func (s *Space) EmptySlot() (int, bool) {
	r := ring0.PhysWords(s.root)
	for i := int(MmapBase>>39) - 1; i >= 1; i-- {
		if r[i] == 0 && !s.IsRangeSlot(uint64(i)<<39) && s.areas.Free(uint64(i)<<39, uint64(i+1)<<39) {
			return i, true
		}
	}
	return 0, false
}

// ReserveSlot makes PML4 slot i a range's: one pinned area without
// rights over its 512 GiB, so that Linux's mmap, munmap, mprotect and
// madvise never reach into it (docs/ranges.md), and its entry the
// range's (Release leaves it alone). False if the areas would be too
// many.
func (s *Space) ReserveSlot(i int) bool {
	if !s.areas.Set(uint64(i)<<39, uint64(i+1)<<39, vmas.Pinned) {
		return false
	}
	s.rangeSlots[i/64] |= 1 << (i % 64)
	return true
}

// UnreserveSlot gives PML4 slot i back to ordinary mappings: its range
// was private and has released its tables (its core's root entry is
// empty again; no other core had one).
func (s *Space) UnreserveSlot(i int) {
	s.areas.Remove(uint64(i)<<39, uint64(i+1)<<39)
	s.rangeSlots[i/64] &^= 1 << (i % 64)
}

// IsRangeSlot reports whether va lies in a range's PML4 slot.
func (s *Space) IsRangeSlot(va uint64) bool {
	i := va >> 39
	return i < 256 && s.rangeSlots[i/64]&(1<<(i%64)) != 0
}

// Slot returns the range's PML4 entry index.
func (r *Range) Slot() int { return r.slot }

// Map makes [start, end) (page aligned, inside the range) demand-zero
// memory with protection prot (ProtMask bits), replacing what was
// mapped there: 0, EBUSY where a Frame is mapped (ErrSegment), or
// ENOMEM when the areas would be too many.
func (r *Range) Map(start, end uint64, prot uint32) int64 {
	if e := r.Unmap(start, end); e != 0 {
		return e
	}
	if !r.areas.Set(start, end, prot&ProtMask) {
		return -kpi.ENOMEM
	}
	return 0
}

// Unmap removes [start, end) from the range's areas and drops its pages;
// when it returns no core of the range maps them (flush). 0, EBUSY
// where a Frame is mapped (ErrSegment: its pages are not the range's),
// or ENOMEM when the areas would be too many.
func (r *Range) Unmap(start, end uint64) int64 {
	if r.segmentIn(start, end) {
		return -kpi.EBUSY
	}
	if !r.areas.Remove(start, end) {
		return -kpi.ENOMEM
	}
	r.unmapped()
	n := ring0.UnmapUserFunc(r.root, start, end, r.mem.GiveBack)
	r.pages -= n
	if n > 0 {
		r.flush(start, end)
	}
	return 0
}

// Fault makes the page at va present if an area of the range allows the
// access, as Space.Fault does: memory.ErrNeedMemory when the account
// must grow (Refill, without the process's lock for a shared range).
func (r *Range) Fault(va uint64, write, exec bool) (bool, error) {
	mapped := false
	ok, err := demandFault(&r.areas, r.root, va, write, exec, r.node, r.mem.AllocOn,
		func(va, pa, flags uint64) error {
			err := mapWith(r.root, va, pa, flags, r.table, r.vn, false)
			mapped = err == nil
			return err
		}, r.mem.GiveBack)
	if mapped {
		r.pages++
	}
	return ok, err
}

// table takes a spare table of level for the range, counting it.
func (r *Range) table(level int) uint64 {
	pa := r.vn.Take(level)
	if pa != 0 {
		r.tables++
	}
	return pa
}

// Own reports whether the range is private (its account its own).
func (r *Range) Own() bool { return r.own }

// Stats returns the pages the range maps (demand-zero and of Frames)
// and the page tables it took.
func (r *Range) Stats() (pages, tables int) { return r.pages + r.frames, r.tables }

// Release ends the range's mappings. A private range's PML4 entry is
// cleared, its pages and tables go back to its PrivateMemory (the
// tables as spares) and this core's TLB entries of it are dropped; the
// caller holds the process's lock, and the range is no longer reachable
// from its table (another core never had it). A shared range's tables
// stay (other cores' roots may hold its entry) and its pages are
// unmapped, flushed on every attached core.
func (r *Range) Release() {
	base := uint64(r.slot) << 39
	r.unmapSegments() // their pages are the Frames', not the account's
	if !r.own {
		r.areas = vmas.Table{}
		r.Unmap(base, base+kpi.RangeSize)
		return
	}
	r.unmapped()
	pagetable.FreeSlot(lookup, r.root, r.slot, r.mem.GiveBack, r.vn.Recycle)
	r.flush(base, base+kpi.RangeSize)
	r.pages, r.tables = 0, 0
}
