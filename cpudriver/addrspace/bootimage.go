package addrspace

import (
	"unsafe"

	"multikernel/cpudriver/ring0"
)

// Boot images. The program modules the boot loader placed in memory stay
// there, unchanged, for as long as the machine runs: the memory plan keeps
// them below every pool and RAM capability (cpudriver/memplan.go), and
// nothing writes them. Load maps the whole pages of a read-only segment
// of a program started from one straight from the module instead of
// copying them, so every process on every core that runs the program
// shares one physical copy of its text and read-only data. Under QEMU's
// TCG, which translates guest code per physical page, that is what makes
// sixteen monitors cost one translation instead of sixteen (BENCHMARKS.md,
// "Boot: where the time goes"); on a NUMA machine every core then fetches
// that text from the node the loader put it on.
//
// Such pages are nobody's to free: Unmap and Release hand them to no
// memory account and no pool (keepBoot), and they are mapped without
// write access, which no call can add (a store faults; copies into user
// memory check the page's own write bit). Pages a segment only partly
// covers are copied, so a page shared with a neighbouring segment, or
// with a segment's zero-filled tail, is always the process's own.
//
// bootImages is this core's: set by AddBootImage while the core starts
// its monitor, before any program runs, and only read afterwards.
var bootImages [][2]uint64

// AddBootImage records that the physical range [start, end) holds a boot
// module that stays in place, unchanged, while the machine runs, so that
// read-only segments of programs loaded from it may be mapped from it.
func AddBootImage(start, end uint64) {
	if start < end {
		bootImages = append(bootImages, [2]uint64{start, end})
	}
}

// bootPhys returns the physical address of b if b lies, through the
// direct map, wholly inside a boot image; ok is false otherwise (b is
// then some other memory, e.g. a host test's slice, and is copied).
func bootPhys(b []byte) (pa uint64, ok bool) {
	if len(b) == 0 {
		return 0, false
	}
	va := uint64(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
	if va < uint64(ring0.DirectMap) {
		return 0, false
	}
	pa = va - uint64(ring0.DirectMap)
	if !inBootImage(pa, pa+uint64(len(b))) {
		return 0, false
	}
	return pa, true
}

// inBootImage reports whether [start, end) lies inside one boot image.
func inBootImage(start, end uint64) bool {
	for _, r := range bootImages {
		if start >= r[0] && end <= r[1] && start < end {
			return true
		}
	}
	return false
}

// isBootPage reports whether the page at pa belongs to a boot image.
func isBootPage(pa uint64) bool { return inBootImage(pa, pa+PageSize) }

// sharedPage returns the physical page to map at the page va of a segment
// at vaddr whose file bytes, fileSize of them, lie at physical dataPA:
// ok only if the whole page is file bytes and the file's pages line up
// with the segment's (dataPA and vaddr agree modulo the page size, which
// ELF's p_offset ≡ p_vaddr rule gives for a page-aligned module).
func sharedPage(vaddr, fileSize, dataPA, va uint64) (pa uint64, ok bool) {
	if (dataPA-vaddr)&(PageSize-1) != 0 || va < vaddr || va+PageSize > vaddr+fileSize || va+PageSize < va {
		return 0, false
	}
	return dataPA + (va - vaddr), true
}

// keepBoot wraps a function that frees user pages so that boot-image
// pages are only unmapped, never freed.
func keepBoot(free func(pa uint64)) func(pa uint64) {
	if len(bootImages) == 0 {
		return free
	}
	return func(pa uint64) {
		if !isBootPage(pa) {
			free(pa)
		}
	}
}
