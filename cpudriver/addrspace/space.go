package addrspace

import (
	"errors"
	"sync/atomic"
	"unsafe"

	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/memory"
	"multikernel/cpudriver/pagetable"
	"multikernel/cpudriver/physmem"
	"multikernel/cpudriver/ring0"
	"multikernel/cpudriver/vmas"
)

// User address-space layout.
const (
	PageSize  = 4096
	UserLimit = 1 << 47        // first non-canonical address
	MmapBase  = 0x7f0000000000 // where mmap without a hint starts
	StackTop  = 0x7ffffffff000 // top of the main thread's stack
	StackSize = 8 << 20        // its reservation
)

// ErrFault is returned by the copy functions for an address that is not
// mapped readable (or writable, for CopyOut) in the process.
var ErrFault = errors.New("bad address")

// Space is a process's address space: a page-table root of its own whose
// kernel half is this core's (ring0.KernelPML4Slots, supervisor-only), and
// the areas mmap and the ELF loader created. Its lower half's tables and
// its root are VNode capabilities (memory.VNodeSet) and its pages come
// from its memory account (memory.Account). Guarded by its process's
// lock (proc.Process).
type Space struct {
	root  uint64
	areas vmas.Table
	next  uint64 // where the next mmap without a hint is tried
	mem   memory.Account
	vn    memory.VNodeSet

	// building: the process is being made and runs no thread yet, so an
	// empty account may grow right where it is found empty.
	building bool

	// last is the translation of the user page the last checked copy
	// touched, so that the next copy to or from it (a call's result
	// written to the same stack or buffer) skips the page-table walk.
	last xlate

	// node is the NUMA node whose memory a fault takes when its caller
	// names none (Fault): memory.AnyNode (the account's chunks as they
	// come, its core's node first) except in a spanning program, whose
	// home core sets its own (SetNode), so that every page comes from
	// the node of the core that touched it first.
	node int

	// RangeFault, set by package proc when the program makes its
	// first address range, makes a fault (and a kernel copy) in a
	// range's PML4 slot (IsRangeSlot) the range's, as this core sees it
	// (ranges.go).
	RangeFault func(va uint64, write, exec bool) (bool, error)

	// rangeSlots marks the PML4 slots that hold ranges (live or
	// retired), bit s of word s/64: their entries are the ranges', not
	// the space's (SetRangeSlot).
	rangeSlots [4]uint64

	// rangeRoot holds the shared ranges' PML4 entries (NewShared): a
	// table page of the space, never loaded, whose entries the roots of
	// the cores attached to each range copy. 0 until the first.
	rangeRoot uint64

	// Shootdown, set for a spanning program's space by its home core
	// before any other core runs a thread of it, drops [start, end)
	// from the TLBs of the program's other cores and returns once they
	// have (package proc, span_shoot.go). Called with the space's lock
	// held, after this core's own flush.
	Shootdown func(start, end uint64)
}

// xlate is one cached translation: the page-aligned user address va
// (0: none; page 0 is never mapped, below MmapMinAddr), the physical
// page it maps and whether the mapping is writable, as the leaf entry
// said when the copy read it. It is only ever a copy of a present leaf
// entry of the space, and every change that removes or narrows a
// mapping of the space (Unmap: munmap, MADV_DONTNEED, MAP_FIXED over;
// UnmapPinned: a frame unmapped or revoked; MapFrame giving up midway;
// Protect: fewer rights, or a boot-image page replaced by a copy;
// Release: the process's end) goes through unmapped first, which drops
// it: a copy never goes through a stale one. Guarded, as the space, by
// its process's lock, so another thread's munmap cannot come between a
// copy's look-up and its access.
type xlate struct {
	va, pa uint64
	write  bool
}

// lookup returns the physical page of va's page if c holds its
// translation and it allows the access (write: a store).
func (c *xlate) lookup(va uint64, write bool) (uint64, bool) {
	if c.va == 0 || c.va != va&^(PageSize-1) || write && !c.write {
		return 0, false
	}
	return c.pa, true
}

// fill makes c the translation of va's page by its present leaf entry e.
func (c *xlate) fill(va, e uint64) {
	*c = xlate{va: va &^ (PageSize - 1), pa: e & pagetable.AddrMask, write: e&pagetable.Writable != 0}
}

