package multiboot

import "testing"

// FuzzParse maps the input at infoAddr and parses it as boot information:
// the fixed part and every structure it points to (inside the input). Parse
// must never panic, and what it returns must respect its caps.
func FuzzParse(f *testing.F) {
	f.Add(goodInfo().build())
	bi := goodInfo()
	bi.mmapSize = 24
	f.Add(bi.build())
	bi = goodInfo()
	bi.flags = ^Flags(0)
	f.Add(bi.build())
	f.Fuzz(func(t *testing.T, img []byte) {
		m := &fakeMem{}
		m.put(infoAddr, img)
		in, err := Parse(m, infoAddr)
		if err != nil {
			return
		}
		if len(in.Cmdline) > MaxCmdline || len(in.Modules) > MaxModules || len(in.MemoryMap) > MaxMemoryMapEntries {
			t.Fatalf("caps exceeded: %d, %d, %d", len(in.Cmdline), len(in.Modules), len(in.MemoryMap))
		}
		for _, mod := range in.Modules {
			if mod.End < mod.Start {
				t.Fatalf("module %+v ends before it starts", mod)
			}
		}
		checkShape(t, UsableRanges(in.MemoryMap, append(in.ModuleRanges(), Range{0, LowMemoryEnd})...))
	})
}

// FuzzUsableRanges decodes the input as a memory map and reserved ranges
// and checks the shape of the result, including near the top of the
// address space.
func FuzzUsableRanges(f *testing.F) {
	f.Add(mmapBytes(qemuMap, 0), uint64(0x200000), uint64(0x5A0123))
	f.Add(mmapBytes([]MemoryRegion{{^uint64(0) - 0x1FFF, 0x2000, Available}}, 0), uint64(1), ^uint64(0))
	f.Fuzz(func(t *testing.T, mm []byte, rs, re uint64) {
		var mmap []MemoryRegion
		for len(mm) >= 24 {
			mmap = append(mmap, MemoryRegion{le.Uint64(mm[4:]), le.Uint64(mm[12:]), RegionType(le.Uint32(mm[20:]))})
			mm = mm[24:]
		}
		checkShape(t, UsableRanges(mmap, Range{rs, re}))
	})
}
