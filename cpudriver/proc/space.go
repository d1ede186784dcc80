package proc

import (
	"errors"

	"multikernel/cpudriver/pagetable"
	"multikernel/cpudriver/physmem"
	"multikernel/cpudriver/ring0"
	"multikernel/cpudriver/vmas"
)

// User address-space layout.
const (
	pageSize  = 4096
	userLimit = 1 << 47        // first non-canonical address
	mmapBase  = 0x7f0000000000 // where mmap without a hint starts
	stackTop  = 0x7ffffffff000 // top of the main thread's stack
	stackSize = 8 << 20        // its reservation
)

// errFault is returned by the copy functions for an address that is not
// mapped readable (or writable, for copyOut) in the process.
var errFault = errors.New("bad address")

// space is a process's address space: a page-table root of its own whose
// kernel half is this core's (ring0.KernelPML4Slots, supervisor-only), and
// the areas mmap and the ELF loader created. Its lower half's tables and
// its root are VNode capabilities (vnodes.go) and its pages come from its
// memory account (memacct.go). Guarded by Process.mu.
type space struct {
	root  uint64
	areas vmas.Table
	next  uint64 // where the next mmap without a hint is tried
	mem   memAccount
	vn    vnodeSet

	// building: the process is being made and runs no thread yet, so an
	// empty account may grow right where it is found empty.
	building bool
}

// lookup is a pool used only to walk page tables through the direct map.
var lookup = &physmem.Pool{DirectMap: ring0.DirectMap}