// unmapped drops the cached translation: the space's page tables are
// about to lose mappings. Every removal of a leaf entry calls it first
// (TestUnmapsDropTranslation checks).
func (s *Space) unmapped() { s.last = xlate{} }

// flush drops the TLB entries for [start, end) that may hold a mapping
// just removed or reduced: this core's, then, for a spanning program,
// every other core's that may cache it (Shootdown), before the change
// returns. The space's lock is held, so no page freed by the change
// goes to another use before every core has dropped it.
func (s *Space) flush(start, end uint64) {
	ring0.FlushRange(s.root, start, end)
	if s.Shootdown != nil {
		s.Shootdown(start, end)
	}
}

// lookup is a pool used only to walk page tables through the direct map.
var lookup = &physmem.Pool{DirectMap: ring0.DirectMap}

// New makes an empty space, being built (SetBuilt ends that); the
// monitor's is marked as such.
func New(monitor bool) (*Space, error) {
	// The monitor's account takes pool pages when its core's RAM is full,
	// and never asks the memory service, which is the monitor itself.
	s := &Space{next: MmapBase, building: true, mem: memory.Account{Pool: monitor}, node: memory.AnyNode}
	root := s.table(3)
	if root == 0 {
		return nil, errors.New("out of memory")
	}
	k, r := ring0.PhysWords(ring0.KernelRoot()), ring0.PhysWords(root)
	for _, i := range ring0.KernelPML4Slots {
		r[i] = k[i] // the kernel half, shared (supervisor-only)
	}
	s.root = root
	return s, nil
}

// allocPage returns a zeroed page of node (memory.AnyNode: any) from the
// space's account, or memory.ErrNeedMemory when it has none and the
// caller must grow it (Process.grow) without the space's lock.
func (s *Space) allocPage(node int) (uint64, error) {
	pa, err := s.mem.AllocOn(node)
	if err == memory.ErrNeedMemory && s.building {
		c, ok := memory.ReserveChunk(s.mem.NextSize())
		if !ok && !s.mem.Pool && memory.More(nil) { // no lock is held
			c, ok = memory.ReserveChunk(s.mem.NextSize())
		}
		s.mem.Add(c, ok)
		pa, err = s.mem.Alloc()
	}
	return pa, err
}

// table returns a zeroed page table of level (0 PT ... 3 PML4), a VNode
// capability's page, or 0 if none is spare (refilled right away while
// the space is being built, with more RAM for the core if need be).
func (s *Space) table(level int) uint64 {
	pa := s.vn.Take(level)
	for try := 0; pa == 0 && s.building && try < 2; try++ {
		capcore.Lock()
		ok := s.vn.Refill(capcore.DB(), &s.mem)
		capcore.Unlock()
		if !ok && (try > 0 || s.mem.Pool || !memory.More(nil)) {
			break
		}
		pa = s.vn.Take(level)
	}
	return pa
}

// Refill grows the memory account if it has no free page (of the node
// the last fault wanted, if it wanted one) and makes the spare page tables
// walks wanted. It reports whether the core's RAM capabilities were full,
// and of which node (memory.AnyNode: of every node); the caller asks
// the memory service for more (memory.More, memory.MoreOn) and, if none
// comes for the node, marks it full (MarkNodeFull).
// The capability lock and the space's lock are held.
func (s *Space) Refill() (full bool, node int) { return refill(&s.mem, &s.vn) }

// refill is Refill for an account and the tables taken from it (a
// space's, or a private range's: ranges.go).
func refill(mem *memory.Account, vn *memory.VNodeSet) (full bool, node int) {
	node = mem.Wanted()
	switch {
	case node != memory.AnyNode && !mem.HasFreeOn(node):
		c, ok := memory.ReserveChunkOnLocked(capcore.DB(), mem.NextSize(), node)
		if ok {
			mem.Add(c, true)
		}
		full = !ok
	case node == memory.AnyNode && !mem.HasFree():
		c, ok := memory.ReserveChunkLocked(capcore.DB(), mem.NextSize())
		mem.Add(c, ok)
		full = !ok
	}
	vn.Refill(capcore.DB(), mem)
	return full, node
}

