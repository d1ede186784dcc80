package main

import (
	"errors"
	"fmt"
)

// This file is a length decoder for x86-64 (64-bit mode) instructions. It
// exists because x86asm cannot be trusted to stay in sync on everything a Go
// binary may contain: it does not know SSE4a, 3DNow!, ADX or XOP, and it
// decodes VEX/EVEX only when no prefix precedes them. The decoder follows
// AMD64 Architecture Programmer's Manual Vol. 3 (pub. 24594), section 1.1
// "Instruction Encoding Overview" through 1.8 (legacy and REX prefixes,
// "VEX and XOP Prefixes"), Appendix A "Opcode and Operand Encodings"
// (one-byte, 0F, 0F_38h, 0F_3Ah, 3DNow! and VEX/XOP opcode maps) and, for
// EVEX, Intel SDM Vol. 2, section 2.7 "Intel AVX-512 Encoding".

// Encoding kinds of an instruction: which escape or prefix introduces its
// opcode.
const (
	encLegacy = iota // one-byte, 0F, 0F 38, 0F 3A or 0F 0F (3DNow!) map
	encVEX2          // C5 prefix
	encVEX3          // C4 prefix
	encEVEX          // 62 prefix
	encXOP           // 8F prefix with map select >= 8 (AMD family 15h)
)

// Opcode maps.
const (
	map1   = 0     // one-byte opcodes
	map0F  = 1     // 0F xx (also VEX/EVEX map 1)
	map38  = 2     // 0F 38 xx (VEX/EVEX map 2)
	map3A  = 3     // 0F 3A xx (VEX/EVEX map 3)
	map3DN = 0x0F0 // 0F 0F modrm imm8 (3DNow!)
)

// A form is the skeleton of one instruction: its prefixes, opcode map,
// opcode and ModRM, without operand details. scan fills it in.
type form struct {
	n     int  // length in bytes
	enc   int  // encLegacy, encVEX2, ...
	m     int  // opcode map: map1, map0F, ... (VEX/EVEX/XOP: the map select field)
	op    byte // opcode byte within the map
	pp    byte // mandatory prefix: 0 none, 0x66, 0xF3 or 0xF2 (VEX pp decoded)
	rex   byte // REX prefix, or 0
	osz   bool // 66 operand-size prefix present
	asz   bool // 67 address-size prefix present
	modrm int  // the ModRM byte, or -1 when the opcode has none
}

func (f form) mod() int { return f.modrm >> 6 }
func (f form) reg() int { return f.modrm >> 3 & 7 }

// errInvalid reports an opcode that is invalid in 64-bit mode.
var errInvalid = errors.New("invalid opcode in 64-bit mode")

// errShort reports an instruction running past the end of the code.
var errShort = errors.New("truncated instruction")

// scan decodes the instruction at the start of b and returns its form.
func scan(b []byte) (form, error) {
	f := form{modrm: -1}
	i := 0
	at := func(k int) (byte, error) {
		if k >= len(b) || k >= 15 {
			return 0, errShort
		}
		return b[k], nil
	}
	// Legacy prefixes, then at most one REX immediately before the opcode
	// (APM Vol. 3, 1.2 "Instruction Prefixes", 1.2.7 "REX Prefixes": a REX
	// followed by a legacy prefix is ignored).
	for {
		c, err := at(i)
		if err != nil {
			return f, err
		}
		switch {
		case c == 0x66:
			f.osz = true
			if f.pp == 0 {
				f.pp = 0x66
			}
		case c == 0xF2 || c == 0xF3:
			f.pp = c // the last of F2/F3 wins over 66
		case c == 0x67:
			f.asz = true
		case c == 0xF0, c == 0x26, c == 0x2E, c == 0x36, c == 0x3E, c == 0x64, c == 0x65:
		case c&0xF0 == 0x40:
			f.rex = c
			i++
			continue
		default:
			goto opcode
		}
		f.rex = 0
		i++
	}
opcode:
	c, _ := at(i)
	switch c {
	case 0xC4, 0xC5, 0x62:
		return scanVEX(b, i, f)
	case 0x8F:
		if n, err := at(i + 1); err == nil && n&0x1F >= 8 {
			return scanVEX(b, i, f)
		}
	case 0x0F:
		return scan0F(b, i+1, f)
	}
	f.m, f.op = map1, c
	i++
	if !valid64[c] {
		return f, errInvalid
	}
	imm := 0
	if hasModRM1(c) {
		var err error
		if i, err = f.readModRM(b, i); err != nil {
			return f, err
		}
	}
	switch {
	case imm8Ops1[c]:
		imm = 1
	case immzOps1[c]:
		imm = f.zsize()
	case c >= 0xB8 && c <= 0xBF:
		imm = f.zsize()
		if f.rex&8 != 0 {
			imm = 8
		}
	case c >= 0xA0 && c <= 0xA3: // moffs: address-sized
		imm = 8
		if f.asz {
			imm = 4
		}
	case c == 0xC2 || c == 0xCA:
		imm = 2
	case c == 0xC8:
		imm = 3
	case c == 0xE8 || c == 0xE9: // AMD honours 66 on near branches (rel16)
		imm = f.zsize()
	case c == 0xF6 && f.reg() <= 1:
		imm = 1
	case c == 0xF7 && f.reg() <= 1:
		imm = f.zsize()
	}
	return f.finish(b, i+imm)
}

