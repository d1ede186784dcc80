package proc

import (
	"multikernel/cpudriver/vmas"

	"multikernel/cpudriver/kpi"
)

// Memory system calls: anonymous private mappings with demand-zero pages.

const (
	protMask     = vmas.Read | vmas.Write | vmas.Exec
	mapShared    = 0x01
	mapPrivate   = 0x02
	mapFixed     = 0x10
	mapAnonymous = 0x20
	mapFixedNR   = 0x100000 // MAP_FIXED_NOREPLACE
)

// mmapMinAddr is the lowest address a fixed mapping may start at (Linux's
// default vm.mmap_min_addr): a null pointer stays a fault.
const mmapMinAddr = 0x10000

func (t *Thread) mmap(addr, length uint64, prot, flags uint32, fd int32, off uint64) int64 {
	if length == 0 || addr&(pageSize-1) != 0 || prot&^protMask != 0 {
		return -kpi.EINVAL
	}
	if length >= userLimit {
		return -kpi.ENOMEM // as Linux: longer than the address space
	}
	if flags&mapAnonymous == 0 {
		return -kpi.ENODEV // no files to map yet
	}
	if flags&mapShared != 0 || flags&mapPrivate == 0 {
		return -kpi.EINVAL
	}
	length = (length + pageSize - 1) &^ (pageSize - 1)
	p := t.proc
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.space
	end := addr + length
	inRange := end <= userLimit && end > addr
	switch {
	case flags&(mapFixed|mapFixedNR) != 0 && !inRange:
		return -kpi.ENOMEM // as Linux: past the end of the user address space
	case flags&(mapFixed|mapFixedNR) != 0 && addr < mmapMinAddr:
		return -kpi.EPERM // as Linux below vm.mmap_min_addr
	case flags&mapFixed != 0:
		if s.pinnedIn(addr, end) {
			return -kpi.EINVAL
		}
		s.unmap(addr, end)
	case flags&mapFixedNR != 0:
		if !s.areas.Free(addr, end) {
			return -kpi.EEXIST
		}
	case addr >= mmapMinAddr && inRange && s.areas.Free(addr, end):
		// the hint is free
	default:
		a, ok := s.areas.FindGap(s.next, stackTop-stackSize, length, pageSize)
		if !ok {
			a, ok = s.areas.FindGap(1<<20, stackTop-stackSize, length, pageSize)
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

func (t *Thread) munmap(addr, length uint64) int64 {
	end := addr + (length+pageSize-1)&^(pageSize-1)
	if addr&(pageSize-1) != 0 || length == 0 || end > userLimit || end < addr {
		return -kpi.EINVAL
	}
	p := t.proc
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.space.pinnedIn(addr, end) {
		return -kpi.EINVAL // a channel frame stays mapped for the process's life
	}
	if !p.space.areas.Remove(addr, end) {
		return -kpi.ENOMEM
	}
	p.space.unmap(addr, end)
	return 0
}

func (t *Thread) madvise(addr, length uint64, advice int) int64 {
	end := addr + (length+pageSize-1)&^(pageSize-1)
	if addr&(pageSize-1) != 0 || end > userLimit || end < addr {
		return -kpi.EINVAL
	}
	switch advice {
	case 4: // MADV_DONTNEED: the pages read as zeros afterwards
		p := t.proc
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.space.pinnedIn(addr, end) {
			return -kpi.EINVAL
		}
		p.space.unmap(addr, end)
		return 0
	case 0, 1, 2, 3, 14, 15: // hints
		return 0
	}
	return -kpi.EINVAL // MADV_FREE among others: the runtime falls back to DONTNEED
}

// brk: the program break is not supported (Go programs do not use it);
// as Linux does when it cannot move the break, every call returns the
// current break, which stays 0 here.
func (t *Thread) brk(addr uint64) int64 { return 0 }
