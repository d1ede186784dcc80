package main

import (
	"fmt"
	"unsafe"

	"multikernel/cpudriver/ring0"
)

// physMemory reads physical memory through the direct map. It implements
// the Memory interfaces of packages acpi and multiboot.
type physMemory struct{}

// ReadPhys copies len(buf) bytes at physical address addr into buf.
func (physMemory) ReadPhys(addr uint64, buf []byte) error {
	end := addr + uint64(len(buf))
	if end < addr || end > ring0.PhysGiB()<<30 {
		return fmt.Errorf("physical range %#x+%#x is outside the direct map", addr, len(buf))
	}
	copy(buf, physBytes(addr, len(buf)))
	return nil
}

// physBytes returns the n bytes at physical address pa as a slice aliasing
// the direct map.
func physBytes(pa uint64, n int) []byte {
	return unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(nil), ring0.DirectMap+uintptr(pa))), n)
}

// physWords returns the page at pa as 512 words.
func physWords(pa uint64) *[512]uint64 {
	return (*[512]uint64)(unsafe.Pointer(&physBytes(pa, 4096)[0]))
}
