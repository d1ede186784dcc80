package elf

import "encoding/binary"

// This file builds small synthetic executables for the tests.

var le = binary.LittleEndian

// prog is one program header to build.
type prog struct {
	typ                              uint32
	flags                            Flags
	off, vaddr, filesz, memsz, align uint64
}

// exe lays out an ELF header, the program headers right after it, and
// size bytes of file in all (filled with a pattern).
func exe(entry uint64, size int, progs ...prog) []byte {
	b := make([]byte, size)
	for i := range b {
		b[i] = byte(i * 7)
	}
	copy(b, elfMagic[:])
	b[eiClass], b[eiData], b[eiVersion], b[eiOSABI] = elfClass64, elfData2LSB, evCurrent, osabiSysV
	le.PutUint16(b[offType:], etExec)
	le.PutUint16(b[offMachine:], emX86_64)
	le.PutUint32(b[offVersion:], evCurrent)
	le.PutUint64(b[offEntry:], entry)
	le.PutUint64(b[offPhoff:], ehdrLen)
	le.PutUint16(b[offEhsize:], ehdrLen)
	le.PutUint16(b[offPhentsize:], phdrLen)
	le.PutUint16(b[offPhnum:], uint16(len(progs)))
	for i, p := range progs {
		ph := b[ehdrLen+i*phdrLen:]
		le.PutUint32(ph, p.typ)
		le.PutUint32(ph[4:], uint32(p.flags))
		le.PutUint64(ph[8:], p.off)
		le.PutUint64(ph[16:], p.vaddr)
		le.PutUint64(ph[24:], p.vaddr)
		le.PutUint64(ph[32:], p.filesz)
		le.PutUint64(ph[40:], p.memsz)
		le.PutUint64(ph[48:], p.align)
	}
	return b
}

// goLike is laid out as the Go linker lays out a static binary: text,
// read-only data and data segments 4 KiB apart and a non-executable stack;
// it also has a TLS template, as a static C binary would.
func goLike() []byte {
	return exe(0x401100, 0x4000,
		prog{6, FlagR, 0x40, 0x400040, 0x150, 0x150, 0x1000}, // PT_PHDR, ignored
		prog{ptLoad, FlagR | FlagX, 0, 0x400000, 0x2000, 0x2000, 0x1000},
		prog{ptLoad, FlagR, 0x2000, 0x402000, 0x1000, 0x1000, 0x1000},
		prog{ptLoad, FlagR | FlagW, 0x3000, 0x403000, 0x800, 0x5000, 0x1000},
		prog{4, FlagR, 0xF9C, 0x400F9C, 0x64, 0x64, 4}, // PT_NOTE, ignored
		prog{ptGNUStack, FlagR | FlagW, 0, 0, 0, 0, 8},
		prog{ptTLS, FlagR, 0, 0, 0, 8, 8},
	)
}

// phdrAt returns the bytes of program header i of b.
func phdrAt(b []byte, i int) []byte { return b[ehdrLen+i*phdrLen:] }
