package acpi

import (
	"fmt"
	"sort"
)

// fakeMem is a sparse physical memory for tests: a set of non-overlapping
// regions. Reading any byte outside them is an error, so tests notice when
// the parser strays.
type fakeMem struct {
	regions []region
	// zeros, when set, is a range [zeros[0], zeros[1]) that reads as zero
	// where no region covers it, like the BIOS area of a PC.
	zeros *[2]uint64
}

type region struct {
	addr uint64
	data []byte
}

// put maps a copy of b at addr. Regions must not overlap.
func (f *fakeMem) put(addr uint64, b []byte) {
	f.regions = append(f.regions, region{addr, append([]byte(nil), b...)})
	sort.Slice(f.regions, func(i, j int) bool { return f.regions[i].addr < f.regions[j].addr })
}

// ReadPhys implements Memory. A read may span adjacent regions.
func (f *fakeMem) ReadPhys(addr uint64, buf []byte) error {
	for done := 0; done < len(buf); {
		a := addr + uint64(done)
		if a < addr {
			return fmt.Errorf("fake memory: read at 0x%x wraps", addr)
		}
		r := f.find(a)
		switch {
		case r != nil:
			done += copy(buf[done:], r.data[a-r.addr:])
		case f.zeros != nil && a >= f.zeros[0] && a < f.zeros[1]:
			n := min(uint64(len(buf)-done), f.zeros[1]-a)
			if next := f.nextRegion(a); next > a {
				n = min(n, next-a)
			}
			clear(buf[done : done+int(n)])
			done += int(n)
		default:
			return fmt.Errorf("fake memory: nothing at 0x%x", a)
		}
	}
	return nil
}

// find returns the region holding addr, or nil.
func (f *fakeMem) find(addr uint64) *region {
	for i := range f.regions {
		r := &f.regions[i]
		if addr >= r.addr && addr-r.addr < uint64(len(r.data)) {
			return r
		}
	}
	return nil
}

// nextRegion returns the start of the first region above addr, or 0.
func (f *fakeMem) nextRegion(addr uint64) uint64 {
	for _, r := range f.regions { // sorted by address
		if r.addr > addr {
			return r.addr
		}
	}
	return 0
}
