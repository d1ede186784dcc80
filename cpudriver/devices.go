package main

import (
	"multikernel/boot/multiboot"
	"multikernel/cpudriver/acpi"
	"multikernel/cpudriver/devices"
	"multikernel/cpudriver/ring0"
)

// Devices: what the bootstrap core's device capabilities cover
// (devices.Init; docs/capabilities.md, "Devices").

// Physical ranges that are device memory by position but stay the CPU
// driver's: everything below 1 MiB (the VGA text screen the console
// mirrors, the BIOS), and the I/O APIC, HPET and local APIC window
// [0xFEC00000, 0xFF000000).
const (
	devLow         = 1 << 20
	apicWindowBase = 0xFEC00000
	apicWindowEnd  = 0xFF000000
	devHigh        = 1 << 32 // 64-bit BARs above 4 GiB are not covered yet
)

// deviceRegions returns the page-aligned ranges in [devLow, devHigh),
// outside the APIC window, that no memory map entry of any type covers:
// where the firmware put the devices' memory (PCI BARs). The map may be
// unsorted and overlapping.
func deviceRegions(mmap []multiboot.MemoryRegion) [][2]uint64 {
	free := []span{{devLow, apicWindowBase}, {apicWindowEnd, devHigh}}
	for _, r := range mmap {
		free = cutSpan(free, r.Base&^(pageSize-1), alignUp(r.End(), pageSize))
	}
	var out [][2]uint64
	for _, s := range free {
		b, e := alignUp(s.base, pageSize), s.end&^(pageSize-1)
		if b < e {
			out = append(out, [2]uint64{b, e})
		}
	}
	return out
}

// cutSpan removes [b, e) from spans (sorted, disjoint; stays so).
func cutSpan(spans []span, b, e uint64) []span {
	var out []span
	for _, s := range spans {
		if e <= s.base || b >= s.end {
			out = append(out, s)
			continue
		}
		if s.base < b {
			out = append(out, span{s.base, b})
		}
		if e < s.end {
			out = append(out, span{e, s.end})
		}
	}
	return out
}

// alignUp rounds x up to a multiple of a (a power of two), saturating.
func alignUp(x, a uint64) uint64 {
	if x > ^uint64(0)-(a-1) {
		return ^uint64(0) &^ (a - 1)
	}
	return (x + a - 1) &^ (a - 1)
}

// pageSize is the x86-64 base page size.
const pageSize = 4096

// deviceLayout gathers the device layout from the firmware's tables
// (tables may be nil) and masks every pin of the I/O APIC serving GSI 0,
// which only IRQ capabilities unmask. Bootstrap core only.
func deviceLayout(info *multiboot.Info, tables *acpi.Tables) devices.Layout {
	l := devices.Layout{DevRegions: deviceRegions(info.MemoryMap), LineFlags: map[uint32]uint16{}}
	if tables == nil || tables.MADT == nil {
		return l
	}
	for _, o := range tables.MADT.Overrides {
		l.LineFlags[o.GSI] = o.Flags
	}
	for _, io := range tables.MADT.IOAPICs {
		if io.GSIBase != 0 || io.Addr < apicWindowBase || io.Addr >= apicWindowEnd || l.IOAPIC != 0 {
			continue // only the first I/O APIC of GSI 0, inside the window, is used
		}
		l.IOAPIC = uint64(io.Addr)
		l.Pins = min(ring0.IOAPICPins(l.IOAPIC), ring0.DeviceVectors)
		for pin := 0; pin < l.Pins; pin++ {
			ring0.IOAPICMask(l.IOAPIC, pin)
		}
	}
	return l
}
