package addrspace

import (
	"encoding/binary"
	"fmt"

	"multikernel/cpudriver/elf"
	"multikernel/cpudriver/memory"
	"multikernel/cpudriver/pagetable"
	"multikernel/cpudriver/ring0"
	"multikernel/cpudriver/vmas"
)

// Auxiliary vector entries (System V AMD64 ABI, 3.4.3).
const (
	atNull        = 0
	atPhdr        = 3
	atPhent       = 4
	atPhnum       = 5
	atPagesz      = 6
	atEntry       = 9
	atUID         = 11
	atEUID        = 12
	atGID         = 13
	atEGID        = 14
	atHWCap       = 16
	atRandom      = 25
	atExecfn      = 31
	atSysinfoEhdr = 33 // the vDSO
)

// Load maps the segments of f into s: each PT_LOAD becomes an area with
// the segment's protection, its file bytes copied into fresh pages (the
// rest of its memory is demand-zero), except that the whole pages of a
// read-only segment of a boot image are mapped from the image itself
// (AddBootImage). It returns the end of the highest segment (where the
// heap could start).
func (s *Space) Load(f *elf.File) (uint64, error) {
	var top uint64
	for _, seg := range f.Segments {
		start := seg.VAddr &^ (PageSize - 1)
		end := (seg.VAddr + seg.MemSize + PageSize - 1) &^ (PageSize - 1)
		if end > UserLimit || end <= start {
			return 0, fmt.Errorf("segment %#x+%#x is outside the user half", seg.VAddr, seg.MemSize)
		}
		prot := uint32(0)
		if seg.Flags&elf.FlagR != 0 {
			prot |= vmas.Read
		}
		if seg.Flags&elf.FlagW != 0 {
			prot |= vmas.Write
		}
		if seg.Flags&elf.FlagX != 0 {
			prot |= vmas.Exec
		}
		if !s.areas.Set(start, end, prot) {
			return 0, fmt.Errorf("too many segments")
		}
		dataPA, boot := bootPhys(seg.Data)
		boot = boot && prot&vmas.Write == 0
		// Copy the file bytes page by page into the process's own pages
		// (written through the direct map, so whatever the segment's
		// flags), or map a boot image's page.
		for va := start; va < end; va += PageSize {
			lo, hi := max(va, seg.VAddr), min(va+PageSize, seg.VAddr+uint64(len(seg.Data)))
			if lo >= hi {
				continue
			}
			pa := s.pte(va) & pagetable.AddrMask
			if shared, ok := sharedPage(seg.VAddr, uint64(len(seg.Data)), dataPA, va); boot && ok {
				if pa != 0 {
					return 0, fmt.Errorf("segment %#x+%#x overlaps another", seg.VAddr, seg.MemSize)
				}
				if s.mapPage(va, shared, pteFlags(prot)) != nil {
					return 0, fmt.Errorf("out of memory loading the program")
				}
				continue
			}
			if pa != 0 && isBootPage(pa) {
				return 0, fmt.Errorf("segment %#x+%#x overlaps another", seg.VAddr, seg.MemSize)
			}
			if pa == 0 {
				var err error
				if pa, err = s.allocPage(memory.AnyNode); err != nil || s.mapPage(va, pa, pteFlags(prot)) != nil {
					return 0, fmt.Errorf("out of memory loading the program")
				}
			}
			copy(ring0.PhysBytes(pa+(lo-va), int(hi-lo)), seg.Data[lo-seg.VAddr:hi-seg.VAddr])
		}
		top = max(top, end)
	}
	return top, nil
}

// StartStack reserves the main thread's stack and writes what Linux gives
// a new process at its top: argc, argv, NULL, envp, NULL, auxv, with the
// strings and 16 random bytes above. It returns the initial RSP.
func (s *Space) StartStack(f *elf.File, argv, envp []string, random [16]byte) (uint64, error) {
	if !s.areas.Set(StackTop-StackSize, StackTop, vmas.Read|vmas.Write) {
		return 0, fmt.Errorf("no room for the stack")
	}
	// Strings and random bytes, from the top down.
	sp := uint64(StackTop)
	put := func(b []byte) (uint64, error) {
		sp -= uint64(len(b))
		return sp, s.CopyOut(sp, b)
	}
	var ptrs []uint64
	for _, a := range append(append([]string{}, argv...), envp...) {
		p, err := put(append([]byte(a), 0))
		if err != nil {
			return 0, err
		}
		ptrs = append(ptrs, p)
	}
	rnd, err := put(random[:])
	if err != nil {
		return 0, err
	}
	phdr := uint64(0)
	for _, seg := range f.Segments {
		if f.PhdrOffset >= seg.Offset && f.PhdrOffset < seg.Offset+seg.FileSize {
			phdr = seg.VAddr + (f.PhdrOffset - seg.Offset)
		}
	}
	_, _, _, hw := ring0.CPUID(1, 0)
	words := []uint64{uint64(len(argv))}
	words = append(words, ptrs[:len(argv)]...)
	words = append(words, 0)
	words = append(words, ptrs[len(argv):]...)
	words = append(words, 0,
		atPhdr, phdr, atPhent, 56, atPhnum, uint64(f.PhdrCount), atPagesz, PageSize,
		atEntry, f.Entry, atUID, 0, atEUID, 0, atGID, 0, atEGID, 0,
		atHWCap, uint64(hw), atRandom, rnd, atExecfn, ptrs[0])
	if ehdr := s.mapVDSO(); ehdr != 0 {
		words = append(words, atSysinfoEhdr, ehdr)
	}
	words = append(words, atNull, 0)
	sp = (sp - uint64(len(words))*8) &^ 15
	b := make([]byte, len(words)*8)
	for i, w := range words {
		binary.LittleEndian.PutUint64(b[i*8:], w)
	}
	return sp, s.CopyOut(sp, b)
}
