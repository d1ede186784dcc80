package multiboot

import "encoding/binary"

// This file lays out synthetic boot information the way a boot loader
// does (section 3.3), for the tests to parse and corrupt.

var le = binary.LittleEndian

// bootInfo describes a boot information structure to build.
type bootInfo struct {
	flags      Flags
	memLower   uint32
	memUpper   uint32
	cmdline    string
	modules    []Module // String is written to memory
	mmap       []MemoryRegion
	mmapSize   uint32 // entry size field; 0 means 20
	loaderName string
}

// Where build puts things. The info structure comes first, everything
// else follows in one image.
const infoAddr = 0x9000

// build returns the image mapped at infoAddr. Pointers to strings are laid
// out after the fixed part; flags are used as given.
func (bi bootInfo) build() []byte {
	img := make([]byte, 128)
	le.PutUint32(img[offFlags:], uint32(bi.flags))
	le.PutUint32(img[offMemLower:], bi.memLower)
	le.PutUint32(img[offMemUpper:], bi.memUpper)
	str := func(s string) uint32 {
		a := infoAddr + uint32(len(img))
		img = append(img, s...)
		img = append(img, 0)
		return a
	}
	cmdline, name := str(bi.cmdline), str(bi.loaderName) // str grows img: call it first
	le.PutUint32(img[offCmdline:], cmdline)
	le.PutUint32(img[offLoaderName:], name)
	var mods []byte
	for _, m := range bi.modules {
		s := uint32(0)
		if m.String != "" {
			s = str(m.String)
		}
		mods = le.AppendUint32(mods, uint32(m.Start))
		mods = le.AppendUint32(mods, uint32(m.End))
		mods = le.AppendUint32(mods, s)
		mods = le.AppendUint32(mods, 0)
	}
	le.PutUint32(img[offModsCount:], uint32(len(bi.modules)))
	le.PutUint32(img[offModsAddr:], infoAddr+uint32(len(img)))
	img = append(img, mods...)
	mm := mmapBytes(bi.mmap, bi.mmapSize)
	le.PutUint32(img[offMmapLength:], uint32(len(mm)))
	le.PutUint32(img[offMmapAddr:], infoAddr+uint32(len(img)))
	return append(img, mm...)
}

// mmapBytes encodes memory map entries with the given size field (0: 20).
func mmapBytes(rs []MemoryRegion, size uint32) []byte {
	if size == 0 {
		size = mmapMinSize
	}
	var b []byte
	for _, r := range rs {
		e := le.AppendUint32(nil, size)
		e = le.AppendUint64(e, r.Base)
		e = le.AppendUint64(e, r.Length)
		e = le.AppendUint32(e, uint32(r.Type))
		for len(e) < int(size)+4 {
			e = append(e, 0xEE)
		}
		b = append(b, e[:size+4]...)
	}
	return b
}

// mem maps the built image at infoAddr.
func (bi bootInfo) mem() *fakeMem {
	m := &fakeMem{}
	m.put(infoAddr, bi.build())
	return m
}

// qemuMap is the memory map SeaBIOS reports for a 4 GiB q35 machine.
var qemuMap = []MemoryRegion{
	{0, 0x9FC00, Available},
	{0x9FC00, 0x400, Reserved},
	{0xF0000, 0x10000, Reserved},
	{0x100000, 0x7FEE0000, Available},
	{0x7FFE0000, 0x20000, Reserved},
	{0xB0000000, 0x10000000, Reserved},
	{0xFED1C000, 0x4000, Reserved},
	{0xFEFFC000, 0x4000, Reserved},
	{0xFFFC0000, 0x40000, Reserved},
	{0x100000000, 0x80000000, Available},
}

// goodInfo is what QEMU passes our loader: all the fields we read.
func goodInfo() bootInfo {
	return bootInfo{
		flags:    FlagMem | FlagCmdline | FlagModules | FlagMemoryMap | FlagLoaderName,
		memLower: 639, memUpper: 2096000,
		cmdline: "cpudriver smp=16 poweroff",
		modules: []Module{
			{Start: 0x200000, End: 0x5A0123, String: "build/cpudriver"},
			{Start: 0x5A1000, End: 0x900000, String: "build/monitor arg"},
			{Start: 0x900000, End: 0x900000}, // empty, no string
		},
		mmap:       qemuMap,
		loaderName: "qemu",
	}
}
