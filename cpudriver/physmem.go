package main

import (
	"fmt"

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

// physBytes and physWords reach physical memory through the direct map.
var (
	physBytes = ring0.PhysBytes
	physWords = ring0.PhysWords
)
