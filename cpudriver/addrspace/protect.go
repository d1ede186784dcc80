package addrspace

import (
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/pagetable"
	"multikernel/cpudriver/ring0"
	"multikernel/cpudriver/vmas"
)

// Protect changes the protection of [start, end) (page aligned, start <
// end, inside the user half) to prot (ProtMask bits), as mprotect does.
// It returns 0 or an errno: ENOMEM when part of the range has no area (or
// the areas would be too many), EACCES when an area of it is pinned (a
// frame that is not the process's keeps the rights it was mapped with).
// The error is memory.ErrNeedMemory when a page had to be copied and the
// account was empty: the caller grows it and calls again (what was done
// stays done, and doing it again changes nothing). The space's lock is
// held.
//
// The pages the range holds keep their contents: under PROT_NONE their
// entries are Kept (not present, the page still theirs: pagetable.Kept),
// under any other protection present with the new rights. A boot-image
// page (bootimage.go) that would become writable is first replaced by a
// private copy, so no process can write the shared text. This core's TLB
// entries for the range are gone when it returns; the process's threads
// all run on this core.
func (s *Space) Protect(start, end uint64, prot uint32) (int64, error) {
	for va := start; va < end; {
		a, ok := s.areas.Find(va)
		switch {
		case !ok:
			return -kpi.ENOMEM, nil // as Linux: a hole in the range
		case a.Prot&vmas.Pinned != 0:
			return -kpi.EACCES, nil
		}
		va = a.End
	}
	if prot&vmas.Write != 0 {
		if err := s.copyBootPages(start, end); err != nil {
			return 0, err
		}
	}
	if !s.areas.Set(start, end, prot) {
		return -kpi.ENOMEM, nil
	}
	s.unmapped() // the cached translation may lose its rights
	rights := pteFlags(prot)
	change := func(e uint64) uint64 {
		// A page set aside for a node's first touch (FaultAround)
		// becomes an ordinary page of the range: kept or present.
		e &^= pagetable.Reserved | pagetable.NodeBits
		if prot&ProtMask == 0 {
			return e&^pagetable.Present | pagetable.Kept
		}
		return (e|pagetable.Present)&^(pagetable.Kept|pagetable.Writable|pagetable.NoExecute) | rights
	}
	if pagetable.ProtectRange(lookup, s.root, start, end, change) > 0 {
		s.flush(start, end)
	}
	return 0, nil
}

// copyBootPages replaces every boot-image page of [start, end) by a copy
// of it from the process's account, keeping the entry's other bits. It
// stops at the first page it cannot get and returns that error; the
// pages copied before stay copied.
func (s *Space) copyBootPages(start, end uint64) error {
	if len(bootImages) == 0 {
		return nil
	}
	s.unmapped() // the cached translation may be a page replaced here
	var err error
	copyPage := func(e uint64) uint64 {
		old := e & pagetable.AddrMask
		if err != nil || !isBootPage(old) {
			return e
		}
		pa, aerr := s.allocPage(s.node)
		if aerr != nil {
			err = aerr
			return e
		}
		copy(ring0.PhysBytes(pa, PageSize), ring0.PhysBytes(old, PageSize))
		return e&^pagetable.AddrMask | pa
	}
	if pagetable.ProtectRange(lookup, s.root, start, end, copyPage) > 0 {
		s.flush(start, end)
	}
	return err
}
