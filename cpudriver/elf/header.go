package elf

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ELF header layout (ELF-64 Object File Format, section 3).
const (
	ehdrLen      = 64
	phdrLen      = 56
	offType      = 16
	offMachine   = 18
	offVersion   = 20
	offEntry     = 24
	offPhoff     = 32
	offEhsize    = 52
	offPhentsize = 54
	offPhnum     = 56
)

// Identification bytes (System V ABI 4.1, "ELF Identification").
const (
	eiClass      = 4
	eiData       = 5
	eiVersion    = 6
	eiOSABI      = 7
	elfClass64   = 2
	elfData2LSB  = 1
	evCurrent    = 1
	osabiSysV    = 0
	osabiLinux   = 3 // ELFOSABI_GNU
	etExec       = 2
	etDyn        = 3
	emX86_64     = 62
	pnXNum       = 0xFFFF // e_phnum escape: the real count is elsewhere
	maxPhdrCount = 256    // Go binaries have about 7
)

var elfMagic = [4]byte{0x7F, 'E', 'L', 'F'}

// ErrNotELF is wrapped by the error for input that does not start with an
// ELF64 little-endian x86-64 header.
var ErrNotELF = errors.New("not an ELF64 little-endian x86-64 executable")

// ErrUnsupported is wrapped by the errors for well-formed executables of a
// kind the system cannot run: dynamically linked (PT_INTERP) or
// position-independent (ET_DYN) ones.
var ErrUnsupported = errors.New("unsupported executable")

// header is the part of the ELF header Parse uses.
type header struct {
	entry, phoff uint64
	phnum        int
}

// decodeHeader checks the identification and ELF header.
func decodeHeader(data []byte) (header, error) {
	if len(data) < ehdrLen {
		return header{}, fmt.Errorf("elf: %d bytes is too short for an ELF header: %w", len(data), ErrNotELF)
	}
	if [4]byte(data) != elfMagic {
		return header{}, fmt.Errorf("elf: bad magic % x: %w", data[:4], ErrNotELF)
	}
	id := data[:16]
	switch {
	case id[eiClass] != elfClass64:
		return header{}, fmt.Errorf("elf: class %d, want 2 (64-bit): %w", id[eiClass], ErrNotELF)
	case id[eiData] != elfData2LSB:
		return header{}, fmt.Errorf("elf: data encoding %d, want 1 (little-endian): %w", id[eiData], ErrNotELF)
	case id[eiVersion] != evCurrent:
		return header{}, fmt.Errorf("elf: identification version %d, want 1: %w", id[eiVersion], ErrNotELF)
	case id[eiOSABI] != osabiSysV && id[eiOSABI] != osabiLinux:
		return header{}, fmt.Errorf("elf: OS ABI %d, want 0 (System V) or 3 (Linux): %w", id[eiOSABI], ErrNotELF)
	}
	le := binary.LittleEndian
	switch t := le.Uint16(data[offType:]); t {
	case etExec:
	case etDyn:
		return header{}, fmt.Errorf("elf: position-independent executable (ET_DYN); build with -buildmode=exe: %w", ErrUnsupported)
	default:
		return header{}, fmt.Errorf("elf: file type %d, want 2 (ET_EXEC): %w", t, ErrNotELF)
	}
	if mach := le.Uint16(data[offMachine:]); mach != emX86_64 {
		return header{}, fmt.Errorf("elf: machine %d, want 62 (x86-64): %w", mach, ErrNotELF)
	}
	if v := le.Uint32(data[offVersion:]); v != evCurrent {
		return header{}, fmt.Errorf("elf: version %d, want 1", v)
	}
	if n := le.Uint16(data[offEhsize:]); n != ehdrLen {
		return header{}, fmt.Errorf("elf: header size %d, want %d", n, ehdrLen)
	}
	return decodePhdrTable(data)
}

// decodePhdrTable checks that the program header table lies inside the
// file.
func decodePhdrTable(data []byte) (header, error) {
	le := binary.LittleEndian
	h := header{entry: le.Uint64(data[offEntry:]), phoff: le.Uint64(data[offPhoff:]), phnum: int(le.Uint16(data[offPhnum:]))}
	if n := le.Uint16(data[offPhentsize:]); n != phdrLen {
		return header{}, fmt.Errorf("elf: program header size %d, want %d", n, phdrLen)
	}
	switch {
	case h.phnum == 0:
		return header{}, errors.New("elf: no program headers")
	case h.phnum == pnXNum || h.phnum > maxPhdrCount:
		return header{}, fmt.Errorf("elf: %d program headers, at most %d supported", h.phnum, maxPhdrCount)
	}
	size := uint64(h.phnum) * phdrLen
	if h.phoff > uint64(len(data)) || size > uint64(len(data))-h.phoff {
		return header{}, fmt.Errorf("elf: program header table at offset 0x%x (%d bytes) runs past the end of the %d-byte file", h.phoff, size, len(data))
	}
	return h, nil
}
