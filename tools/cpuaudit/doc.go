// Command cpuaudit checks that the Go binaries in the boot image run on an
// AMD family 10h processor (Opteron 23xx/83xx "Barcelona", "Shanghai",
// "Istanbul"), the oldest CPU the multikernel supports. It runs on the
// build host, from `make audit` (a prerequisite of `make test`):
//
//	go run ./tools/cpuaudit [-v] BINARY...
//
// # What family 10h executes
//
// Per the BIOS and Kernel Developer's Guide for AMD Family 10h Processors
// (pub. 31116, CPUID Fn0000_0001 and Fn8000_0001) and the AMD64
// Architecture Programmer's Manual Vol. 3 (pub. 24594, Appendix D
// "Instruction Subsets and CPUID Feature Flags"), family 10h has x87, MMX,
// 3DNow! (with the extensions), SSE, SSE2, SSE3, SSE4a, ABM (LZCNT and
// POPCNT), CMPXCHG16B, LAHF/SAHF in 64-bit mode, RDTSCP, MONITOR/MWAIT,
// PREFETCH/PREFETCHW, CLFLUSH, FXSAVE/FXRSTOR, SVM, NX and 1 GiB pages. It
// lacks SSSE3, SSE4.1, SSE4.2 (CRC32, PCMPxSTRx, PCMPGTQ), every VEX, EVEX
// and XOP instruction (AVX, AVX2, AVX-512, FMA, F16C, BMI1, BMI2), MOVBE,
// ADX, AES-NI, PCLMULQDQ, SHA, RDRAND, RDSEED, the XSAVE family (XGETBV
// included), FSGSBASE, CLFLUSHOPT, CLWB, RTM and TZCNT: F3 0F BC executes
// as BSF on family 10h, whose result differs for a zero source, so it is
// flagged too. x2APIC is a register interface, not an instruction, and is
// outside this audit.
//
// # How the audit works
//
// For every executable ELF section, cpuaudit takes the STT_FUNC symbols,
// sorted by address, and decodes each function sequentially from its
// first byte to its size. Bytes between functions must be padding (Go's
// linker pads with INT3, 0xCC); anything else fails the audit. Each
// instruction is decoded twice: by golang.org/x/arch/x86/x86asm, which
// gives the disassembly, and by this tool's own length decoder (scan.go),
// which parses prefixes, the VEX/EVEX/XOP prefix, the opcode map, ModRM,
// SIB, displacement and immediate. The own decoder is authoritative for
// VEX, EVEX and XOP (x86asm does not decode them after other prefixes and
// miscounts VZEROUPPER); x86asm's length is used for legacy encodings, and
// a disagreement is reported. The extension an instruction needs is
// decided from its encoding (classify.go), not from x86asm's mnemonic,
// because x86asm does not know SSE4a, 3DNow! or ADX and decodes
// CLFLUSHOPT and CLWB as CLFLUSH and XSAVEOPT. A byte sequence neither
// decoder understands is counted as undecodable and fails the audit
// outside the allowlist.
//
// # The allowlist
//
// Some Go runtime and standard-library assembly contains AVX, AVX-512,
// AES-NI or SSE4 code that it runs only after internal/cpu has read CPUID
// and found the feature. allow.go lists those functions by symbol (or
// symbol prefix), each with the guard, as checked in the Go source of the
// toolchain named in go.mod. Anything else fails: cpuaudit prints the
// symbol, address, instruction and extension, and exits with status 1.
// The allowlist is tied to the Go version: after a toolchain upgrade, a
// new failure means a new function to read, not an entry to add blindly.
//
// # Output
//
// For each binary: the number of instructions checked, functions walked,
// undecodable bytes and padding bytes; the allowed exceptions (symbol,
// count, extensions, reason); then either "OK for AMD family 10h" or one
// FAIL line per offending instruction. -v also lists every allowed
// instruction and every length disagreement.
package main
