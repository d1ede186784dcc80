package multiboot

import "fmt"

// fakeMem is a sparse physical memory for tests: a set of non-overlapping
// regions. Reading any byte outside them is an error.
type fakeMem struct {
	regions []region
}

type region struct {
	addr uint64
	data []byte
}

// put maps a copy of b at addr.
func (f *fakeMem) put(addr uint64, b []byte) {
	f.regions = append(f.regions, region{addr, append([]byte(nil), b...)})
}

// ReadPhys implements Memory. A read may span adjacent regions.
func (f *fakeMem) ReadPhys(addr uint64, buf []byte) error {
	for done := 0; done < len(buf); {
		a := addr + uint64(done)
		if a < addr {
			return fmt.Errorf("fake memory: read at 0x%x wraps", addr)
		}
		n := 0
		for _, r := range f.regions {
			if a >= r.addr && a-r.addr < uint64(len(r.data)) {
				n = copy(buf[done:], r.data[a-r.addr:])
				break
			}
		}
		if n == 0 {
			return fmt.Errorf("fake memory: nothing at 0x%x", a)
		}
		done += n
	}
	return nil
}
