package main

import (
	"testing"

	"golang.org/x/arch/x86/x86asm"
)

// insnCases are hand-assembled instructions with their length and the
// extension family 10h lacks ("" when it runs them).
var insnCases = []struct {
	name string
	b    []byte
	n    int
	ext  string
}{
	// Legacy encodings family 10h lacks.
	{"PSHUFB xmm", []byte{0x66, 0x0F, 0x38, 0x00, 0xC1}, 5, "SSSE3"},
	{"PSHUFB mm", []byte{0x0F, 0x38, 0x00, 0xC1}, 4, "SSSE3"},
	{"PALIGNR", []byte{0x66, 0x0F, 0x3A, 0x0F, 0xC1, 0x08}, 6, "SSSE3 (PALIGNR)"},
	{"PTEST", []byte{0x66, 0x0F, 0x38, 0x17, 0xC1}, 5, "SSE4.1"},
	{"PINSRQ", []byte{0x66, 0x48, 0x0F, 0x3A, 0x22, 0x00, 0x01}, 7, "SSE4.1"},
	{"CRC32 r32", []byte{0xF2, 0x0F, 0x38, 0xF1, 0xC1}, 5, "SSE4.2 (CRC32)"},
	{"CRC32 r64", []byte{0xF2, 0x48, 0x0F, 0x38, 0xF1, 0xC1}, 6, "SSE4.2 (CRC32)"},
	{"PCMPESTRI", []byte{0x66, 0x0F, 0x3A, 0x61, 0x0F, 0x0C}, 6, "SSE4.2 (PCMPxSTRx)"},
	{"TZCNT", []byte{0xF3, 0x0F, 0xBC, 0xC1}, 4, "BMI1 (TZCNT; runs as BSF on family 10h)"},
	{"TZCNT r64", []byte{0xF3, 0x48, 0x0F, 0xBC, 0xC1}, 5, "BMI1 (TZCNT; runs as BSF on family 10h)"},
	{"MOVBE load", []byte{0x0F, 0x38, 0xF0, 0x06}, 4, "MOVBE"},
	{"AESENC", []byte{0x66, 0x0F, 0x38, 0xDC, 0xC1}, 5, "AES"},
	{"PCLMULQDQ", []byte{0x66, 0x0F, 0x3A, 0x44, 0xC1, 0x00}, 6, "PCLMULQDQ"},
	{"SHA1NEXTE", []byte{0x0F, 0x38, 0xC8, 0xC1}, 4, "SHA"},
	{"ADCX", []byte{0x66, 0x0F, 0x38, 0xF6, 0xC1}, 5, "ADX (ADCX/ADOX)"},
	{"ADOX", []byte{0xF3, 0x0F, 0x38, 0xF6, 0xC1}, 5, "ADX (ADCX/ADOX)"},
	{"RDRAND", []byte{0x0F, 0xC7, 0xF0}, 3, "RDRAND"},
	{"RDSEED", []byte{0x0F, 0xC7, 0xF8}, 3, "RDSEED"},
	{"RDPID", []byte{0xF3, 0x0F, 0xC7, 0xF8}, 4, "RDPID"},
	{"XGETBV", []byte{0x0F, 0x01, 0xD0}, 3, "XSAVE (XGETBV/XSETBV)"},
	{"XSAVE", []byte{0x0F, 0xAE, 0x20}, 3, "XSAVE family (XSAVE/XRSTOR/XSAVEOPT)"},
	{"CLFLUSHOPT", []byte{0x66, 0x0F, 0xAE, 0x38}, 4, "CLFLUSHOPT"},
	{"CLWB", []byte{0x66, 0x0F, 0xAE, 0x30}, 4, "CLWB"},
	{"RDFSBASE", []byte{0xF3, 0x48, 0x0F, 0xAE, 0xC0}, 5, "FSGSBASE"},
	{"CLAC", []byte{0x0F, 0x01, 0xCA}, 3, "SMAP (CLAC/STAC)"},
	{"XBEGIN", []byte{0xC7, 0xF8, 0, 0, 0, 0}, 6, "RTM (XABORT/XBEGIN)"},
	{"ENDBR64", []byte{0xF3, 0x0F, 0x1E, 0xFA}, 4, "hint NOP space (MPX/CET/CLDEMOTE)"},

	// Legacy encodings family 10h runs.
	{"POPCNT", []byte{0xF3, 0x0F, 0xB8, 0xC1}, 4, ""},
	{"LZCNT", []byte{0xF3, 0x0F, 0xBD, 0xC1}, 4, ""},
	{"BSF", []byte{0x0F, 0xBC, 0xC1}, 3, ""},
	{"CMPXCHG16B", []byte{0x48, 0x0F, 0xC7, 0x0E}, 4, ""},
	{"LAHF", []byte{0x9F}, 1, ""},
	{"RDTSCP", []byte{0x0F, 0x01, 0xF9}, 3, ""},
	{"MONITOR", []byte{0x0F, 0x01, 0xC8}, 3, ""},
	{"MWAIT", []byte{0x0F, 0x01, 0xC9}, 3, ""},
	{"PREFETCHW", []byte{0x0F, 0x0D, 0x08}, 3, ""},
	{"CLFLUSH", []byte{0x0F, 0xAE, 0x38}, 3, ""},
	{"FXSAVE64", []byte{0x48, 0x0F, 0xAE, 0x00}, 4, ""},
	{"LFENCE", []byte{0x0F, 0xAE, 0xE8}, 3, ""},
	{"MOVNTI", []byte{0x0F, 0xC3, 0x07}, 3, ""},
	{"LDDQU (SSE3)", []byte{0xF2, 0x0F, 0xF0, 0x06}, 4, ""},
	{"EXTRQ imm (SSE4a)", []byte{0x66, 0x0F, 0x78, 0xC0, 0x01, 0x02}, 6, ""},
	{"INSERTQ (SSE4a)", []byte{0xF2, 0x0F, 0x79, 0xC1}, 4, ""},
	{"MOVNTSD (SSE4a)", []byte{0xF2, 0x0F, 0x2B, 0x00}, 4, ""},
	{"PFADD (3DNow!)", []byte{0x0F, 0x0F, 0xC1, 0x9E}, 4, ""},
	{"VMRUN (SVM)", []byte{0x0F, 0x01, 0xD8}, 3, ""},
	{"NOP r/m", []byte{0x0F, 0x1F, 0x44, 0x00, 0x00}, 5, ""},
	{"PEXTRW (SSE2)", []byte{0x66, 0x0F, 0xC5, 0xC0, 0x01}, 5, ""},
	{"POP r/m", []byte{0x8F, 0xC0}, 2, ""},
	{"UD2", []byte{0x0F, 0x0B}, 2, ""},

	// Legacy lengths.
	{"MOV r64, imm64", []byte{0x48, 0xB8, 1, 2, 3, 4, 5, 6, 7, 8}, 10, ""},
	{"MOV r16, imm16", []byte{0x66, 0xB8, 1, 2}, 4, ""},
	{"MOV eAX, moffs64", []byte{0xA1, 1, 2, 3, 4, 5, 6, 7, 8}, 9, ""},
	{"MOV eAX, moffs32", []byte{0x67, 0xA1, 1, 2, 3, 4}, 6, ""},
	{"MOV RIP-relative", []byte{0x48, 0x8B, 0x05, 1, 2, 3, 4}, 7, ""},
	{"MOV SIB no base", []byte{0x8B, 0x04, 0x25, 1, 2, 3, 4}, 7, ""},
	{"MOV SIB disp8", []byte{0x8B, 0x44, 0x24, 0x08}, 4, ""},
	{"MOV disp32", []byte{0x48, 0x89, 0x84, 0x24, 0, 1, 0, 0}, 8, ""},
	{"TEST r/m8, imm8", []byte{0xF6, 0xC0, 0x01}, 3, ""},
	{"NOT r/m8", []byte{0xF6, 0xD0}, 2, ""},
	{"TEST r/m32, imm32", []byte{0xF7, 0xC0, 1, 2, 3, 4}, 6, ""},
	{"TEST r/m16, imm16", []byte{0x66, 0xF7, 0xC0, 1, 2}, 5, ""},
	{"ADD r/m64, imm32", []byte{0x48, 0x81, 0xC4, 1, 2, 3, 4}, 7, ""},
	{"ENTER", []byte{0xC8, 0x10, 0x00, 0x00}, 4, ""},
	{"MOV CR0 (mod ignored)", []byte{0x0F, 0x22, 0x05}, 3, ""},
	{"JE rel32", []byte{0x0F, 0x84, 1, 2, 3, 4}, 6, ""},
	{"BT r/m, imm8", []byte{0x0F, 0xBA, 0xE0, 0x05}, 4, ""},
	{"CALL rel32", []byte{0xE8, 1, 2, 3, 4}, 5, ""},
	{"LOCK CMPXCHG", []byte{0xF0, 0x48, 0x0F, 0xB1, 0x0B}, 5, ""},
	{"FS: MOV", []byte{0x64, 0x48, 0x8B, 0x04, 0x25, 0xF8, 0xFF, 0xFF, 0xFF}, 9, ""},
}