// zsize is the size of a "z" immediate: 2 with a 66 prefix, else 4 (a
// REX.W does not widen it).
func (f form) zsize() int {
	if f.osz && f.rex&8 == 0 {
		return 2
	}
	return 4
}

func (f form) finish(b []byte, n int) (form, error) {
	if n > len(b) {
		return f, errShort
	}
	if n > 15 {
		return f, fmt.Errorf("instruction longer than 15 bytes")
	}
	f.n = n
	return f, nil
}

// scan0F decodes the two-byte (0F xx), 0F 38, 0F 3A and 3DNow! maps; i is
// the index just after the 0F escape.
func scan0F(b []byte, i int, f form) (form, error) {
	if i >= len(b) {
		return f, errShort
	}
	c := b[i]
	i++
	f.m, f.op = map0F, c
	imm := 0
	switch {
	case c == 0x38 || c == 0x3A:
		if i >= len(b) {
			return f, errShort
		}
		f.m, f.op = map38, b[i]
		if c == 0x3A {
			f.m, imm = map3A, 1
		}
		i++
	case c == 0x0F: // 3DNow!: 0F 0F modrm [sib] [disp] imm8-opcode
		f.m, imm = map3DN, 1
	case invalid0F[c]:
		return f, errInvalid
	case noModRM0F(c):
		if c >= 0x80 && c <= 0x8F {
			imm = f.zsize()
		}
		return f.finish(b, i+imm)
	case c >= 0x20 && c <= 0x23:
		// MOV to/from CRn/DRn: the mod field is ignored and always
		// treated as 11b (APM Vol. 3, "MOV (CRn)").
		if i >= len(b) {
			return f, errShort
		}
		f.modrm = int(b[i])
		return f.finish(b, i+1)
	case c >= 0x70 && c <= 0x73, c == 0xA4, c == 0xAC, c == 0xBA, c == 0xC2, c >= 0xC4 && c <= 0xC6:
		imm = 1
	case c == 0x78 && (f.pp == 0x66 || f.pp == 0xF2): // SSE4a EXTRQ/INSERTQ imm8, imm8
		imm = 2
	}
	var err error
	if i, err = f.readModRM(b, i); err != nil {
		return f, err
	}
	return f.finish(b, i+imm)
}

// readModRM reads the ModRM byte at b[i] and the SIB byte and displacement
// it implies (64-bit mode, 64- or 32-bit addressing: APM Vol. 3, 1.4
// "ModRM and SIB Bytes"). It returns the index after them.
func (f *form) readModRM(b []byte, i int) (int, error) {
	if i >= len(b) {
		return i, errShort
	}
	m := b[i]
	f.modrm = int(m)
	i++
	mod, rm := m>>6, m&7
	if mod == 3 {
		return i, nil
	}
	if rm == 4 { // SIB
		if i >= len(b) {
			return i, errShort
		}
		if mod == 0 && b[i]&7 == 5 {
			i += 4
		}
		i++
	} else if mod == 0 && rm == 5 { // RIP-relative disp32
		i += 4
	}
	switch mod {
	case 1:
		i++
	case 2:
		i += 4
	}
	return i, nil
}

// scanVEX decodes a VEX (C4, C5), EVEX (62) or XOP (8F) instruction whose
// prefix is at b[i] (Intel SDM Vol. 2, 2.3 and 2.7; APM Vol. 3, 1.8 "VEX and
// XOP Prefixes"). In 64-bit mode C4, C5 and 62 always start such a prefix:
// LES, LDS and BOUND are invalid there.
func scanVEX(b []byte, i int, f form) (form, error) {
	var plen int
	switch b[i] {
	case 0xC5:
		f.enc, plen = encVEX2, 2
	case 0xC4:
		f.enc, plen = encVEX3, 3
	case 0x62:
		f.enc, plen = encEVEX, 4
	default:
		f.enc, plen = encXOP, 3
	}
	if i+plen >= len(b) {
		return f, errShort
	}
	p1, p2 := b[i+1], b[i+2]
	switch f.enc {
	case encVEX2:
		f.m, f.pp = map0F, ppByte[p1&3]
	case encVEX3, encXOP:
		f.m, f.pp = int(p1&0x1F), ppByte[p2&3]
		if p2&0x80 != 0 {
			f.rex = 0x48
		}
	case encEVEX:
		f.m, f.pp = int(p1&7), ppByte[p2&3]
		if p2&0x80 != 0 {
			f.rex = 0x48
		}
	}
	i += plen
	f.op = b[i]
	i++
	imm := 0
	switch f.enc {
	case encXOP:
		switch f.m {
		case 8:
			imm = 1
		case 9:
		case 10:
			imm = 4
		default:
			return f, fmt.Errorf("XOP map %d", f.m)
		}
	default:
		switch f.m {
		case map0F:
			if f.enc != encEVEX && f.op == 0x77 { // VZEROUPPER/VZEROALL
				return f.finish(b, i)
			}
			if f.op >= 0x70 && f.op <= 0x73 || f.op == 0xC2 || f.op >= 0xC4 && f.op <= 0xC6 {
				imm = 1
			}
		case map38:
		case map3A:
			imm = 1
		case 5, 6: // EVEX MAP5/MAP6 (AVX512-FP16): no immediates
			if f.enc != encEVEX {
				return f, fmt.Errorf("VEX map %d", f.m)
			}
		default:
			return f, fmt.Errorf("VEX/EVEX map %d", f.m)
		}
	}
	var err error
	if i, err = f.readModRM(b, i); err != nil {
		return f, err
	}
	return f.finish(b, i+imm)
}

