package multiboot

import (
	"bytes"
	"fmt"
)

// Memory reads physical memory. The kernel implements it through its direct
// map; tests implement it with a sparse fake memory map.
//
// ReadPhys fills buf with the bytes at physical addresses
// [addr, addr+len(buf)) or returns an error if any of them cannot be read.
// The package never retains buf after the call.
type Memory interface {
	ReadPhys(addr uint64, buf []byte) error
}

// read returns n bytes of physical memory at addr.
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

// cstringChunk is how much readCString asks for at a time. Chunks are
// aligned to it, so a chunk never straddles a page boundary and a string
// that ends just before unreadable memory is still read whole.
const cstringChunk = 64

// readCString reads the NUL-terminated string at addr, at most max bytes
// long without its NUL. A chunk that cannot be read as a whole is read byte
// by byte, so only a byte the string really needs makes it fail.
func readCString(m Memory, addr uint64, max int) (string, error) {
	var s []byte
	for len(s) <= max {
		a := addr + uint64(len(s))
		if a < addr {
			return "", fmt.Errorf("string at 0x%x wraps around the address space", addr)
		}
		n := cstringChunk - int(a%cstringChunk)
		chunk, err := read(m, a, n)
		if err != nil {
			chunk, err = read(m, a, 1)
			if err != nil {
				return "", fmt.Errorf("string at 0x%x: %v", addr, err)
			}
		}
		if i := bytes.IndexByte(chunk, 0); i >= 0 && len(s)+i <= max {
			return string(append(s, chunk[:i]...)), nil
		}
		s = append(s, chunk...)
	}
	return "", fmt.Errorf("string at 0x%x has no NUL within %d bytes", addr, max)
}
