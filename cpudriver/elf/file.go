package elf

import (
	"bytes"
	"fmt"
	"sort"
)

// File is a validated static executable.
type File struct {
	Entry uint64 // the entry point, inside an executable segment
	// Segments are the PT_LOAD segments in program header order (which the
	// ABI requires to be ascending by address; Parse checks it). No two
	// overlap, but two may share a page, so a loader that maps whole pages
	// must combine their flags.
	Segments []Segment
	// TLS is the PT_TLS segment, the initial image of thread-local
	// storage; nil if there is none (Go binaries have none: the runtime
	// sets up its own thread-local slot with arch_prctl).
	TLS *Segment
	// StackFlags are the PT_GNU_STACK flags; HasStackFlags is false when
	// there is no such header (an executable stack, by tradition).
	StackFlags    Flags
	HasStackFlags bool
	PhdrOffset    uint64 // e_phoff, for the AT_PHDR auxiliary vector entry
	PhdrCount     int    // e_phnum, for AT_PHNUM
}

// Parse validates data as a static x86-64 executable and decodes it. Any
// defect is an error; errors for input that is not such an ELF file wrap
// ErrNotELF, and those for dynamically linked or position-independent
// executables wrap ErrUnsupported.
func Parse(data []byte) (*File, error) {
	h, err := decodeHeader(data)
	if err != nil {
		return nil, err
	}
	f := &File{Entry: h.entry, PhdrOffset: h.phoff, PhdrCount: h.phnum}
	for i := 0; i < h.phnum; i++ {
		if err := f.addPhdr(data, decodePhdr(data, h, i)); err != nil {
			return nil, err
		}
	}
	if len(f.Segments) == 0 {
		return nil, fmt.Errorf("elf: no PT_LOAD segments")
	}
	if err := f.checkOverlap(); err != nil {
		return nil, err
	}
	return f, f.checkEntry()
}

// addPhdr validates one program header and records what it describes.
func (f *File) addPhdr(data []byte, p phdr) error {
	switch p.typ {
	case ptLoad:
		if err := p.checkSegment(data); err != nil {
			return err
		}
		if n := len(f.Segments); n > 0 && p.seg.VAddr < f.Segments[n-1].VAddr {
			return p.errorf("PT_LOAD at 0x%x comes after one at 0x%x; the ABI requires ascending addresses", p.seg.VAddr, f.Segments[n-1].VAddr)
		}
		f.Segments = append(f.Segments, p.seg)
	case ptInterp:
		return fmt.Errorf("elf: dynamically linked executable (PT_INTERP %q); build with CGO_ENABLED=0: %w", interpName(data, p.seg), ErrUnsupported)
	case ptDynamic:
		return fmt.Errorf("elf: executable has a PT_DYNAMIC segment and needs relocation: %w", ErrUnsupported)
	case ptTLS:
		if f.TLS != nil {
			return p.errorf("second PT_TLS segment")
		}
		if err := p.checkSegment(data); err != nil {
			return err
		}
		f.TLS = &p.seg
	case ptGNUStack:
		f.StackFlags, f.HasStackFlags = p.seg.Flags, true
	}
	return nil
}

// interpName returns the interpreter path a PT_INTERP segment names, for
// the error message; "" if it lies outside the file.
func interpName(data []byte, s Segment) string {
	if s.Offset > uint64(len(data)) || s.FileSize > uint64(len(data))-s.Offset || s.FileSize > 256 {
		return ""
	}
	b := data[s.Offset : s.Offset+s.FileSize]
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// checkOverlap refuses PT_LOAD segments that share a byte of memory.
// Segments are compared by their last byte, so one that ends exactly at the
// top of the address space needs no special case.
func (f *File) checkOverlap() error {
	segs := append([]Segment(nil), f.Segments...)
	sort.Slice(segs, func(i, j int) bool { return segs[i].VAddr < segs[j].VAddr })
	var prev *Segment
	for i := range segs {
		s := &segs[i]
		if s.MemSize == 0 {
			continue
		}
		if prev != nil && s.VAddr <= prev.VAddr+(prev.MemSize-1) {
			return fmt.Errorf("elf: PT_LOAD segments 0x%x+0x%x and 0x%x+0x%x overlap", prev.VAddr, prev.MemSize, s.VAddr, s.MemSize)
		}
		prev = s
	}
	return nil
}

// checkEntry requires the entry point to lie in the file-backed part of an
// executable PT_LOAD segment.
func (f *File) checkEntry() error {
	for _, s := range f.Segments {
		if s.containsFileBacked(f.Entry) {
			if s.Flags&FlagX == 0 {
				return fmt.Errorf("elf: entry point 0x%x lies in a segment that is not executable (%s)", f.Entry, s.Flags)
			}
			return nil
		}
	}
	return fmt.Errorf("elf: entry point 0x%x lies outside every loaded segment", f.Entry)
}
