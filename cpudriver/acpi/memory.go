package acpi

import "fmt"

// Memory reads physical memory. The kernel implements it through its direct
// map of physical memory; tests implement it with a sparse fake memory map.
//
// ReadPhys fills buf with the bytes at physical addresses
// [addr, addr+len(buf)) or returns an error if any of them cannot be read.
// The package never retains buf after the call.
type Memory interface {
	ReadPhys(addr uint64, buf []byte) error
}

// read returns n bytes of physical memory at addr, refusing ranges that
// wrap around the end of the address space.
func read(m Memory, addr uint64, n int) ([]byte, error) {
	if n < 0 || addr+uint64(n) < addr {
		return nil, fmt.Errorf("range 0x%x+%d wraps around the address space", addr, n)
	}
	buf := make([]byte, n)
	if err := m.ReadPhys(addr, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// checksum reports whether the bytes of b add up to zero modulo 256, the
// rule every ACPI structure follows (5.2.5.3, 5.2.6).
func checksum(b []byte) bool {
	var sum byte
	for _, c := range b {
		sum += c
	}
	return sum == 0
}
