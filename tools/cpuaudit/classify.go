package main

// This file decides, from an instruction's form, whether an AMD family 10h
// processor executes it. Sources: AMD64 Architecture Programmer's Manual
// Vol. 3 (pub. 24594), Appendix D "Instruction Subsets and CPUID Feature
// Flags" (which CPUID bit announces each instruction) and Appendix E
// "Obtaining Processor Information Via the CPUID Instruction"; BIOS and
// Kernel Developer's Guide for AMD Family 10h Processors (pub. 31116),
// CPUID Fn0000_0001_E[CD]X and Fn8000_0001_E[CD]X, which list what family
// 10h sets: SSE3, MONITOR, CMPXCHG16B, POPCNT, LahfSahf, ABM (LZCNT),
// SSE4A, MisAlignSse, 3DNowPrefetch, SVM, 3DNow!, 3DNowExt, MmxExt, LM,
// RDTSCP, Page1GB, FFXSR, NX; and leaves SSSE3, SSE4.1, SSE4.2, MOVBE,
// AES, PCLMULQDQ, XSAVE/OSXSAVE, AVX, F16C, FMA, RDRAND and every
// leaf-7 feature (BMI1/2, AVX2, ADX, SHA, RDSEED, FSGSBASE, ...) clear.

// classify returns the instruction-set extension that f needs and a family
// 10h processor lacks, or "" when family 10h executes f.
func classify(f form) string {
	switch f.enc {
	case encVEX2, encVEX3:
		return vexExt(f)
	case encEVEX:
		return "AVX-512 (EVEX)"
	case encXOP:
		return "XOP (family 15h)"
	}
	switch f.m {
	case map38, map3A:
		// The 0F 38 and 0F 3A maps arrived with SSSE3; family 10h
		// implements none of their opcodes.
		return ext3byte(f)
	case map3DN:
		return "" // 3DNow! and extended 3DNow! (Fn8000_0001_EDX[31:30])
	case map1:
		if (f.op == 0xC6 || f.op == 0xC7) && f.modrm == 0xF8 {
			return "RTM (XABORT/XBEGIN)"
		}
		return ""
	}
	return ext0F(f)
}

// ext0F classifies the two-byte 0F xx map.
func ext0F(f form) string {
	mem := f.mod() != 3
	switch f.op {
	case 0xBC:
		if f.pp == 0xF3 {
			// Family 10h ignores the F3 and runs BSF, which leaves
			// the destination undefined for a zero source.
			return "BMI1 (TZCNT; runs as BSF on family 10h)"
		}
	case 0xB8:
		if f.pp != 0xF3 {
			return "JMPE (IA-64)" // F3 0F B8 is POPCNT, fine
		}
	case 0xC7:
		return extC7(f, mem)
	case 0xAE:
		return extAE(f, mem)
	case 0x01:
		return ext01(f, mem)
	case 0x0D:
		if f.reg() > 1 {
			return "PREFETCHWT1/reserved prefetch"
		}
	case 0x18:
		if f.reg() > 3 || !mem {
			return "hint NOP (0F 18 /4-7)"
		}
	case 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E:
		return "hint NOP space (MPX/CET/CLDEMOTE)"
	case 0x1F:
		if f.reg() != 0 {
			return "hint NOP (0F 1F /1-7)"
		}
	case 0x37:
		return "SMX (GETSEC)"
	case 0x78, 0x79:
		if f.pp == 0 {
			return "VMX (VMREAD/VMWRITE)"
		}
		if f.pp == 0xF3 {
			return "undefined 0F 78/79 with F3"
		}
		// 66/F2 0F 78/79: SSE4a EXTRQ/INSERTQ (Fn8000_0001_ECX[6]).
	case 0xA6, 0xA7:
		return "VIA PadLock"
	}
	return ""
}

// extC7 classifies group 9 (0F C7).
func extC7(f form, mem bool) string {
	switch r := f.reg(); {
	case r == 1 && mem:
		return "" // CMPXCHG8B/CMPXCHG16B
	case r == 6 && !mem:
		return "RDRAND"
	case r == 7 && !mem && f.pp == 0xF3:
		return "RDPID"
	case r == 7 && !mem:
		return "RDSEED"
	case (r == 3 || r == 4 || r == 5) && mem:
		return "XSAVE family (XRSTORS/XSAVEC/XSAVES)"
	case r >= 6 && mem:
		return "VMX (VMPTRLD/VMCLEAR/VMXON/VMPTRST)"
	}
	return "undefined 0F C7 form"
}

