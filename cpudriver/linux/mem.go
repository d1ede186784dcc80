package linux

import (
	"multikernel/cpudriver/addrspace"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/proc"
)

// Memory system calls: anonymous private mappings with demand-zero pages
// (the bookkeeping is addrspace's; the argument rules are Linux's).

// mmap's flags.
const (
	mapShared    = 0x01
	mapPrivate   = 0x02
	mapFixed     = 0x10
	mapAnonymous = 0x20
	mapFixedNR   = 0x100000 // MAP_FIXED_NOREPLACE
)

const pageSize = addrspace.PageSize

// mmap is mmap(2) for anonymous private memory; a file mapping is ENODEV
// (there are no files yet), a shared one EINVAL.
func mmap(t *proc.Thread, a [6]uint64) int64 {
	addr, length, prot, flags := a[0], a[1], uint32(a[2]), uint32(a[3]) // fd and offset: no files yet
	if length == 0 || addr&(pageSize-1) != 0 || prot&^addrspace.ProtMask != 0 {
		return -kpi.EINVAL
	}
	if length >= addrspace.UserLimit {
		return -kpi.ENOMEM // as Linux: longer than the address space
	}
	if flags&mapAnonymous == 0 {
		return -kpi.ENODEV // no files to map yet
	}
	if flags&mapShared != 0 || flags&mapPrivate == 0 {
		return -kpi.EINVAL
	}
	length = (length + pageSize - 1) &^ (pageSize - 1)
	how := addrspace.Hint
	switch {
	case flags&mapFixed != 0:
		how = addrspace.Fixed
	case flags&mapFixedNR != 0:
		how = addrspace.NoReplace
	}
	p := t.Proc()
	s := p.LockSpace()
	defer p.UnlockSpace()
	return s.MapAnon(addr, length, prot, how)
}

// pageRange returns the end of [addr, addr+length) rounded up to a page,
// and whether the range is page-aligned and inside the user half.
func pageRange(addr, length uint64) (uint64, bool) {
	end := addr + (length+pageSize-1)&^(pageSize-1)
	return end, addr&(pageSize-1) == 0 && end <= addrspace.UserLimit && end >= addr
}

// mprotect changes the protection of a range of mapped memory
// (addrspace.Space.Protect). As Linux: an unaligned address or unknown
// bits are EINVAL (PROT_GROWSDOWN and PROT_GROWSUP too, there being no
// stack area that grows), a length of 0 does nothing, a range past the
// user half or with a hole in it is ENOMEM.
func mprotect(t *proc.Thread, a [6]uint64) int64 {
	addr, length, prot := a[0], a[1], a[2]
	if addr&(pageSize-1) != 0 || prot&^addrspace.ProtMask != 0 {
		return -kpi.EINVAL
	}
	if length == 0 {
		return 0
	}
	end, ok := pageRange(addr, length)
	if !ok || end == addr {
		return -kpi.ENOMEM
	}
	var r int64
	err := t.Proc().WithSpace(func(s *addrspace.Space) error {
		var err error
		r, err = s.Protect(addr, end, uint32(prot))
		return err
	})
	if err != nil {
		return -kpi.ENOMEM // no page for a copy, or the process is ending
	}
	return r
}

// munmap removes the mappings of a range; its pages go back to the
// process's memory account.
func munmap(t *proc.Thread, a [6]uint64) int64 {
	addr, length := a[0], a[1]
	end, ok := pageRange(addr, length)
	if !ok || length == 0 {
		return -kpi.EINVAL
	}
	p := t.Proc()
	s := p.LockSpace()
	defer p.UnlockSpace()
	return s.UnmapAreas(addr, end)
}

// madvise honours MADV_DONTNEED (the pages read as zeros afterwards) and
// accepts the hints that need nothing done.
func madvise(t *proc.Thread, a [6]uint64) int64 {
	addr, length, advice := a[0], a[1], int(a[2])
	end, ok := pageRange(addr, length)
	if !ok {
		return -kpi.EINVAL
	}
	switch advice {
	case 4: // MADV_DONTNEED
		p := t.Proc()
		s := p.LockSpace()
		defer p.UnlockSpace()
		return s.Discard(addr, end)
	case 0, 1, 2, 3, 14, 15: // hints
		return 0
	}
	return -kpi.EINVAL // MADV_FREE among others: the runtime falls back to DONTNEED
}

// brk: the program break is not supported (Go programs do not use it);
// as Linux does when it cannot move the break, every call returns the
// current break, which stays 0 here.
func brk(*proc.Thread, [6]uint64) int64 { return 0 }