// vexCases are VEX, EVEX and XOP instructions: all need something family
// 10h lacks; the length decoder must get their length right so decoding
// stays in sync.
var vexCases = []struct {
	name string
	b    []byte
	n    int
	ext  string
}{
	{"VZEROUPPER", []byte{0xC5, 0xF8, 0x77}, 3, "AVX/AVX2 (VEX)"},
	{"VZEROALL", []byte{0xC5, 0xFC, 0x77}, 3, "AVX/AVX2 (VEX)"},
	{"VMOVDQU ymm, [rsi]", []byte{0xC5, 0xFE, 0x6F, 0x16}, 4, "AVX/AVX2 (VEX)"},
	{"VMOVDQA ymm, [rsp]", []byte{0xC5, 0xFD, 0x6F, 0x04, 0x24}, 5, "AVX/AVX2 (VEX)"},
	{"VMOVDQU ymm, [rsp+0x20]", []byte{0xC5, 0xFE, 0x6F, 0x44, 0x24, 0x20}, 6, "AVX/AVX2 (VEX)"},
	{"VMOVDQU ymm, [r12+0x100]", []byte{0xC4, 0xC1, 0x7E, 0x6F, 0x84, 0x24, 0, 1, 0, 0}, 10, "AVX/AVX2 (VEX)"},
	{"VPSRLQ ymm, imm8", []byte{0xC5, 0xFD, 0x73, 0xD0, 0x05}, 5, "AVX/AVX2 (VEX)"},
	{"VPSHUFB", []byte{0xC4, 0xE2, 0x79, 0x00, 0xC1}, 5, "AVX/AVX2 (VEX)"},
	{"VPCLMULQDQ", []byte{0xC4, 0xE3, 0x79, 0x44, 0xC1, 0x00}, 6, "AVX/AVX2 (VEX)"},
	{"VMOVDQU RIP-relative", []byte{0xC5, 0xFE, 0x6F, 0x05, 1, 2, 3, 4}, 8, "AVX/AVX2 (VEX)"},
	{"FS: VZEROUPPER", []byte{0x64, 0xC5, 0xF8, 0x77}, 4, "AVX/AVX2 (VEX)"},
	{"ANDN", []byte{0xC4, 0xE2, 0x78, 0xF2, 0xC1}, 5, "BMI1 (VEX)"},
	{"RORX", []byte{0xC4, 0xE3, 0xFB, 0xF0, 0xC1, 0x05}, 6, "BMI2 (VEX)"},
	{"SHLX", []byte{0xC4, 0xE2, 0xF1, 0xF7, 0xC2}, 5, "BMI1 (VEX)"},
	{"VFMADD213SD", []byte{0xC4, 0xE2, 0xF1, 0xA9, 0xC2}, 5, "FMA (VEX)"},
	{"VCVTPH2PS", []byte{0xC4, 0xE2, 0x79, 0x13, 0xC1}, 5, "F16C (VEX)"},
	{"VMOVUPS zmm, [rax]", []byte{0x62, 0xF1, 0x7C, 0x48, 0x10, 0x00}, 6, "AVX-512 (EVEX)"},
	{"VMOVUPS zmm, [rax+disp8*N]", []byte{0x62, 0xF1, 0x7C, 0x48, 0x10, 0x40, 0x01}, 7, "AVX-512 (EVEX)"},
	{"VPSHUFB zmm", []byte{0x62, 0xF2, 0x7D, 0x48, 0x00, 0xC1}, 6, "AVX-512 (EVEX)"},
	{"VPCMPUB k, zmm, imm8", []byte{0x62, 0xF3, 0x7D, 0x48, 0x3E, 0xC9, 0x00}, 7, "AVX-512 (EVEX)"},
	{"VPSRLQ zmm, imm8", []byte{0x62, 0xF1, 0xF5, 0x48, 0x73, 0xD0, 0x05}, 7, "AVX-512 (EVEX)"},
	{"XOP VPHADDBW (map 9)", []byte{0x8F, 0xE9, 0x78, 0xC1, 0xC1}, 5, "XOP (family 15h)"},
	{"XOP VPCOMB (map 8, imm8)", []byte{0x8F, 0xE8, 0x78, 0xCC, 0xC1, 0x05}, 6, "XOP (family 15h)"},
	{"XOP BEXTR (map A, imm32)", []byte{0x8F, 0xEA, 0x78, 0x10, 0xC1, 1, 0, 0, 0}, 9, "XOP (family 15h)"},
}

