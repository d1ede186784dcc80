package vdso

import (
	"encoding/binary"
	"fmt"
)

// Addresses in a program's address space: the clock data page, then the
// vDSO's page. They sit right below the main thread's stack reservation
// (cpudriver/addrspace: StackTop - StackSize = 0x7ffff77ff000).
const (
	DataVA = 0x7ffff77fd000
	CodeVA = DataVA + PageSize
	// PageSize is the size of each page.
	PageSize = 4096
)

// Offsets and values of the clock data page (see the package doc).
const (
	OffSeq   = 0
	OffBase  = 8
	OffMult  = 16
	OffEpoch = 24
	OffMode  = 32
	ModeTSC  = 1
)

// Symbol and version Go's runtime looks up (runtime/vdso_linux_amd64.go).
const (
	ClockGettime = "__vdso_clock_gettime"
	Version      = "LINUX_2.6"
)

// clockGettime is the code of __vdso_clock_gettime(clock, ts) (System V
// ABI: clock in EDI, ts in RSI; it clobbers only RAX, RCX, RDX, R8, R9
// and R11), assembled by GNU as from the listing beside each line; the
// eight bytes at dataAt are the movabs immediate, DataVA.
var clockGettime = []byte{
	0x45, 0x31, 0xdb, //            xor r11d, r11d          (r11: add the epoch)
	0x83, 0xff, 0x01, 0x74, 0x26, // cmp edi, 1; je tsc     (MONOTONIC)
	0x83, 0xff, 0x04, 0x74, 0x21, // cmp edi, 4; je tsc     (MONOTONIC_RAW)
	0x83, 0xff, 0x07, 0x74, 0x1c, // cmp edi, 7; je tsc     (BOOTTIME)
	0x41, 0xbb, 0x01, 0x00, 0x00, 0x00, // mov r11d, 1
	0x85, 0xff, 0x74, 0x12, //      test edi, edi; je tsc   (REALTIME)
	0x83, 0xff, 0x08, 0x74, 0x0d, // cmp edi, 8; je tsc     (REALTIME_ALARM)
	0x83, 0xff, 0x0b, 0x74, 0x08, // cmp edi, 11; je tsc    (TAI)
	// sys:
	0xb8, 0xe4, 0x00, 0x00, 0x00, // mov eax, 228           (clock_gettime)
	0x0f, 0x05, //                  syscall
	0xc3, //                        ret
	// tsc:
	0x49, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, // movabs r8, DataVA
	// retry:
	0x45, 0x8b, 0x08, //            mov r9d, [r8]           (seq)
	0x41, 0xf6, 0xc1, 0x01, //      test r9b, 1
	0x75, 0xf7, //                  jnz retry               (being written)
	0x41, 0x83, 0x78, 0x20, 0x01, // cmp dword [r8+32], 1   (mode)
	0x75, 0xde, //                  jne sys
	0x0f, 0x31, //                  rdtsc
	0x48, 0xc1, 0xe2, 0x20, //      shl rdx, 32
	0x48, 0x09, 0xd0, //            or rax, rdx
	0x49, 0x2b, 0x40, 0x08, //      sub rax, [r8+8]         (base)
	0x49, 0xf7, 0x60, 0x10, //      mul qword [r8+16]       (mult)
	0x48, 0x0f, 0xac, 0xd0, 0x20, // shrd rax, rdx, 32
	0x45, 0x85, 0xdb, //            test r11d, r11d
	0x74, 0x04, //                  jz mono
	0x49, 0x03, 0x40, 0x18, //      add rax, [r8+24]        (epoch)
	// mono:
	0x45, 0x3b, 0x08, //            cmp r9d, [r8]           (seq again)
	0x75, 0xcc, //                  jne retry
	0x48, 0xc7, 0xc1, 0x00, 0xca, 0x9a, 0x3b, // mov rcx, 1000000000
	0x31, 0xd2, //                  xor edx, edx
	0x48, 0xf7, 0xf1, //            div rcx
	0x48, 0x89, 0x06, //            mov [rsi], rax          (tv_sec)
	0x48, 0x89, 0x56, 0x08, //      mov [rsi+8], rdx        (tv_nsec)
	0x31, 0xc0, //                  xor eax, eax
	0xc3, //                        ret
}

// dataAt is where DataVA goes in clockGettime.
const dataAt = 0x30

// Layout of the image (offsets from its start, which is its address 0).
const (
	ehdrSize  = 64
	phdrAt    = ehdrSize
	phdrSize  = 56
	dynsymAt  = 0x100
	symSize   = 24
	dynstrAt  = 0x140
	hashAt    = 0x180
	versymAt  = 0x1a0
	verdefAt  = 0x1b0
	dynamicAt = 0x200
	textAt    = 0x300
)

// ELF constants (System V gABI; symbol versioning from the LSB).
const (
	etDyn        = 3
	emX86_64     = 62
	ptLoad       = 1
	ptDynamic    = 2
	pfX          = 1
	pfR          = 4
	dtNull       = 0
	dtHash       = 4
	dtStrtab     = 5
	dtSymtab     = 6
	dtStrsz      = 10
	dtSyment     = 11
	dtVersym     = 0x6ffffff0
	dtVerdef     = 0x6ffffffc
	dtVerdefnum  = 0x6ffffffd
	stbGlobal    = 1
	sttFunc      = 2
	verFlagBase  = 1
	verdefSize   = 20
	verdauxSize  = 8
	dynEntrySize = 16
)

