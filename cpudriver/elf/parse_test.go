package elf

import (
	"errors"
	"strings"
	"testing"
)

func TestParseGoLike(t *testing.T) {
	f, err := Parse(goLike())
	if err != nil {
		t.Fatal(err)
	}
	if f.Entry != 0x401100 || len(f.Segments) != 3 || f.PhdrOffset != 64 || f.PhdrCount != 7 {
		t.Fatalf("file = %+v", f)
	}
	var flags []string
	for _, s := range f.Segments {
		flags = append(flags, s.Flags.String())
	}
	if got := strings.Join(flags, " "); got != "r-x r-- rw-" {
		t.Errorf("flags = %s", got)
	}
	data := f.Segments[2]
	if data.FileSize != 0x800 || data.MemSize != 0x5000 || len(data.Data) != 0x800 || data.Data[1] != byte((0x3001*7)&0xFF) || data.End() != 0x408000 {
		t.Errorf("data segment = %+v", data)
	}
	if f.TLS == nil || f.TLS.MemSize != 8 || !f.HasStackFlags || f.StackFlags != FlagR|FlagW {
		t.Errorf("TLS %+v, stack flags %v %v", f.TLS, f.HasStackFlags, f.StackFlags)
	}
}

// edits of goLike's bytes and the error each must produce.
var badInputs = []struct {
	name string
	edit func(b []byte) []byte
	want string
	is   error
}{
	{"short", func(b []byte) []byte { return b[:63] }, "63 bytes is too short", ErrNotELF},
	{"magic", func(b []byte) []byte { b[1] = 'e'; return b }, "bad magic 7f 65 4c 46", ErrNotELF},
	{"32-bit", func(b []byte) []byte { b[eiClass] = 1; return b }, "class 1, want 2", ErrNotELF},
	{"big-endian", func(b []byte) []byte { b[eiData] = 2; return b }, "data encoding 2", ErrNotELF},
	{"ident version", func(b []byte) []byte { b[eiVersion] = 0; return b }, "identification version 0", ErrNotELF},
	{"FreeBSD", func(b []byte) []byte { b[eiOSABI] = 9; return b }, "OS ABI 9", ErrNotELF},
	{"relocatable", func(b []byte) []byte { b[offType] = 1; return b }, "file type 1, want 2", ErrNotELF},
	{"PIE", func(b []byte) []byte { b[offType] = etDyn; return b }, "position-independent executable (ET_DYN)", ErrUnsupported},
	{"arm64", func(b []byte) []byte { b[offMachine] = 183; return b }, "machine 183, want 62", ErrNotELF},
	{"version", func(b []byte) []byte { b[offVersion] = 2; return b }, "version 2, want 1", nil},
	{"header size", func(b []byte) []byte { b[offEhsize] = 52; return b }, "header size 52", nil},
	{"phentsize", func(b []byte) []byte { b[offPhentsize] = 32; return b }, "program header size 32", nil},
	{"no phdrs", func(b []byte) []byte { b[offPhnum] = 0; return b }, "no program headers", nil},
	{"PN_XNUM", func(b []byte) []byte { le.PutUint16(b[offPhnum:], 0xFFFF); return b }, "65535 program headers", nil},
	{"phdr table past end", func(b []byte) []byte { le.PutUint64(b[offPhoff:], uint64(len(b))-100); return b }, "program header table at offset 0x3f9c (392 bytes) runs past the end", nil},
	{"phoff huge", func(b []byte) []byte { le.PutUint64(b[offPhoff:], ^uint64(0)-10); return b }, "runs past the end", nil},
	{"filesz > memsz", func(b []byte) []byte { le.PutUint64(phdrAt(b, 2)[40:], 0x800); return b }, "program header 2 (type 0x1): file size 0x1000 exceeds memory size 0x800", nil},
	{"file bytes past end", func(b []byte) []byte { le.PutUint64(phdrAt(b, 3)[8:], 0x3900); return b }, "file bytes 0x3900+0x800 run past the end of the 16384-byte file", nil},
	{"offset overflow", func(b []byte) []byte { le.PutUint64(phdrAt(b, 3)[8:], ^uint64(0)); return b }, "run past the end", nil},
	{"alignment not power of two", func(b []byte) []byte { le.PutUint64(phdrAt(b, 1)[48:], 0x1800); return b }, "alignment 0x1800 is not a power of two", nil},
	{"misaligned", func(b []byte) []byte { le.PutUint64(phdrAt(b, 2)[16:], 0x402010); return b }, "address 0x402010 and offset 0x2000 differ modulo the alignment 0x1000", nil},
	{"non-canonical", func(b []byte) []byte { le.PutUint64(phdrAt(b, 3)[16:], 0x7FFF_FFFF_F000); return b }, "addresses 0x7ffffffff000+0x5000 are not all canonical", nil},
	{"wraps", func(b []byte) []byte {
		le.PutUint64(phdrAt(b, 3)[16:], ^uint64(0)-0xFFF)
		le.PutUint64(phdrAt(b, 3)[8:], 0)
		le.PutUint64(phdrAt(b, 3)[48:], 0)
		return b
	}, "not all canonical", nil},
	{"overlap", func(b []byte) []byte {
		le.PutUint64(phdrAt(b, 3)[16:], 0x402800)
		le.PutUint64(phdrAt(b, 3)[48:], 0x800)
		return b
	}, "PT_LOAD segments 0x402000+0x1000 and 0x402800+0x5000 overlap", nil},
	{"descending", func(b []byte) []byte { le.PutUint64(phdrAt(b, 3)[16:], 0x3000); return b }, "the ABI requires ascending addresses", nil},
	{"interpreter", func(b []byte) []byte {
		ph := phdrAt(b, 4)
		le.PutUint32(ph, ptInterp)
		copy(b[0xF9C:], "/lib64/ld-linux-x86-64.so.2\x00")
		return b
	}, `dynamically linked executable (PT_INTERP "/lib64/ld-linux-x86-64.so.2"); build with CGO_ENABLED=0`, ErrUnsupported},
	{"dynamic", func(b []byte) []byte { le.PutUint32(phdrAt(b, 4), ptDynamic); return b }, "PT_DYNAMIC", ErrUnsupported},
	{"two TLS", func(b []byte) []byte { le.PutUint32(phdrAt(b, 4), ptTLS); return b }, "program header 6 (type 0x7): second PT_TLS segment", nil},
	{"bad TLS", func(b []byte) []byte { le.PutUint64(phdrAt(b, 6)[32:], 16); return b }, "file size 0x10 exceeds memory size 0x8", nil},
	{"no PT_LOAD", func(b []byte) []byte {
		for i := 1; i <= 3; i++ {
			le.PutUint32(phdrAt(b, i), 4)
		}
		return b
	}, "no PT_LOAD segments", nil},
	{"entry in data", func(b []byte) []byte { le.PutUint64(b[offEntry:], 0x403010); return b }, "entry point 0x403010 lies in a segment that is not executable (rw-)", nil},
	{"entry in bss", func(b []byte) []byte { le.PutUint64(b[offEntry:], 0x404000); return b }, "entry point 0x404000 lies outside every loaded segment", nil},
	{"entry nowhere", func(b []byte) []byte { le.PutUint64(b[offEntry:], 0); return b }, "lies outside every loaded segment", nil},
}

func TestParseBadInput(t *testing.T) {
	for _, c := range badInputs {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.edit(goLike()))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one containing %q", err, c.want)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("err = %v does not wrap %v", err, c.is)
			}
		})
	}
}

func TestParseEdgeCases(t *testing.T) {
	// A higher-half kernel ending exactly at the top of the address space,
	// a zero-size segment, alignment 0 and Linux's OS ABI are all fine.
	b := exe(0xFFFF_FFFF_FFFF_F000, 0x2000,
		prog{ptLoad, FlagR | FlagX, 0x1000, 0xFFFF_FFFF_FFFF_F000, 0x1000, 0x1000, 0x1000},
		prog{ptLoad, FlagR, 0x1000, 0xFFFF_FFFF_FFFF_F000, 0, 0, 0},
	)
	b[eiOSABI] = osabiLinux
	f, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if f.Segments[0].End() != 0 || f.TLS != nil || f.HasStackFlags {
		t.Errorf("file = %+v", f)
	}
}

func TestParseCompact(t *testing.T) {
	if _, err := Parse(compactExe()); err != nil {
		t.Fatalf("the fuzz seed does not parse: %v", err)
	}
}
