package elf

import "testing"

// FuzzParse checks that Parse never panics and that whatever it accepts
// keeps the promises a loader relies on.
func FuzzParse(f *testing.F) {
	// Small seeds: the fuzzer mutates and minimizes them quickly.
	f.Add(compactExe())
	f.Add(exe(0xFFFF_FFFF_FFFF_FF00, 0x200,
		prog{ptLoad, FlagR | FlagX, 0x100, 0xFFFF_FFFF_FFFF_FF00, 0x100, 0x100, 0x100},
		prog{ptTLS, FlagR, 0x100, 0, 0x10, 0x20, 8}))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			return
		}
		entryOK := false
		for _, s := range file.Segments {
			if s.FileSize > s.MemSize || uint64(len(s.Data)) != s.FileSize || s.Offset+s.FileSize > uint64(len(data)) {
				t.Fatalf("segment %+v breaks the file bounds", s)
			}
			if !canonicalRange(s.VAddr, s.MemSize) {
				t.Fatalf("segment %+v is not canonical", s)
			}
			entryOK = entryOK || (s.containsFileBacked(file.Entry) && s.Flags&FlagX != 0)
		}
		if !entryOK {
			t.Fatalf("entry 0x%x accepted outside an executable segment", file.Entry)
		}
		if file.checkOverlap() != nil {
			t.Fatalf("overlapping segments accepted")
		}
	})
}

// compactExe is goLike with 256-byte pages: the same shape in 1 KiB.
func compactExe() []byte {
	return exe(0x400110, 0x400,
		prog{ptLoad, FlagR | FlagX, 0, 0x400000, 0x200, 0x200, 0x100},
		prog{ptLoad, FlagR, 0x200, 0x400200, 0x100, 0x100, 0x100},
		prog{ptLoad, FlagR | FlagW, 0x300, 0x400300, 0x80, 0x500, 0x100},
		prog{4, FlagR, 0x3F0, 0, 0x10, 0x10, 1}, // PT_NOTE: one bit from PT_INTERP
		prog{ptGNUStack, FlagR | FlagW, 0, 0, 0, 0, 8},
	)
}
