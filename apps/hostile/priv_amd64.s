#include "textflag.h"

// Privileged instructions, each of which ring 3 must not be allowed to
// execute: the CPU raises a general-protection fault.

// func cli()
TEXT ·cli(SB),NOSPLIT,$0-0
	CLI
	RET

// func hlt()
TEXT ·hlt(SB),NOSPLIT,$0-0
	HLT
	RET

// func wrmsr()
TEXT ·wrmsr(SB),NOSPLIT,$0-0
	MOVL	$0xC0000082, CX	// LSTAR: where SYSCALL enters the kernel
	XORL	AX, AX
	XORL	DX, DX
	WRMSR
	RET

// func rdmsr()
TEXT ·rdmsr(SB),NOSPLIT,$0-0
	MOVL	$0xC0000082, CX
	RDMSR
	RET

// func movcr3()
TEXT ·movcr3(SB),NOSPLIT,$0-0
	XORQ	AX, AX
	MOVQ	AX, CR3
	RET

// func lgdt()
TEXT ·lgdt(SB),NOSPLIT,$16-0
	LGDT	0(SP)
	RET

// func inb() byte
TEXT ·inb(SB),NOSPLIT,$0-1
	MOVW	$0x3F8, DX	// COM1
	INB
	MOVB	AX, ret+0(FP)
	RET

// func outb()
TEXT ·outb(SB),NOSPLIT,$0-0
	MOVW	$0xF4, DX	// QEMU's isa-debug-exit
	MOVB	$0x11, AX
	OUTB
	RET

// func call(addr uintptr)
TEXT ·call(SB),NOSPLIT,$0-8
	MOVQ	addr+0(FP), AX
	CALL	AX
	RET

// func sigreturn(uc uintptr)
// Points RSP at the ucontext uc and makes rt_sigreturn (15), which reads
// the registers to return to from it.
TEXT ·sigreturn(SB),NOSPLIT,$0-8
	MOVQ	uc+0(FP), SP
	MOVQ	$15, AX
	SYSCALL
	RET
