package main

import (
	"math/rand/v2"
	"unsafe"
)

// Where the fuzzer's random calls may reach. A call that writes through
// a pointer, or maps, unmaps or changes memory, is given an address in a
// region the fuzzer reserved for it (or an address no program may use):
// never the fuzzer's Go heap, stacks or image, which a call with a random
// pointer would corrupt, testing the fuzzer instead of the kernel.
const (
	pageSize = 4096
	// userLimit is the first non-canonical address.
	userLimit = 1 << 47

	// The region: mapped read-write at start and again now and then;
	// calls map, unmap and advise inside it and write into it. Nothing
	// else of the fuzzer lies within guardSize after it, so a write that
	// runs off its end faults.
	regionBase = 0x3f0000000000
	regionSize = 16 << 20
	guardSize  = 1 << 30

	// The window where SysCapMap maps Frames the fuzzer retyped; the
	// fuzzer scribbles over what it maps there.
	frameBase = 0x3e0000000000
	frameSize = 16 << 20
)

// inRegion reports whether [a, a+n) lies inside the region.
func inRegion(a, n uintptr) bool {
	return a >= regionBase && n <= regionSize && a-regionBase <= regionSize-n
}

// hostileAddr returns an address no program may reach: in the kernel's
// half (the direct map or the CPU driver's image), non-canonical, the
// last page below the non-canonical hole (above the main stack, never
// mapped), or the top of the address space.
func hostileAddr(r *rand.Rand) uintptr {
	switch r.IntN(5) {
	case 0:
		return 0xffff800000000000 + uintptr(r.Uint64N(1<<32))
	case 1:
		return 0xffffffff80200000 + uintptr(r.Uint64N(1<<24))
	case 2:
		return userLimit + uintptr(r.Uint64N(1<<46))
	case 3:
		return userLimit - 1 - uintptr(r.Uint64N(pageSize))
	}
	return ^uintptr(0) - uintptr(r.Uint64N(pageSize))
}

// ptr returns a pointer argument and whether it is hostile: into the
// region (often word aligned), across its end, null or nearly, or
// hostile.
func ptr(r *rand.Rand) (uintptr, bool) {
	switch n := r.IntN(20); {
	case n < 9:
		p := regionBase + uintptr(r.Uint64N(regionSize))
		if r.IntN(4) > 0 {
			p &^= 7
		}
		return p, false
	case n < 11:
		return regionBase + regionSize - uintptr(r.Uint64N(64)), false
	case n < 13:
		return uintptr(r.Uint64N(pageSize)) &^ uintptr(r.IntN(2)*4095), false
	}
	return hostileAddr(r), true
}

// scalar returns a number argument: small, a power of two or one off it,
// negative, a page count, or noise.
func scalar(r *rand.Rand) uintptr {
	switch r.IntN(8) {
	case 0, 1:
		return uintptr(r.IntN(16))
	case 2:
		return uintptr(1) << r.IntN(64)
	case 3:
		return uintptr(1)<<r.IntN(64) - 1
	case 4:
		return ^uintptr(r.IntN(16)) // -1 .. -16
	case 5:
		return uintptr(r.IntN(1024)) * pageSize
	case 6:
		return uintptr(r.Uint32())
	}
	return uintptr(r.Uint64())
}

// anyArg is either kind: what an unknown call gets.
func anyArg(r *rand.Rand) uintptr {
	if r.IntN(3) == 0 {
		p, _ := ptr(r)
		return p
	}
	return scalar(r)
}

// memRange returns an address range for the calls that change memory:
// inside the region (its length never reaching past it), at null (less
// than 1 MiB: nothing is mapped that low), or hostile (in the kernel's
// half, non-canonical, or running over the top of the user half), with
// any length. hostile says the range is not the program's to change.
func memRange(r *rand.Rand) (addr, n uintptr, hostile bool) {
	switch k := r.IntN(10); {
	case k < 6:
		off := uintptr(r.Uint64N(regionSize/pageSize)) * pageSize
		if r.IntN(8) == 0 {
			off += 1 + uintptr(r.Uint64N(pageSize-1))
		}
		n = uintptr(r.Uint64N(uint64(regionSize-off) + 1))
		if r.IntN(2) == 0 {
			n &^= pageSize - 1
		}
		return regionBase + off, n, false
	case k == 6:
		return uintptr(r.IntN(4)) * pageSize, uintptr(r.Uint64N(1 << 20)), false
	case k == 7:
		return 0xffff800000000000 + uintptr(r.Uint64N(1<<20))*pageSize, scalar(r), true
	case k == 8:
		return userLimit + uintptr(r.Uint64N(1<<20))*pageSize, scalar(r), true
	}
	pages := uintptr(1 + r.IntN(16))
	return userLimit - pages*pageSize, pages*pageSize + 1 + uintptr(r.Uint64N(1<<30)), true
}

// addrOf returns the address of b's first byte.
func addrOf(b []byte) uintptr { return uintptr(unsafe.Pointer(&b[0])) }

// word reaches the 64-bit word at address a, memory Go does not know.
func word(a uintptr) *uint64 { return (*uint64)(*(*unsafe.Pointer)(unsafe.Pointer(&a))) }
