package elf

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// Program header types (System V ABI 4.1 chapter 5; AMD64 supplement for
// PT_GNU_STACK).
const (
	ptLoad     = 1
	ptDynamic  = 2
	ptInterp   = 3
	ptTLS      = 7
	ptGNUStack = 0x6474E551
)

// Flags are a segment's permissions (p_flags).
type Flags uint32

// The permission bits.
const (
	FlagX Flags = 1 << 0
	FlagW Flags = 1 << 1
	FlagR Flags = 1 << 2
)

// String writes the flags as ls does: "r-x", "rw-".
func (f Flags) String() string {
	var b strings.Builder
	for _, p := range []struct {
		bit Flags
		c   byte
	}{{FlagR, 'r'}, {FlagW, 'w'}, {FlagX, 'x'}} {
		if f&p.bit != 0 {
			b.WriteByte(p.c)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// Segment is a PT_LOAD segment (or the PT_TLS template): MemSize bytes at
// virtual address VAddr, of which the first FileSize come from the file at
// Offset and the rest are zero.
type Segment struct {
	VAddr    uint64
	Offset   uint64
	FileSize uint64
	MemSize  uint64
	Align    uint64 // 0 or a power of two
	Flags    Flags
	// Data is the file's FileSize bytes of the segment, a slice of the
	// input to Parse (not a copy).
	Data []byte
}

// End returns the virtual address just past the segment; 0 for a segment
// that ends at the top of the address space.
func (s Segment) End() uint64 { return s.VAddr + s.MemSize }

// containsFileBacked reports whether the file-backed part of s holds
// address a.
func (s Segment) containsFileBacked(a uint64) bool {
	return a >= s.VAddr && a-s.VAddr < s.FileSize
}

// phdr is one decoded program header.
type phdr struct {
	index int
	typ   uint32
	seg   Segment
}

// decodePhdr decodes program header i.
func decodePhdr(data []byte, h header, i int) phdr {
	le := binary.LittleEndian
	b := data[h.phoff+uint64(i)*phdrLen:]
	return phdr{index: i, typ: le.Uint32(b), seg: Segment{
		Flags:    Flags(le.Uint32(b[4:])),
		Offset:   le.Uint64(b[8:]),
		VAddr:    le.Uint64(b[16:]),
		FileSize: le.Uint64(b[32:]),
		MemSize:  le.Uint64(b[40:]),
		Align:    le.Uint64(b[48:]),
	}}
}

// errorf formats an error about program header p.
func (p phdr) errorf(format string, args ...any) error {
	return fmt.Errorf("elf: program header %d (type 0x%x): %s", p.index, p.typ, fmt.Sprintf(format, args...))
}

// checkSegment validates a PT_LOAD or PT_TLS segment against the file and
// the address space (System V ABI 4.1 chapter 5, "Program Header") and
// fills in its Data.
func (p *phdr) checkSegment(data []byte) error {
	s := &p.seg
	if s.FileSize > s.MemSize {
		return p.errorf("file size 0x%x exceeds memory size 0x%x", s.FileSize, s.MemSize)
	}
	if s.Offset > uint64(len(data)) || s.FileSize > uint64(len(data))-s.Offset {
		return p.errorf("file bytes 0x%x+0x%x run past the end of the %d-byte file", s.Offset, s.FileSize, len(data))
	}
	if s.Align&(s.Align-1) != 0 {
		return p.errorf("alignment 0x%x is not a power of two", s.Align)
	}
	if s.Align > 1 && s.VAddr%s.Align != s.Offset%s.Align {
		return p.errorf("address 0x%x and offset 0x%x differ modulo the alignment 0x%x", s.VAddr, s.Offset, s.Align)
	}
	if !canonicalRange(s.VAddr, s.MemSize) {
		return p.errorf("addresses 0x%x+0x%x are not all canonical", s.VAddr, s.MemSize)
	}
	s.Data = data[s.Offset : s.Offset+s.FileSize]
	return nil
}

// canonicalRange reports whether [a, a+n) lies entirely in one canonical
// half of the 48-bit x86-64 address space (Intel SDM Vol. 1, 3.3.7.1).
func canonicalRange(a, n uint64) bool {
	const lowTop, highBase = 1 << 47, 0xFFFF_8000_0000_0000
	end := a + n
	if end < a && end != 0 { // wraps; ending exactly at 2^64 is fine
		return false
	}
	if a < lowTop {
		return end <= lowTop && end >= a
	}
	return a >= highBase
}