// extAE classifies group 15 (0F AE).
func extAE(f form, mem bool) string {
	r := f.reg()
	if !mem {
		if f.pp == 0 && r >= 5 {
			return "" // LFENCE, MFENCE, SFENCE
		}
		if f.pp == 0xF3 && r <= 3 {
			return "FSGSBASE"
		}
		return "undefined or post-family-10h 0F AE register form"
	}
	switch {
	case r <= 3 && f.pp == 0:
		return "" // FXSAVE, FXRSTOR, LDMXCSR, STMXCSR
	case r == 7 && f.pp == 0:
		return "" // CLFLUSH
	case r == 7 && f.pp == 0x66:
		return "CLFLUSHOPT"
	case r == 6 && f.pp == 0x66:
		return "CLWB"
	case r >= 4 && r <= 6 && f.pp == 0:
		return "XSAVE family (XSAVE/XRSTOR/XSAVEOPT)"
	}
	return "undefined or post-family-10h 0F AE memory form"
}

// ext01 classifies group 7 (0F 01).
func ext01(f form, mem bool) string {
	if mem {
		if f.reg() == 5 {
			return "CET (RSTORSSP)"
		}
		return "" // SGDT, SIDT, LGDT, LIDT, SMSW, LMSW, INVLPG
	}
	switch m := f.modrm; {
	case m == 0xC8 || m == 0xC9:
		return "" // MONITOR, MWAIT (Fn0000_0001_ECX[3])
	case m >= 0xD8 && m <= 0xDF:
		return "" // SVM: VMRUN .. INVLPGA (Fn8000_0001_ECX[2])
	case m == 0xF8 || m == 0xF9:
		return "" // SWAPGS, RDTSCP (Fn8000_0001_EDX[27])
	case m >= 0xE0 && m <= 0xE7, m >= 0xF0 && m <= 0xF7:
		return "" // SMSW reg, LMSW reg
	case m == 0xD0 || m == 0xD1:
		return "XSAVE (XGETBV/XSETBV)"
	case m == 0xCA || m == 0xCB:
		return "SMAP (CLAC/STAC)"
	case m == 0xD5 || m == 0xD6:
		return "RTM (XEND/XTEST)"
	case m == 0xEE || m == 0xEF:
		return "PKU (RDPKRU/WRPKRU)"
	case m == 0xFA || m == 0xFB:
		return "MONITORX/MWAITX (family 15h+)"
	case m == 0xFC:
		return "CLZERO (Zen)"
	}
	return "undefined or post-family-10h 0F 01 form"
}

// ext3byte names the extension of a legacy 0F 38 or 0F 3A instruction.
func ext3byte(f form) string {
	op := f.op
	if f.m == map3A {
		switch {
		case op == 0x44:
			return "PCLMULQDQ"
		case op == 0xDF:
			return "AES (AESKEYGENASSIST)"
		case op == 0xCC:
			return "SHA (SHA1RNDS4)"
		case op == 0x0F:
			return "SSSE3 (PALIGNR)"
		case op >= 0x60 && op <= 0x63:
			return "SSE4.2 (PCMPxSTRx)"
		}
		return "SSE4.1"
	}
	switch {
	case op <= 0x0B, op >= 0x1C && op <= 0x1E:
		return "SSSE3"
	case op == 0x37:
		return "SSE4.2 (PCMPGTQ)"
	case op >= 0xC8 && op <= 0xCD:
		return "SHA"
	case op >= 0xDB && op <= 0xDF:
		return "AES"
	case (op == 0xF0 || op == 0xF1) && f.pp == 0xF2:
		return "SSE4.2 (CRC32)"
	case op == 0xF0 || op == 0xF1:
		return "MOVBE"
	case op == 0xF6 && (f.pp == 0x66 || f.pp == 0xF3):
		return "ADX (ADCX/ADOX)"
	case op >= 0x10 && op <= 0x40:
		return "SSE4.1"
	}
	return "0F 38 map (post-family-10h)"
}

// vexExt names the extension of a VEX-encoded instruction. Every VEX
// instruction needs AVX state (and CPUID bits family 10h lacks); the name
// only makes the report easier to read.
func vexExt(f form) string {
	switch {
	case f.m == map38 && (f.op == 0xF2 || f.op == 0xF3 || f.op == 0xF7):
		return "BMI1 (VEX)"
	case f.m == map38 && (f.op == 0xF5 || f.op == 0xF6), f.m == map3A && f.op == 0xF0:
		return "BMI2 (VEX)"
	case f.m == map38 && f.op >= 0x96 && f.op <= 0xBF:
		return "FMA (VEX)"
	case f.m == map38 && f.op == 0x13, f.m == map3A && f.op == 0x1D:
		return "F16C (VEX)"
	}
	return "AVX/AVX2 (VEX)"
}
