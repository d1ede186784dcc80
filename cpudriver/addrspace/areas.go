package addrspace

import (
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/vmas"
)

// MmapMinAddr is the lowest address a fixed mapping may have, as Linux's
// vm.mmap_min_addr (64 KiB): a page there would let a stray NULL
// dereference read mapped memory.
const MmapMinAddr = 0x10000

// How MapAnon places a mapping.
const (
	Hint      = iota // at addr if it is free, else where there is room
	Fixed            // at addr, replacing what is there (MAP_FIXED)
	NoReplace        // at addr, or EEXIST (MAP_FIXED_NOREPLACE)
)

// MapAnon makes [addr, addr+length) (length page-aligned and nonzero)
// an area of demand-zero memory with protection prot, placed as how
// says, and returns its address or an errno as mmap does. The space's
// lock is held.
func (s *Space) MapAnon(addr, length uint64, prot uint32, how int) int64 {
	end := addr + length
	inRange := end <= UserLimit && end > addr
	switch {
	case how != Hint && !inRange:
		return -kpi.ENOMEM // as Linux: past the end of the user address space
	case how != Hint && addr < MmapMinAddr:
		return -kpi.EPERM // as Linux below vm.mmap_min_addr
	case how == Fixed:
		if s.PinnedIn(addr, end) {
			return -kpi.EINVAL
		}
		s.Unmap(addr, end)
	case how == NoReplace:
		if !s.areas.Free(addr, end) {
			return -kpi.EEXIST
		}
	case addr >= MmapMinAddr && inRange && s.areas.Free(addr, end):
	default:
		a, ok := s.areas.FindGap(s.next, StackTop-StackSize, length, PageSize)
		if !ok {
			a, ok = s.areas.FindGap(1<<20, StackTop-StackSize, length, PageSize)
		}
		if !ok {
			return -kpi.ENOMEM
		}
		addr, end = a, a+length
		s.next = end
	}
	if !s.areas.Set(addr, end, prot) {
		return -kpi.ENOMEM
	}
	return int64(addr)
}

// UnmapAreas removes the areas of [start, end) and their pages (munmap):
// 0, or EINVAL for a range with a pinned area (a channel frame stays
// mapped for the process's life), or ENOMEM when the areas would be too
// many. The space's lock is held.
func (s *Space) UnmapAreas(start, end uint64) int64 {
	if s.PinnedIn(start, end) {
		return -kpi.EINVAL
	}
	if !s.areas.Remove(start, end) {
		return -kpi.ENOMEM
	}
	s.Unmap(start, end)
	return 0
}

// Discard drops the pages of [start, end), which read as zeros when next
// touched (MADV_DONTNEED): 0, or EINVAL for a range with a pinned area.
// The space's lock is held.
func (s *Space) Discard(start, end uint64) int64 {
	if s.PinnedIn(start, end) {
		return -kpi.EINVAL
	}
	s.Unmap(start, end)
	return 0
}

// ProtMask is the protection bits an area may have (vmas), which are
// mmap's PROT_READ, PROT_WRITE and PROT_EXEC.
const ProtMask = vmas.Read | vmas.Write | vmas.Exec