func newSpace(monitor bool) (*space, error) {
	// The monitor's account takes pool pages when its core's RAM is full,
	// and never asks the memory service, which is the monitor itself.
	s := &space{next: mmapBase, building: true, mem: memAccount{pool: monitor}}
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

// allocPage returns a zeroed page from the space's account, or
// errNeedMemory when it is empty and the caller must grow it (Process.grow)
// without the space's lock.
func (s *space) allocPage() (uint64, error) {
	pa, err := s.mem.alloc()
	if err == errNeedMemory && s.building {
		c, ok := reserveChunk(s.mem.nextSize())
		if !ok && !s.mem.pool && moreRAM(nil) { // no lock is held
			c, ok = reserveChunk(s.mem.nextSize())
		}
		s.mem.add(c, ok)
		pa, err = s.mem.alloc()
	}
	return pa, err
}

// table returns a zeroed page table of level (0 PT ... 3 PML4), a VNode
// capability's page, or 0 if none is spare (refilled right away while
// the space is being built, with more RAM for the core if need be).
func (s *space) table(level int) uint64 {
	pa := s.vn.take(level)
	for try := 0; pa == 0 && s.building && try < 2; try++ {
		capCore.mu.Lock()
		ok := s.vn.refill(capCore.db, &s.mem)
		capCore.mu.Unlock()
		if !ok && (try > 0 || s.mem.pool || !moreRAM(nil)) {
			break
		}
		pa = s.vn.take(level)
	}
	return pa
}

// refill grows the memory account if it has no free page and makes the
// spare page tables walks wanted. It reports whether the core's RAM
// capabilities were full.
// capCore.mu and the space's lock are held.
func (s *space) refill() (full bool) {
	if !s.mem.hasFree() {
		c, ok := reserveChunkLocked(capCore.db, s.mem.nextSize())
		s.mem.add(c, ok)
		full = !ok
	}
	s.vn.refill(capCore.db, &s.mem)
	return full
}

// errNoTables says memory for page tables ran out.
var errNoTables = errors.New("out of memory for page tables")

// mapPage maps the page pa at va with flags (pagetable bits; User is
// added), taking missing tables from the space's VNodes. It returns
// errNeedMemory when a table of some level is not at hand: the caller
// refills (Process.grow) and maps again.
func (s *space) mapPage(va, pa, flags uint64) error {
	switch ring0.MapUserAlloc(s.root, va, pa, flags, s.table) {
	case pagetable.OK:
		return nil
	case pagetable.OutOfMemory:
		if s.building || s.vn.failed {
			return errNoTables // the last refill found no memory: give up
		}
		return errNeedMemory
	}
	return errors.New("a huge page is in the way")
}

// pte returns the leaf entry for va, 0 if none.
func (s *space) pte(va uint64) uint64 { return pagetable.Lookup(lookup, s.root, va) }

// fault makes the page at va present if an area allows the access (write:
// a store; exec: an instruction fetch). It reports false for a real fault,
// and errNeedMemory when the page must wait for the account to grow.
func (s *space) fault(va uint64, write, exec bool) (bool, error) {
	if va >= userLimit {
		return false, nil
	}
	a, ok := s.areas.Find(va)
	if !ok || a.Prot&vmas.Pinned != 0 || a.Prot&(vmas.Read|vmas.Write|vmas.Exec) == 0 ||
		(write && a.Prot&vmas.Write == 0) || (exec && a.Prot&vmas.Exec == 0) {
		return false, nil
	}
	if e := s.pte(va); e&pagetable.Present != 0 {
		return false, nil // present: a protection fault
	}
	pa, err := s.allocPage()
	if err != nil {
		return false, err
	}
	if err := s.mapPage(va&^(pageSize-1), pa, pteFlags(a.Prot)); err != nil {
		s.mem.giveBack(pa)
		if err == errNeedMemory {
			return false, err
		}
		return false, nil
	}
	return true, nil
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
// allows it.
func (s *space) page(va uint64, write bool) (uint64, error) {
	e := s.pte(va)
	if e&pagetable.Present == 0 {
		ok, err := s.fault(va, write, false)
		if err != nil {
			return 0, err
		}
		if !ok {
			return 0, errFault
		}
		e = s.pte(va)
	}
	if write && e&pagetable.Writable == 0 {
		return 0, errFault
	}
	return e & pagetable.AddrMask, nil
}

// copyIn reads len(b) bytes at user address va.
func (s *space) copyIn(va uint64, b []byte) error {
	for len(b) > 0 {
		if va >= userLimit {
			return errFault
		}
		pa, err := s.page(va, false)
		if err != nil {
			return err
		}
		off := va & (pageSize - 1)
		n := copy(b, ring0.PhysBytes(pa+off, int(pageSize-off)))
		b, va = b[n:], va+uint64(n)
	}
	return nil
}

// copyOut writes b at user address va.
func (s *space) copyOut(va uint64, b []byte) error {
	for len(b) > 0 {
		if va >= userLimit {
			return errFault
		}
		pa, err := s.page(va, true)
		if err != nil {
			return err
		}
		off := va & (pageSize - 1)
		n := copy(ring0.PhysBytes(pa+off, int(pageSize-off)), b)
		b, va = b[n:], va+uint64(n)
	}
	return nil
}

// unmap drops the pages of [start, end) (they read as zeros if touched
// again while an area still covers them).
func (s *space) unmap(start, end uint64) {
	if ring0.UnmapUserFunc(s.root, start, end, s.mem.giveBack) > 0 {
		ring0.FlushRange(s.root, start, end)
	}
}

// pinnedIn reports whether a pinned area overlaps [start, end): mmap,
// munmap and madvise refuse to change such a range.
func (s *space) pinnedIn(start, end uint64) bool {
	for i := 0; i < s.areas.Len(); i++ {
		a := s.areas.At(i)
		if a.Prot&vmas.Pinned != 0 && a.Start < end && start < a.End {
			return true
		}
	}
	return false
}

// mapPinned maps the size bytes of physical memory at pa (page aligned,
// not this process's to free) read-write at va as a pinned area.
func (s *space) mapPinned(va, pa, size uint64) error {
	return s.mapFrame(va, pa, size, vmas.Read|vmas.Write, false)
}

// mapFrame maps the size bytes of physical memory at pa (page aligned,
// not this process's to free) at va with protection prot, as a pinned
// area; uncached for device memory. On errNeedMemory nothing is mapped:
// refill and map again.
func (s *space) mapFrame(va, pa, size uint64, prot uint32, uncached bool) error {
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
	for off := uint64(0); off < size; off += pageSize {
		if err := s.mapPage(va+off, pa+off, flags); err != nil {
			s.areas.Remove(va, va+size)
			ring0.UnmapUserKeep(s.root, va, va+off)
			return err
		}
	}
	return nil
}

// unmapPinned removes the pinned area [start, end) without freeing its
// pages.
func (s *space) unmapPinned(start, end uint64) {
	s.areas.Remove(start, end)
	if ring0.UnmapUserKeep(s.root, start, end) > 0 {
		ring0.FlushRange(s.root, start, end)
	}
}

// release frees every user page of the space, its page tables and its
// root, except the pages of pinned areas, which it only unmaps. The space
// must not be used afterwards.
func (s *space) release() {
	for i := 0; i < s.areas.Len(); i++ {
		if a := s.areas.At(i); a.Prot&vmas.Pinned != 0 {
			ring0.UnmapUserKeep(s.root, a.Start, a.End)
		}
	}
	ring0.ReleaseUserSpace(s.root, s.mem.dropAtExit, s.mem.dropAtExit)
	s.vn.release(s.mem.dropAtExit)
	s.root = 0
	s.mem.release()
}