// MarkNodeFull records that the memory service had no memory of node
// either, at RAM generation gen (memory.RAMGeneration before it was
// asked): faults take any node's pages until the core's RAM changes.
// The space's lock is held.
func (s *Space) MarkNodeFull(node int, gen uint64) { s.mem.MarkNodeFull(node, gen) }

// SetNode makes node (memory.AnyNode: none) the one whose memory faults
// take when their caller names none. The space's lock is held.
func (s *Space) SetNode(node int) { s.node = node }

// PhysAt returns the physical page mapped at va, false if none is
// present there.
func (s *Space) PhysAt(va uint64) (uint64, bool) {
	e := s.pte(va)
	return e & pagetable.AddrMask, e&pagetable.Present != 0
}

// errNoTables says memory for page tables ran out.
var errNoTables = errors.New("out of memory for page tables")

// mapPage maps the page pa at va with flags (pagetable bits; User is
// added), taking missing tables from the space's VNodes. It returns
// memory.ErrNeedMemory when a table of some level is not at hand: the caller
// refills (Process.grow) and maps again.
func (s *Space) mapPage(va, pa, flags uint64) error {
	return mapWith(s.root, va, pa, flags, s.table, &s.vn, s.building)
}

// mapWith maps pa at va below root with tables from table (vn's, or
// refilled at once while building), as mapPage says; building: the
// tables cannot be refilled later.
func mapWith(root, va, pa, flags uint64, table func(level int) uint64, vn *memory.VNodeSet, building bool) error {
	switch ring0.MapUserAlloc(root, va, pa, flags, table) {
	case pagetable.OK:
		return nil
	case pagetable.OutOfMemory:
		if building || vn.Failed() {
			return errNoTables // the last refill found no memory: give up
		}
		return memory.ErrNeedMemory
	}
	return errors.New("a huge page is in the way")
}

// pte returns the leaf entry for va, 0 if none.
func (s *Space) pte(va uint64) uint64 { return pagetable.Lookup(lookup, s.root, va) }

// Fault makes the page at va present if an area allows the access (write:
// a store; exec: an instruction fetch). It reports false for a real fault,
// and memory.ErrNeedMemory when the page must wait for the account to grow.
// A new page comes from the space's node (SetNode).
func (s *Space) Fault(va uint64, write, exec bool) (bool, error) {
	return s.FaultOn(va, write, exec, s.node)
}

// FaultOn is Fault for a thread of node's core: a new page comes from
// node's memory while the account can get some (memory.Account.AllocOn).
func (s *Space) FaultOn(va uint64, write, exec bool, node int) (bool, error) {
	if va >= UserLimit {
		return false, nil
	}
	if s.IsRangeSlot(va) {
		if s.RangeFault == nil {
			return false, nil
		}
		return s.RangeFault(va, write, exec)
	}
	return demandFault(&s.areas, s.root, va, write, exec, node, s.allocPage, s.mapPage, s.mem.GiveBack)
}

// demandFault is the fault of an address space or a range: the page at
// va below root is made present, with a page of node from alloc mapped
// by mapf, if an area of t allows the access; a page set aside by
// FaultAround is claimed (claimAt). A page whose mapping fails goes back
// to giveBack.
func demandFault(t *vmas.Table, root, va uint64, write, exec bool, node int, alloc func(node int) (uint64, error),
	mapf func(va, pa, flags uint64) error, giveBack func(pa uint64)) (bool, error) {
	a, ok := t.Find(va)
	if !ok || a.Prot&vmas.Pinned != 0 || a.Prot&(vmas.Read|vmas.Write|vmas.Exec) == 0 ||
		(write && a.Prot&vmas.Write == 0) || (exec && a.Prot&vmas.Exec == 0) {
		return false, nil
	}
	if e := pagetable.Lookup(lookup, root, va); e&(pagetable.Present|pagetable.Kept) != 0 {
		if at, ok := pagetable.ReservedFor(e); ok {
			return claimAt(root, va, e, at, write, exec, node, alloc, giveBack)
		}
		// Present (or kept): a protection fault, unless the entry
		// allows the access, when another core of a spanning program
		// mapped it since this fault began (or a right was added): the
		// fault dropped the stale TLB entry, and the access is retried.
		return permits(e, write, exec), nil
	}
	pa, err := alloc(node)
	if err != nil {
		return false, err
	}
	if err := mapf(va&^(PageSize-1), pa, pteFlags(a.Prot)); err != nil {
		giveBack(pa)
		if err == memory.ErrNeedMemory {
			return false, err
		}
		return false, nil
	}
	return true, nil
}