func TestScanAndClassify(t *testing.T) {
	all := append(insnCases[:len(insnCases):len(insnCases)], vexCases...)
	for _, c := range all {
		// Trailing bytes must not change the result.
		b := append(c.b[:len(c.b):len(c.b)], 0x90, 0x90, 0x90)
		f, err := scan(b)
		if err != nil {
			t.Errorf("%s (% x): scan: %v", c.name, c.b, err)
			continue
		}
		if f.n != c.n {
			t.Errorf("%s (% x): length %d, want %d", c.name, c.b, f.n, c.n)
		}
		if got := classify(f); got != c.ext {
			t.Errorf("%s (% x): classify = %q, want %q", c.name, c.b, got, c.ext)
		}
		// Where x86asm decodes the instruction, it must agree on the
		// length (except its VZEROUPPER/VZEROALL erratum).
		in, err := x86asm.Decode(b, 64)
		if err == nil && in.Op != 0 && in.Len != c.n && !(f.enc != encLegacy && f.op == 0x77) {
			t.Errorf("%s (% x): x86asm says %d bytes (%v), table says %d", c.name, c.b, in.Len, in, c.n)
		}
	}
}

func TestScanErrors(t *testing.T) {
	for _, b := range [][]byte{
		{0x06},                   // PUSH ES: invalid in 64-bit mode
		{0x0F},                   // truncated escape
		{0xC4, 0xE2},             // truncated VEX
		{0x62, 0xF1, 0x7C, 0x48}, // EVEX without opcode
		{0x48, 0x8B, 0x05, 1, 2}, // truncated disp32
		{0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x90}, // > 15 bytes
	} {
		if f, err := scan(b); err == nil {
			t.Errorf("scan(% x) = %+v, want an error", b, f)
		}
	}
}

func TestLookupAllow(t *testing.T) {
	for name, want := range map[string]bool{
		"runtime.memmove":            true,
		"runtime.memmoveX":           false,
		"expandAVX512_24":            true,
		"main.expandAVX512_24":       false,
		"crypto/aes.encryptBlockAsm": false,
	} {
		if got := lookupAllow(name) != nil; got != want {
			t.Errorf("lookupAllow(%q) = %v, want %v", name, got, want)
		}
	}
	for _, r := range allowlist {
		if r.reason == "" {
			t.Errorf("allowlist entry %q has no reason", r.name)
		}
	}
}

// FuzzScan checks that scan never panics and never claims more bytes than
// it was given or than an instruction may have.
func FuzzScan(f *testing.F) {
	for _, c := range insnCases {
		f.Add(c.b)
	}
	for _, c := range vexCases {
		f.Add(c.b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fm, err := scan(b)
		if err == nil && (fm.n < 1 || fm.n > len(b) || fm.n > 15) {
			t.Fatalf("scan(% x) length %d", b, fm.n)
		}
		if err == nil {
			classify(fm)
		}
	})
}