// ElfHash is the System V ABI's symbol hash (gABI, "Hash Table").
func ElfHash(name string) uint32 {
	var h uint32
	for i := 0; i < len(name); i++ {
		h = h<<4 + uint32(name[i])
		if g := h & 0xf0000000; g != 0 {
			h ^= g >> 24
		}
		h &^= 0xf0000000
	}
	return h
}

// Image returns the vDSO: a page holding an ELF64 shared object whose
// __vdso_clock_gettime reads the clock data page at dataVA.
func Image(dataVA uint64) []byte {
	b := make([]byte, PageSize)
	le := binary.LittleEndian
	// The strings: "", the symbol, the file's version name, the version.
	strs := "\x00" + ClockGettime + "\x00LINUX\x00" + Version + "\x00"
	symName, baseName, verName := uint32(1), uint32(1+len(ClockGettime)+1), uint32(1+len(ClockGettime)+1+len("LINUX")+1)
	copy(b[dynstrAt:], strs)
	if dynstrAt+len(strs) > hashAt || textAt+len(clockGettime) > PageSize {
		panic(fmt.Sprintf("vdso: layout overflows (%d bytes of strings)", len(strs)))
	}

	// ELF header (gABI, "ELF Header").
	copy(b, "\x7fELF")
	b[4], b[5], b[6] = 2, 1, 1 // ELFCLASS64, ELFDATA2LSB, EV_CURRENT
	le.PutUint16(b[16:], etDyn)
	le.PutUint16(b[18:], emX86_64)
	le.PutUint32(b[20:], 1)
	le.PutUint64(b[32:], phdrAt) // e_phoff
	le.PutUint16(b[52:], ehdrSize)
	le.PutUint16(b[54:], phdrSize)
	le.PutUint16(b[56:], 2) // e_phnum
	le.PutUint16(b[58:], 64)

	// Program headers: the page, and the dynamic section in it.
	ph := func(i int, typ, flags uint32, off, size, align uint64) {
		p := b[phdrAt+i*phdrSize:]
		le.PutUint32(p[0:], typ)
		le.PutUint32(p[4:], flags)
		le.PutUint64(p[8:], off)   // p_offset
		le.PutUint64(p[16:], off)  // p_vaddr
		le.PutUint64(p[24:], off)  // p_paddr
		le.PutUint64(p[32:], size) // p_filesz
		le.PutUint64(p[40:], size) // p_memsz
		le.PutUint64(p[48:], align)
	}
	ph(0, ptLoad, pfR|pfX, 0, PageSize, PageSize)
	ph(1, ptDynamic, pfR, dynamicAt, 9*dynEntrySize, 8)

	// Symbols: the null symbol, then __vdso_clock_gettime.
	s := b[dynsymAt+symSize:]
	le.PutUint32(s[0:], symName)
	s[4] = stbGlobal<<4 | sttFunc
	le.PutUint16(s[6:], 1) // a section index other than SHN_UNDEF
	le.PutUint64(s[8:], textAt)
	le.PutUint64(s[16:], uint64(len(clockGettime)))

	// Hash table: one bucket, whose chain holds the symbol.
	le.PutUint32(b[hashAt:], 1)   // nbucket
	le.PutUint32(b[hashAt+4:], 2) // nchain: one per symbol
	le.PutUint32(b[hashAt+8:], 1) // bucket 0: symbol 1
	// chain[0] and chain[1] are 0: end of chain.

	// Versions: the symbol has version index 2, LINUX_2.6.
	le.PutUint16(b[versymAt+2:], 2)
	vd := func(at int, flags, ndx uint16, name string, nameOff uint32, next uint32) {
		v := b[at:]
		le.PutUint16(v[0:], 1) // vd_version
		le.PutUint16(v[2:], flags)
		le.PutUint16(v[4:], ndx)
		le.PutUint16(v[6:], 1) // vd_cnt
		le.PutUint32(v[8:], ElfHash(name))
		le.PutUint32(v[12:], verdefSize) // vd_aux: right after
		le.PutUint32(v[16:], next)
		le.PutUint32(v[verdefSize:], nameOff) // vda_name; vda_next 0
	}
	vd(verdefAt, verFlagBase, 1, "LINUX", baseName, verdefSize+verdauxSize)
	vd(verdefAt+verdefSize+verdauxSize, 0, 2, Version, verName, 0)

	// The dynamic section.
	dyn := [][2]uint64{
		{dtHash, hashAt}, {dtStrtab, dynstrAt}, {dtSymtab, dynsymAt}, {dtStrsz, uint64(len(strs))},
		{dtSyment, symSize}, {dtVersym, versymAt}, {dtVerdef, verdefAt}, {dtVerdefnum, 2}, {dtNull, 0},
	}
	for i, d := range dyn {
		le.PutUint64(b[dynamicAt+i*dynEntrySize:], d[0])
		le.PutUint64(b[dynamicAt+i*dynEntrySize+8:], d[1])
	}

	// The code, with the data page's address.
	copy(b[textAt:], clockGettime)
	le.PutUint64(b[textAt+dataAt:], dataVA)
	return b
}