// FaultAroundPages is the window FaultAround fills: 16 pages (64 KiB),
// aligned.
const FaultAroundPages = 16

// FaultAround sets aside, after a fault at va of a core of node that
// FaultOn answered, a zeroed page of node for each other absent page of
// va's aligned FaultAroundPages window that the same area covers, while
// the account has pages of node without growing; it returns how many.
// Each is a Reserved entry (pagetable.ReservedEntry): a core of node
// makes it present itself on its first touch (ClaimReserved), with no
// message, and a core of another node still gets a page of its own node
// (claimAt), so first touch holds. A spanning program's faults on its
// other cores, each a round trip to the home core, then take one
// round trip for a window touched by one node's cores.
func (s *Space) FaultAround(va uint64, node int) int {
	a, ok := s.areas.Find(va)
	if !ok || a.Prot&vmas.Pinned != 0 || a.Prot&ProtMask == 0 || node < 0 || node > 63 { // a node the entry can name (memory.AnyNode is none)
		return 0
	}
	const window = FaultAroundPages * PageSize
	start, end := max(va&^(window-1), a.Start), min(va&^(window-1)+window, a.End)
	n := 0
	for p := start; p < end; p += PageSize {
		if p == va&^(PageSize-1) || s.pte(p)&(pagetable.Present|pagetable.Kept) != 0 {
			continue
		}
		if !s.mem.HasFreeOn(node) {
			break // no growing for pages not asked for
		}
		pa, err := s.mem.AllocOn(node)
		if err != nil {
			break
		}
		if pagetable.SetAlloc(lookup, s.root, p, pagetable.ReservedEntry(pa, pteFlags(a.Prot), node), s.vn.Take) != pagetable.OK {
			s.mem.GiveBack(pa)
			break
		}
		n++
	}
	return n
}

// claimAt answers a fault at va whose entry e is Reserved for node at
// (FaultAround), for a core of node (memory.AnyNode: any): the page
// becomes present if it is of that node, else a page of node replaces
// it (alloc's; its error, memory.ErrNeedMemory, lets the caller grow
// the account and fault again). The entry changes by compare-and-swap:
// a core of node at may claim it at the same time (ClaimReserved), and
// then the access is retried.
func claimAt(root, va, e uint64, at int, write, exec bool, node int, alloc func(node int) (uint64, error),
	giveBack func(pa uint64)) (bool, error) {
	ptr, _ := pagetable.Walk(lookup, root, va, false, false)
	if ptr == nil {
		return false, nil
	}
	claimed := pagetable.Claim(e)
	if node != at && node >= 0 && node < memory.AnyNode {
		pa, err := alloc(node)
		if err != nil {
			return false, err
		}
		repl := pa | claimed&^pagetable.AddrMask
		if !atomic.CompareAndSwapUint64(ptr, e, repl) {
			giveBack(pa)
			return permits(atomic.LoadUint64(ptr), write, exec), nil
		}
		giveBack(e & pagetable.AddrMask)
		return permits(repl, write, exec), nil
	}
	if !atomic.CompareAndSwapUint64(ptr, e, claimed) {
		return permits(atomic.LoadUint64(ptr), write, exec), nil
	}
	return permits(claimed, write, exec), nil
}

