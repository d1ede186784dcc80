// Privileged instructions, one small function each (Intel SDM vol. 2).
// All are NOSPLIT leaf functions with no frame: callable from ring-0 code
// beneath the runtime.

#include "go_asm.h"
#include "textflag.h"

// func outb(port uint16, v uint8)
TEXT ·outb(SB),NOSPLIT|NOFRAME,$0-3
	MOVW	port+0(FP), DX
	MOVB	v+2(FP), AX
	OUTB
	RET

// func inb(port uint16) uint8
TEXT ·inb(SB),NOSPLIT|NOFRAME,$0-9
	MOVW	port+0(FP), DX
	XORL	AX, AX
	INB
	MOVB	AX, ret+8(FP)
	RET

// func rdmsr(msr uint32) uint64
TEXT ·rdmsr(SB),NOSPLIT|NOFRAME,$0-16
	MOVL	msr+0(FP), CX
	RDMSR
	SHLQ	$32, DX
	ORQ	DX, AX
	MOVQ	AX, ret+8(FP)
	RET

// func wrmsr(msr uint32, v uint64)
TEXT ·wrmsr(SB),NOSPLIT|NOFRAME,$0-16
	MOVL	msr+0(FP), CX
	MOVQ	v+8(FP), AX
	MOVQ	AX, DX
	SHRQ	$32, DX
	WRMSR
	RET

// func cpuid(leaf, sub uint32) (a, b, c, d uint32)
TEXT ·cpuid(SB),NOSPLIT|NOFRAME,$0-24
	MOVL	leaf+0(FP), AX
	MOVL	sub+4(FP), CX
	CPUID
	MOVL	AX, a+8(FP)
	MOVL	BX, b+12(FP)
	MOVL	CX, c+16(FP)
	MOVL	DX, d+20(FP)
	RET

// func rdtsc() uint64
TEXT ·rdtsc(SB),NOSPLIT|NOFRAME,$0-8
	RDTSC
	SHLQ	$32, DX
	ORQ	DX, AX
	MOVQ	AX, ret+0(FP)
	RET

// func lgdt(desc uintptr)
TEXT ·lgdt(SB),NOSPLIT|NOFRAME,$0-8
	MOVQ	desc+0(FP), AX
	LGDT	(AX)
	RET

// func lidt(desc uintptr)
TEXT ·lidt(SB),NOSPLIT|NOFRAME,$0-8
	MOVQ	desc+0(FP), AX
	LIDT	(AX)
	RET

// func ltr(sel uint16)
TEXT ·ltr(SB),NOSPLIT|NOFRAME,$0-2
	MOVW	sel+0(FP), AX
	LTR	AX
	RET

// func reloadSegments() reloads the data segment registers with the kernel
// data selector and CS with the kernel code selector (an IRETQ to
// reloadDone, which returns to the caller) after lgdt.
TEXT ·reloadSegments(SB),NOSPLIT|NOFRAME,$0
	MOVL	$const_selKernelData, AX
	MOVW	AX, DS
	MOVW	AX, ES
	MOVW	AX, SS
	MOVL	$0, AX
	MOVW	AX, GS
	MOVQ	SP, AX
	PUSHQ	$const_selKernelData
	PUSHQ	AX
	PUSHFQ
	PUSHQ	$const_selKernelCode
	LEAQ	·reloadDone(SB), AX
	PUSHQ	AX
	IRETQ

TEXT ·reloadDone(SB),NOSPLIT|NOFRAME,$0
	RET

// func readCR2() uint64
TEXT ·readCR2(SB),NOSPLIT|NOFRAME,$0-8
	MOVQ	CR2, AX
	MOVQ	AX, ret+0(FP)
	RET

// func readCR3() uint64
TEXT ·readCR3(SB),NOSPLIT|NOFRAME,$0-8
	MOVQ	CR3, AX
	MOVQ	AX, ret+0(FP)
	RET

// func writeCR3(v uint64)
TEXT ·writeCR3(SB),NOSPLIT|NOFRAME,$0-8
	MOVQ	v+0(FP), AX
	MOVQ	AX, CR3
	MOVQ	AX, ·loadedCR3(SB)
	RET

// func invlpg(va uintptr)
TEXT ·invlpg(SB),NOSPLIT|NOFRAME,$0-8
	MOVQ	va+0(FP), AX
	INVLPG	(AX)
	RET

// func haltOnce() enables interrupts for exactly one HLT: STI's one-
// instruction shadow guarantees no interrupt is taken between STI and HLT.
TEXT ·haltOnce(SB),NOSPLIT|NOFRAME,$0
	STI
	HLT
	CLI
	RET

// func haltForever() stops this core for good.
TEXT ·haltForever(SB),NOSPLIT|NOFRAME,$0
again:
	CLI
	HLT
	JMP	again

// func pause()
TEXT ·pause(SB),NOSPLIT|NOFRAME,$0
	PAUSE
	RET

// func fillZero(p uintptr, n uintptr) clears n bytes (n a multiple of 8).
TEXT ·fillZero(SB),NOSPLIT|NOFRAME,$0-16
	MOVQ	p+0(FP), DI
	MOVQ	n+8(FP), CX
	SHRQ	$3, CX
	XORL	AX, AX
	CLD
	REP;	STOSQ
	RET

// func copyBytes(dst, src, n uintptr)
TEXT ·copyBytes(SB),NOSPLIT|NOFRAME,$0-24
	MOVQ	dst+0(FP), DI
	MOVQ	src+8(FP), SI
	MOVQ	n+16(FP), CX
	CLD
	REP;	MOVSB
	RET

// func rdrand() (v uint64, ok bool)
// RDRAND RAX (0F C7 /6 with REX.W), spelled in bytes; CF says whether a
// value came. Callers check CPUID Fn0000_0001_ECX[30] first (family 10h
// lacks it: tools/cpuaudit's allowlist names this function).
TEXT ·rdrand(SB),NOSPLIT|NOFRAME,$0-9
	BYTE	$0x48; BYTE $0x0F; BYTE $0xC7; BYTE $0xF0
	SETCS	ok+8(FP)
	MOVQ	AX, v+0(FP)
	RET
