package multiboot

import (
	"encoding/binary"
	"fmt"
)

// BootloaderMagic is the value a Multiboot v1 boot loader leaves in EAX
// when it enters the kernel (section 3.2); EBX then holds the physical
// address of the boot information structure.
const BootloaderMagic = 0x2BADB002

// Flags says which fields of the boot information are valid (section 3.3).
type Flags uint32

// The flag bits (section 3.3).
const (
	FlagMem         Flags = 1 << 0  // mem_lower and mem_upper
	FlagBootDevice  Flags = 1 << 1  // boot_device
	FlagCmdline     Flags = 1 << 2  // cmdline
	FlagModules     Flags = 1 << 3  // mods_count and mods_addr
	FlagAoutSyms    Flags = 1 << 4  // a.out symbol table
	FlagELFSections Flags = 1 << 5  // ELF section header table
	FlagMemoryMap   Flags = 1 << 6  // mmap_length and mmap_addr
	FlagDrives      Flags = 1 << 7  // drives_length and drives_addr
	FlagConfigTable Flags = 1 << 8  // config_table
	FlagLoaderName  Flags = 1 << 9  // boot_loader_name
	FlagAPMTable    Flags = 1 << 10 // apm_table
	FlagVBE         Flags = 1 << 11 // vbe_* fields
	FlagFramebuffer Flags = 1 << 12 // framebuffer_* fields
)

// Offsets of the fields of the boot information structure (section 3.3).
const (
	offFlags      = 0
	offMemLower   = 4
	offMemUpper   = 8
	offBootDevice = 12
	offCmdline    = 16
	offModsCount  = 20
	offModsAddr   = 24
	offMmapLength = 44
	offMmapAddr   = 48
	offLoaderName = 64
	infoLen       = 88 // up to and including the VBE fields
)

// Caps on what Parse reads.
const (
	MaxCmdline    = 4096 // bytes of command line, NUL excluded
	maxLoaderName = 256  // bytes of boot loader name, NUL excluded
)

// Info is the decoded boot information. Fields whose flag is clear, or that
// Parse had to drop, are zero; Problems says which were dropped and why.
type Info struct {
	Addr  uint64 // physical address of the structure
	Flags Flags  // as the boot loader set them

	// MemLower and MemUpper are the amounts of lower memory (from 0) and
	// upper memory (from 1 MiB, up to the first hole) in KiB.
	MemLower, MemUpper uint32
	BootDevice         uint32 // BIOS drive and partitions, as in section 3.3
	Cmdline            string // the kernel command line
	Modules            []Module
	MemoryMap          []MemoryRegion
	LoaderName         string // e.g. "GRUB 2.06" or "qemu"

	// Problems lists each defect Parse worked around, in the order found.
	Problems []error
}

// Parse reads the boot information structure at addr (the value of EBX at
// kernel entry). It fails only when the structure's fixed part cannot be
// read; everything else goes to Info.Problems.
func Parse(m Memory, addr uint64) (*Info, error) {
	b, err := read(m, addr, infoLen)
	if err != nil {
		return nil, fmt.Errorf("multiboot: cannot read the boot information at 0x%x: %v", addr, err)
	}
	le := binary.LittleEndian
	in := &Info{Addr: addr, Flags: Flags(le.Uint32(b[offFlags:]))}
	if in.Flags&FlagMem != 0 {
		in.MemLower, in.MemUpper = le.Uint32(b[offMemLower:]), le.Uint32(b[offMemUpper:])
	}
	if in.Flags&FlagBootDevice != 0 {
		in.BootDevice = le.Uint32(b[offBootDevice:])
	}
	if in.Flags&FlagCmdline != 0 {
		in.Cmdline = in.readString(m, "command line", le.Uint32(b[offCmdline:]), MaxCmdline)
	}
	if in.Flags&FlagModules != 0 {
		in.Modules = in.readModules(m, le.Uint32(b[offModsCount:]), le.Uint32(b[offModsAddr:]))
	}
	if in.Flags&FlagMemoryMap != 0 {
		in.MemoryMap = in.readMemoryMap(m, le.Uint32(b[offMmapLength:]), le.Uint32(b[offMmapAddr:]))
	}
	if in.Flags&FlagLoaderName != 0 {
		in.LoaderName = in.readString(m, "boot loader name", le.Uint32(b[offLoaderName:]), maxLoaderName)
	}
	return in, nil
}

// problem records a defect.
func (in *Info) problem(format string, args ...any) {
	in.Problems = append(in.Problems, fmt.Errorf("multiboot: "+format, args...))
}

// readString reads a NUL-terminated string field, recording a problem and
// returning "" if it cannot.
func (in *Info) readString(m Memory, what string, addr uint32, max int) string {
	s, err := readCString(m, uint64(addr), max)
	if err != nil {
		in.problem("%s dropped: %v", what, err)
	}
	return s
}