// ClaimReserved makes va's entry below root present if FaultAround set
// its page aside for node and the page's rights allow the access: a
// spanning program's core of node, on its thread's first touch, with
// one compare-and-swap and no message. It reports whether it did (or
// another core did meanwhile, and the entry allows the access). The
// space's owner may change the entry at the same time (an unmap, an
// mprotect, a claim for another node): whichever compare-and-swap or
// store comes first wins, and the owner's change is flushed from this
// core's TLB before it returns (docs/spanning.md). table is the
// physical address of the page-table page whose entry this core's
// compare-and-swap wrote, 0 if it wrote none.
func ClaimReserved(root, va uint64, write, exec bool, node int) (ok bool, table uint64) {
	ptr, _ := pagetable.Walk(lookup, root, va, false, false)
	if ptr == nil {
		return false, 0
	}
	e := atomic.LoadUint64(ptr)
	at, ok := pagetable.ReservedFor(e)
	if !ok || at != node || !permits(pagetable.Claim(e), write, exec) {
		return false, 0
	}
	if atomic.CompareAndSwapUint64(ptr, e, pagetable.Claim(e)) {
		return true, uint64(uintptr(unsafe.Pointer(ptr))-ring0.DirectMap) &^ (PageSize - 1)
	}
	return permits(atomic.LoadUint64(ptr), write, exec), 0
}

// permits reports whether the present leaf entry e allows the access.
func permits(e uint64, write, exec bool) bool {
	return e&pagetable.Present != 0 && e&pagetable.User != 0 &&
		(!write || e&pagetable.Writable != 0) && (!exec || e&pagetable.NoExecute == 0)
}

// pteFlags turns an area's protection into page-table bits.
func pteFlags(prot uint32) uint64 {
	f := uint64(0)
	if prot&vmas.Write != 0 {
		f |= pagetable.Writable
	}
	if prot&vmas.Exec == 0 && ring0.NX() {
		f |= pagetable.NoExecute
	}
	return f
}

// page returns the physical page backing va, faulting it in if the area
// allows it, through the cached translation when it is va's page.
func (s *Space) page(va uint64, write bool) (uint64, error) {
	if pa, ok := s.last.lookup(va, write); ok {
		return pa, nil
	}
	e := s.pte(va)
	if e&pagetable.Present == 0 {
		ok, err := s.Fault(va, write, false)
		if err != nil {
			return 0, err
		}
		if !ok {
			return 0, ErrFault
		}
		e = s.pte(va)
	}
	if write && e&pagetable.Writable == 0 {
		return 0, ErrFault
	}
	s.last.fill(va, e)
	return e & pagetable.AddrMask, nil
}

// CopyIn reads len(b) bytes at user address va.
func (s *Space) CopyIn(va uint64, b []byte) error { return s.copyUser(va, b, false) }

// CopyOut writes b at user address va.
func (s *Space) CopyOut(va uint64, b []byte) error { return s.copyUser(va, b, true) }

// Cached returns the n bytes of user memory at va, through the direct
// map, if they lie within the page of the cached translation and it
// allows the access (write: a store); false otherwise. A copy of a
// call's argument or result, most often to where the last one went,
// takes no walk. The bytes are valid only while the caller holds the
// space's lock, as the translation.
func (s *Space) Cached(va uint64, n int, write bool) ([]byte, bool) {
	off := va & (PageSize - 1)
	pa, ok := s.last.lookup(va, write)
	if !ok || off+uint64(n) > PageSize {
		return nil, false
	}
	return ring0.PhysBytes(pa+off, n), true
}

// copyUser copies between b and the user memory at va, page by page,
// faulting pages in as the areas allow: into b, or out of it (out) into
// pages that must be writable.
func (s *Space) copyUser(va uint64, b []byte, out bool) error {
	for len(b) > 0 {
		if va >= UserLimit {
			return ErrFault
		}
		pa, err := s.page(va, out)
		if err != nil {
			return err
		}
		off := va & (PageSize - 1)
		user := ring0.PhysBytes(pa+off, int(PageSize-off))
		var n int
		if out {
			n = copy(user, b)
		} else {
			n = copy(b, user)
		}
		b, va = b[n:], va+uint64(n)
	}
	return nil
}

// Unmap drops the pages of [start, end) (they read as zeros if touched
// again while an area still covers them); boot-image pages are only
// unmapped.
func (s *Space) Unmap(start, end uint64) {
	s.unmapped()
	if ring0.UnmapUserFunc(s.root, start, end, keepBoot(s.mem.GiveBack)) > 0 {
		s.flush(start, end)
	}
}

