package ring0

import (
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/pagetable"
	"multikernel/cpudriver/vmas"
)

// The runtime's memory: anonymous private mappings in the kernel heap
// window [heapBase, heapLimit), recorded in heap (a vmas.Table) and backed
// lazily: a page gets a zeroed physical page from this core's pool on its
// first touch (pageFault). munmap and madvise(MADV_DONTNEED) really drop
// the pages, so the runtime finds zeros there next time, as Linux promises
// and as its scavenger assumes.

const (
	protRead  = 1
	protWrite = 2
	protExec  = 4

	mapShared    = 0x01
	mapPrivate   = 0x02
	mapFixed     = 0x10
	mapAnonymous = 0x20

	pageSize = 4096
)

//go:nosplit
func sysMmapGo(addr, length uint64, prot, flags uint32, fd int32, off uint64) uint64 {
	if length == 0 || addr&(pageSize-1) != 0 || length > heapLimit-heapBase {
		return negErrno(kpi.EINVAL)
	}
	if flags&mapAnonymous == 0 || fd != -1 {
		return negErrno(kpi.ENODEV) // the CPU driver has no files to map
	}
	if flags&mapShared != 0 || flags&mapPrivate == 0 || prot&protExec != 0 {
		return negErrno(kpi.EINVAL)
	}
	length = (length + pageSize - 1) &^ (pageSize - 1)
	end := addr + length
	inWindow := addr >= heapBase && end <= heapLimit && end > addr
	switch {
	case flags&mapFixed != 0:
		if !inWindow {
			return negErrno(kpi.EINVAL)
		}
		dropPages(addr, end)
	case inWindow && heap.Free(addr, end):
		// The hint is usable.
	default:
		a, ok := heap.FindGap(heapNext, heapLimit, length, pageSize)
		if !ok {
			a, ok = heap.FindGap(heapBase, heapLimit, length, pageSize)
		}
		if !ok {
			return negErrno(kpi.ENOMEM)
		}
		addr, end = a, a+length
		heapNext = end
	}
	if !heap.Set(addr, end, prot&(protRead|protWrite)) {
		return negErrno(kpi.ENOMEM)
	}
	return addr
}

//go:nosplit
func sysMunmapGo(addr, length uint64) uint64 {
	if addr&(pageSize-1) != 0 || length == 0 {
		return negErrno(kpi.EINVAL)
	}
	end := addr + (length+pageSize-1)&^(pageSize-1)
	if addr < heapBase || end > heapLimit || end < addr {
		return negErrno(kpi.EINVAL)
	}
	if !heap.Remove(addr, end) {
		return negErrno(kpi.ENOMEM)
	}
	dropPages(addr, end)
	return 0
}

//go:nosplit
func sysMadviseGo(addr, length uint64, advice int) uint64 {
	if addr&(pageSize-1) != 0 {
		return negErrno(kpi.EINVAL)
	}
	end := addr + (length+pageSize-1)&^(pageSize-1)
	switch advice {
	case 4: // MADV_DONTNEED: the pages read as zeros afterwards
		if addr >= heapBase && end <= heapLimit && end >= addr {
			dropPages(addr, end)
		}
		return 0
	case 0, 1, 2, 3, 14, 15: // NORMAL, RANDOM, SEQUENTIAL, WILLNEED, (NO)HUGEPAGE: hints
		return 0
	}
	// MADV_FREE (8) among them: refused so the runtime uses DONTNEED.
	return negErrno(kpi.EINVAL)
}

// dropPages unmaps [start, end), returns the pages to the pool and flushes
// this core's TLB (one CR3 reload; the kernel mappings are not global).
//
//go:nosplit
func dropPages(start, end uint64) {
	if pagetable.UnmapRange(&pool, kernCR3, start, end, true) > 0 {
		writeCR3(readCR3())
	}
}

// demandPage maps a zeroed page at the faulting address addr if it lies in
// a readable or writable heap area. It reports false when the fault is not
// one to satisfy (no area, PROT_NONE, out of memory).
//
//go:nosplit
func demandPage(addr uint64) bool {
	a, ok := heap.Find(addr)
	if !ok || a.Prot&(vmas.Read|vmas.Write) == 0 {
		return false
	}
	pa, ok := pool.AllocZeroed()
	if !ok {
		kprint("cpudriver: out of memory on this core's node\n")
		return false
	}
	checkPoolLow()
	flags := pagetable.NoExecute * nxBit
	if a.Prot&vmas.Write != 0 {
		flags |= pagetable.Writable
	}
	if pagetable.Map(&pool, kernCR3, addr&^(pageSize-1), pa, flags) != pagetable.OK {
		pool.Free(pa)
		return false
	}
	return true
}

// nxBit is 1 when the CPU has NX (EFER.NXE set by the loader), else 0.
var nxBit uint64

// AddMemory gives this core's pool the physical range [base, end).
// Called by package cpudriver once it knows which memory is node-local.
func AddMemory(base, end uint64) bool { return pool.AddRange(base, end) }

// pagetableMap maps va to pa in the tables at root with this core's pool.
func pagetableMap(root, va, pa, flags uint64) bool {
	return pagetable.Map(&pool, root, va, pa, flags) == pagetable.OK
}