// ppByte maps the VEX/EVEX/XOP pp field to the legacy prefix it stands for.
var ppByte = [4]byte{0, 0x66, 0xF3, 0xF2}

// valid64 marks the one-byte opcodes that decode in 64-bit mode (APM Vol.
// 3, Table A-1; opcodes invalid in 64-bit mode are left false; C4, C5, 62
// and 8F XOP are handled before the table is consulted).
var valid64 = func() (v [256]bool) {
	for i := range v {
		v[i] = true
	}
	for _, c := range []byte{0x06, 0x07, 0x0E, 0x16, 0x17, 0x1E, 0x1F, 0x27, 0x2F, 0x37, 0x3F,
		0x60, 0x61, 0x62, 0x82, 0x9A, 0xC4, 0xC5, 0xCE, 0xD4, 0xD5, 0xD6, 0xEA, 0x0F} {
		v[c] = false
	}
	// Prefix bytes are consumed before the opcode; seeing one here
	// means 15 bytes of prefixes.
	return v
}()

// hasModRM1 reports whether one-byte opcode c takes a ModRM byte.
func hasModRM1(c byte) bool {
	switch {
	case c < 0x40:
		return c&7 < 4 // ALU ops 00-03, 08-0B, ...
	case c == 0x63, c == 0x69, c == 0x6B, c >= 0x80 && c <= 0x8F:
		return true
	case c == 0xC0, c == 0xC1, c == 0xC6, c == 0xC7, c >= 0xD0 && c <= 0xD3:
		return true
	case c >= 0xD8 && c <= 0xDF, c == 0xF6, c == 0xF7, c == 0xFE, c == 0xFF:
		return true
	}
	return false
}

// imm8Ops1 and immzOps1 mark one-byte opcodes with an 8-bit or a "z"-sized
// immediate (or relative displacement).
var imm8Ops1, immzOps1 = func() (b8, bz [256]bool) {
	for c := 0; c < 0x40; c += 8 {
		b8[c+4], bz[c+5] = true, true // AL, imm8 / eAX, immz
	}
	for _, c := range []int{0x6A, 0x6B, 0x80, 0x83, 0xA8, 0xC0, 0xC1, 0xC6, 0xCD, 0xEB} {
		b8[c] = true
	}
	for c := 0x70; c <= 0x7F; c++ {
		b8[c] = true // Jcc rel8
	}
	for c := 0xB0; c <= 0xB7; c++ {
		b8[c] = true
	}
	for c := 0xE0; c <= 0xE7; c++ {
		b8[c] = true // LOOPcc, JrCXZ, IN, OUT
	}
	for _, c := range []int{0x68, 0x69, 0x81, 0xA9, 0xC7} {
		bz[c] = true
	}
	return b8, bz
}()

// invalid0F marks 0F xx opcodes that are undefined (#UD) in 64-bit mode.
var invalid0F = func() (v [256]bool) {
	for _, c := range []byte{0x04, 0x0A, 0x0C, 0x24, 0x25, 0x26, 0x27, 0x36, 0x39,
		0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x7A, 0x7B} {
		v[c] = true
	}
	return v
}()

// noModRM0F reports whether 0F opcode c has no ModRM byte.
func noModRM0F(c byte) bool {
	switch {
	case c >= 0x05 && c <= 0x09, c == 0x0B, c == 0x0E:
		return true // SYSCALL, CLTS, SYSRET, INVD, WBINVD, UD2, FEMMS
	case c >= 0x30 && c <= 0x37, c == 0x77:
		return true // WRMSR .. GETSEC, EMMS
	case c >= 0x80 && c <= 0x8F:
		return true // Jcc rel
	case c == 0xA0, c == 0xA1, c == 0xA2, c == 0xA8, c == 0xA9, c == 0xAA:
		return true // PUSH/POP FS/GS, CPUID, RSM
	case c >= 0xC8 && c <= 0xCF:
		return true // BSWAP
	}
	return false
}