// PinnedIn reports whether a pinned area overlaps [start, end): mmap,
// munmap and madvise refuse to change such a range.
func (s *Space) PinnedIn(start, end uint64) bool {
	for i := 0; i < s.areas.Len(); i++ {
		a := s.areas.At(i)
		if a.Prot&vmas.Pinned != 0 && a.Start < end && start < a.End {
			return true
		}
	}
	return false
}

// MapPinned maps the size bytes of physical memory at pa (page aligned,
// not this process's to free) read-write at va as a pinned area.
func (s *Space) MapPinned(va, pa, size uint64) error {
	return s.MapFrame(va, pa, size, vmas.Read|vmas.Write, false)
}

// MapFrame maps the size bytes of physical memory at pa (page aligned,
// not this process's to free) at va with protection prot, as a pinned
// area; uncached for device memory. On memory.ErrNeedMemory nothing is mapped:
// Refill and map again.
func (s *Space) MapFrame(va, pa, size uint64, prot uint32, uncached bool) error {
	flags := pteFlags(prot)
	if uncached {
		flags |= pagetable.CacheDisable | pagetable.WriteThrough
	}
	if !s.areas.Free(va, va+size) {
		return errors.New("address range in use")
	}
	if !s.areas.Set(va, va+size, prot|vmas.Pinned) {
		return errors.New("too many areas")
	}
	for off := uint64(0); off < size; off += PageSize {
		if err := s.mapPage(va+off, pa+off, flags); err != nil {
			s.areas.Remove(va, va+size)
			s.unmapped()
			ring0.UnmapUserKeep(s.root, va, va+off)
			return err
		}
	}
	return nil
}

// UnmapPinned removes the pinned area [start, end) without freeing its
// pages.
func (s *Space) UnmapPinned(start, end uint64) {
	s.areas.Remove(start, end)
	s.unmapped()
	if ring0.UnmapUserKeep(s.root, start, end) > 0 {
		s.flush(start, end)
	}
}

// Release frees every user page of the space, its page tables and its
// root, except the pages of pinned areas and of boot images, which it
// only unmaps. The space
// must not be used afterwards.
func (s *Space) Release() {
	s.unmapped()
	// The ranges' entries are never the space's own tables: a private
	// range's (released by its holder before) or copies of the range
	// root's, whose tables go with it.
	r := ring0.PhysWords(s.root)
	for i := range 256 {
		if s.rangeSlots[i/64]&(1<<(i%64)) != 0 {
			r[i] = 0
		}
	}
	if s.rangeRoot != 0 {
		ring0.ReleaseUserSpace(s.rangeRoot, keepBoot(s.mem.DropAtExit), s.mem.DropAtExit)
		s.rangeRoot = 0
	}
	for i := 0; i < s.areas.Len(); i++ {
		if a := s.areas.At(i); a.Prot&vmas.Pinned != 0 {
			ring0.UnmapUserKeep(s.root, a.Start, a.End)
		}
	}
	ring0.ReleaseUserSpace(s.root, keepBoot(s.mem.DropAtExit), s.mem.DropAtExit)
	s.vn.Release(s.mem.DropAtExit)
	s.root = 0
	s.mem.Release()
}

// Root returns the physical address of the space's page-table root.
func (s *Space) Root() uint64 { return s.root }

// SetBuilt marks the space built: its process's threads may run, and an
// empty account no longer grows where it is found empty (the caller
// grows it without the space's lock: proc.Process.grow).
func (s *Space) SetBuilt() { s.building = false }

// Released reports whether Release ran.
func (s *Space) Released() bool { return s.root == 0 }

// Areas returns the space's areas.
func (s *Space) Areas() *vmas.Table { return &s.areas }

// TableCounts returns the page tables in use by level and how many of
// each are VNode capabilities.
func (s *Space) TableCounts() (inUse, capped [4]int) { return s.vn.Counts() }

// PinnedAt returns the physical address mapped at va if an area starts
// there (a channel frame mapped before); found is false if none does.
func (s *Space) PinnedAt(va uint64) (pa uint64, found bool) {
	if a, ok := s.areas.Find(va); !ok || a.Start != va {
		return 0, false
	}
	return s.pte(va) & pagetable.AddrMask, true
}
