package main

import "strings"

// An allowRule names Go functions that contain instructions family 10h
// lacks but execute them only after a CPUID check says they exist.
type allowRule struct {
	name   string // symbol name, or a prefix when it ends in '*'
	reason string // the guard, as read in the Go source
}

// allowlist is the complete list of exceptions, found by auditing
// build/cpudriver and a GOAMD64=v1 hello-world built with go1.26.8. Each
// reason was checked against that toolchain's source ($GOROOT/src, paths
// below); re-check them when the toolchain changes. On family 10h every
// guard reads false: CPUID Fn0000_0001_ECX has no AES, SSSE3, SSE4.1,
// SSE4.2, OSXSAVE or AVX bit set, and leaf 7 reports no AVX2 or AVX-512.
// (If internal/cpu were never initialised the guards would also read
// false: the zero value is the safe one.)
var allowlist = []allowRule{
	{"multikernel/cpudriver/ring0.rdrand.abi0",
		"RDRAND: cpudriver/ring0/entropy.go Rdrand calls rdrand only if HasRDRAND (CPUID Fn0000_0001_ECX[30])"},
	{"internal/cpu.xgetbv.abi0",
		"XGETBV: internal/cpu/cpu_x86.go doinit calls xgetbv only if X86.HasOSXSAVE (CPUID Fn0000_0001_ECX[27])"},
	{"runtime.memmove",
		"AVX: memmove_amd64.s jumps to avxUnaligned only if memmoveBits&avxSupported, set in cpuflags_amd64.go from cpu.X86.HasAVX"},
	{"runtime.memclrNoHeapPointers",
		"AVX2: memclr_amd64.s enters loop_preheader_avx2* only after CMPB cpu.X86.HasAVX2"},
	{"runtime.asyncPreempt.abi0",
		"AVX2/AVX-512 register save/restore: preempt_amd64.s takes saveAVX2/saveAVX512 and restoreAVX2/restoreAVX512 only after CMPB cpu.X86.HasAVX2/HasAVX512 (and the CPU driver runs with asyncpreemptoff=1)"},
	{"aeshashbody",
		"AES, SSSE3: asm_amd64.s memhash/strhash jump here only if runtime.useAeshash, set by alg.go alginit only if cpu.X86.HasAES && HasSSSE3 && HasSSE41"},
	{"runtime.memhash32",
		"SSE4.1 PINSRD, AES: asm_amd64.s falls back to memhash32Fallback unless runtime.useAeshash (HasAES && HasSSSE3 && HasSSE41)"},
	{"runtime.memhash64",
		"SSE4.1 PINSRQ, AES: asm_amd64.s falls back to memhash64Fallback unless runtime.useAeshash (HasAES && HasSSSE3 && HasSSE41)"},
	{"cmpbody",
		"AVX2: internal/bytealg/compare_amd64.s jumps to big_loop_avx2 only after CMPB cpu.X86.HasAVX2"},
	{"countbody",
		"AVX2: internal/bytealg/count_amd64.s label avx2 falls back to sse unless cpu.X86.HasAVX2"},
	{"memeqbody",
		"AVX2: internal/bytealg/equal_amd64.s jumps to hugeloop_avx2 only after CMPB cpu.X86.HasAVX2"},
	{"indexbytebody",
		"AVX2: internal/bytealg/indexbyte_amd64.s label avx2 falls back to sse unless cpu.X86.HasAVX2"},
	{"indexbody",
		"AVX2 for 32..63-byte needles: callers pass at most bytealg.MaxLen, 63 only if cpu.X86.HasAVX2 (index_amd64.go), else 31; SSE4.2 PCMPESTRI only after CMPB cpu.X86.HasSSE42 (index_amd64.s)"},
	{"internal/runtime/gc/scan.scanSpanPackedAVX512.abi0",
		"AVX-512: called only by scan.ScanSpanPacked, which runtime/mgcmark_greenteagc.go calls only if scan.HasFastScanSpanPacked() (HasAVX512VL/BW/DQ/BITALG/VBMI && HasGFNI)"},
	{"internal/runtime/gc/scan.FilterNilAVX512.abi0",
		"AVX-512: called only by scan.ScanSpanPackedAVX512, under the same HasFastScanSpanPacked guard"},
	{"expandAVX512_*",
		"AVX-512: internal/runtime/gc/scan/expand_amd64.s expanders, reached only through gcExpandersAVX512 from scanSpanPackedAVX512 (same guard) or the test-only ExpandAVX512"},
}

// lookupAllow returns the rule covering symbol name, or nil.
func lookupAllow(name string) *allowRule {
	for i := range allowlist {
		r := &allowlist[i]
		if p, ok := strings.CutSuffix(r.name, "*"); ok {
			if strings.HasPrefix(name, p) {
				return r
			}
		} else if r.name == name {
			return r
		}
	}
	return nil
}
