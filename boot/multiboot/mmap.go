package multiboot

import (
	"encoding/binary"
	"fmt"
)

// MaxMemoryMapEntries is the most memory map entries Parse reads; BIOS maps
// have a few dozen at most.
const MaxMemoryMapEntries = 128

// Memory map entry layout (section 3.3): a 32-bit size that does not count
// itself, then base_addr (64 bits), length (64 bits) and type (32 bits).
// The size may be larger than 20 (ACPI 3.0 extended attributes follow);
// the next entry starts size+4 bytes further on.
const (
	mmapMinSize = 20
	mmapMaxSize = 256 // a sanity bound on one entry
	mmapMaxLen  = MaxMemoryMapEntries * (mmapMaxSize + 4)
)

// RegionType is the type of a memory map entry (section 3.3; the values
// are those of the BIOS E820 call, ACPI 6.5 section 15).
type RegionType uint32

// The region types section 3.3 names. Any other value is reserved memory.
const (
	Available       RegionType = 1 // usable RAM
	Reserved        RegionType = 2
	ACPIReclaimable RegionType = 3 // ACPI tables; usable once they are read
	NVS             RegionType = 4 // must be preserved across hibernation
	BadRAM          RegionType = 5 // defective RAM
)

// String names the type.
func (t RegionType) String() string {
	switch t {
	case Available:
		return "available"
	case Reserved:
		return "reserved"
	case ACPIReclaimable:
		return "ACPI reclaimable"
	case NVS:
		return "ACPI NVS"
	case BadRAM:
		return "bad RAM"
	}
	return fmt.Sprintf("type %d", uint32(t))
}

// MemoryRegion is one entry of the memory map: [Base, Base+Length).
type MemoryRegion struct {
	Base, Length uint64
	Type         RegionType
}

// End returns the address just past the region, or the largest uint64 if
// the region reaches the end of the address space.
func (r MemoryRegion) End() uint64 {
	if r.Base+r.Length < r.Base {
		return ^uint64(0)
	}
	return r.Base + r.Length
}

// readMemoryMap reads the memory map. The walk stops at the first entry
// whose size is out of bounds or which runs past mmap_length, keeping the
// entries before it; an entry whose range wraps around the address space is
// dropped.
func (in *Info) readMemoryMap(m Memory, length, addr uint32) []MemoryRegion {
	if length > mmapMaxLen {
		in.problem("memory map length %d exceeds %d; only the first %d bytes are read", length, mmapMaxLen, mmapMaxLen)
		length = mmapMaxLen
	}
	b, err := read(m, uint64(addr), int(length))
	if err != nil {
		in.problem("memory map at 0x%x dropped: %v", addr, err)
		return nil
	}
	le := binary.LittleEndian
	var regions []MemoryRegion
	for off := 0; off < len(b); {
		if len(regions) == MaxMemoryMapEntries {
			in.problem("memory map has more than %d entries; the rest are ignored", MaxMemoryMapEntries)
			break
		}
		if len(b)-off < 4 {
			in.problem("memory map: %d stray byte(s) at offset %d; ignored", len(b)-off, off)
			break
		}
		size := int(le.Uint32(b[off:]))
		if size < mmapMinSize || size > mmapMaxSize || size > len(b)-off-4 {
			in.problem("memory map entry at offset %d has size %d (room %d, want %d..%d); it and the rest are ignored",
				off, size, len(b)-off-4, mmapMinSize, mmapMaxSize)
			break
		}
		e := b[off+4:]
		r := MemoryRegion{Base: le.Uint64(e), Length: le.Uint64(e[8:]), Type: RegionType(le.Uint32(e[16:]))}
		if r.Base+r.Length < r.Base {
			in.problem("memory map entry at offset %d (0x%x+0x%x) wraps around the address space; dropped", off, r.Base, r.Length)
		} else {
			regions = append(regions, r)
		}
		off += 4 + size
	}
	return regions
}
