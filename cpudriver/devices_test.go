package main

import (
	"reflect"
	"testing"

	"multikernel/boot/multiboot"
)

func TestDeviceRegions(t *testing.T) {
	// QEMU q35 with 512 MiB: RAM, the MMCONFIG window, the BIOS.
	q35 := []multiboot.MemoryRegion{
		{Base: 0, Length: 0x9fc00, Type: multiboot.Available},
		{Base: 0x9fc00, Length: 0x400, Type: multiboot.Reserved},
		{Base: 0xf0000, Length: 0x10000, Type: multiboot.Reserved},
		{Base: 0x100000, Length: 0x1fee0000, Type: multiboot.Available},
		{Base: 0x1ffe0000, Length: 0x20000, Type: multiboot.Reserved},
		{Base: 0xb0000000, Length: 0x10000000, Type: multiboot.Reserved},
		{Base: 0xfed1c000, Length: 0x4000, Type: multiboot.Reserved},
		{Base: 0xfffc0000, Length: 0x40000, Type: multiboot.Reserved},
	}
	for _, tc := range []struct {
		name string
		mmap []multiboot.MemoryRegion
		want [][2]uint64
	}{
		{"q35", q35, [][2]uint64{{0x20000000, 0xb0000000}, {0xc0000000, 0xfec00000}, {0xff000000, 0xfffc0000}}},
		{"empty", nil, [][2]uint64{{0x100000, 0xfec00000}, {0xff000000, 1 << 32}}},
		{"unaligned entries round outwards", []multiboot.MemoryRegion{{Base: 0x100800, Length: 0x1000}}, [][2]uint64{{0x102000, 0xfec00000}, {0xff000000, 1 << 32}}},
		{"an entry reaching the top of the address space", []multiboot.MemoryRegion{{Base: 0x80000000, Length: ^uint64(0) - 0x80000000 + 1}}, [][2]uint64{{0x100000, 0x80000000}}},
		{"overlapping entries", []multiboot.MemoryRegion{{Base: 0, Length: 0x40000000}, {Base: 0x20000000, Length: 0x40000000}}, [][2]uint64{{0x60000000, 0xfec00000}, {0xff000000, 1 << 32}}},
	} {
		if got := deviceRegions(tc.mmap); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: deviceRegions = %#x, want %#x", tc.name, got, tc.want)
		}
	}
}

// FuzzDeviceRegions checks that no region returned overlaps a memory map
// entry, the first MiB or the APIC window, and that all are page aligned.
func FuzzDeviceRegions(f *testing.F) {
	f.Add(uint64(0x100000), uint64(0x1000), uint64(0xfee00000), uint64(0x1000))
	f.Fuzz(func(t *testing.T, b1, l1, b2, l2 uint64) {
		mmap := []multiboot.MemoryRegion{{Base: b1, Length: l1}, {Base: b2, Length: l2}}
		for _, r := range deviceRegions(mmap) {
			if r[0]%pageSize != 0 || r[1]%pageSize != 0 || r[0] >= r[1] || r[0] < devLow || r[1] > devHigh ||
				r[0] < apicWindowEnd && r[1] > apicWindowBase {
				t.Fatalf("bad region %#x", r)
			}
			for _, m := range mmap {
				if m.Length > 0 && r[0] < m.End() && m.Base < r[1] {
					t.Fatalf("region %#x overlaps %+v", r, m)
				}
			}
		}
	})
}
