// Entry points of the CPU driver: kentry (first instruction on every core),
// the SYSCALL entry, the return path shared by system calls and thread
// switches, and the trap and interrupt entries.

#include "go_asm.h"
#include "textflag.h"

// kentry is the CPU driver's ELF entry point (linker flag -E), reached from
// the loader on the bootstrap core and from the trampoline on the others,
// in 64-bit mode with interrupts off and RDI = handoff or parameter block.
TEXT ·kentry(SB),NOSPLIT|NOFRAME,$0
	MOVQ	DI, ·bootArg(SB)
	LEAQ	·sysStack+const_sysStackSize(SB), SP
	// FS:-8 must be readable before the first call into Go: the ABI
	// wrappers load g from it. scratchTLS[0] holds a nil g.
	LEAQ	·scratchTLS+8(SB), AX
	MOVQ	AX, ·loadedFS(SB)
	MOVQ	AX, DX
	SHRQ	$32, DX
	MOVL	$const_msrFSBase, CX
	WRMSR
	CALL	·earlyInit(SB)
	// earlyInit built argc, argv, envp and auxv at startSP.
	MOVQ	·startSP(SB), SP
	// BP is 0 here: the loader and the trampoline clear it.
	JMP	_rt0_amd64_linux(SB)

// syscallEntry is the LSTAR target. The runtime's SYSCALL arrives here in
// ring 0 with RCX = return RIP, R11 = RFLAGS and interrupts masked (FMASK).
// It saves the thread's registers into its Frame, runs the handler on this
// core's system stack, then resumes whichever thread is current.
TEXT ·syscallEntry(SB),NOSPLIT|NOFRAME,$0
	// A user RIP is in the lower half: that SYSCALL came from ring 3.
	TESTQ	CX, CX
	JS	fromkernel
	JMP	·userSyscall(SB)
fromkernel:
	MOVQ	AX, ·scratchAX(SB)
	MOVQ	·curFrame(SB), AX
	MOVQ	BX, Frame_BX(AX)
	MOVQ	CX, Frame_CX(AX)
	MOVQ	DX, Frame_DX(AX)
	MOVQ	SI, Frame_SI(AX)
	MOVQ	DI, Frame_DI(AX)
	MOVQ	BP, Frame_BP(AX)
	MOVQ	R8, Frame_R8(AX)
	MOVQ	R9, Frame_R9(AX)
	MOVQ	R10, Frame_R10(AX)
	MOVQ	R11, Frame_R11(AX)
	MOVQ	R12, Frame_R12(AX)
	MOVQ	R13, Frame_R13(AX)
	MOVQ	R14, Frame_R14(AX)
	MOVQ	R15, Frame_R15(AX)
	MOVQ	SP, Frame_SP(AX)
	MOVQ	CX, Frame_IP(AX)
	MOVQ	R11, Frame_FLAGS(AX)
	MOVQ	·scratchAX(SB), BX
	MOVQ	BX, Frame_AX(AX)
	LEAQ	·sysStack+const_sysStackSize(SB), SP
	CALL	·syscallGo(SB)
	JMP	·resume(SB)

// resume returns to the current thread (curFrame), which may differ from
// the one that entered: FS_BASE is reloaded only when it changes. The
// return is an IRETQ to ring 0 on the thread's own stack.
TEXT ·resume(SB),NOSPLIT|NOFRAME,$0
	MOVQ	·curFrame(SB), R15
	MOVQ	Frame_FS(R15), AX
	CMPQ	AX, ·loadedFS(SB)
	JEQ	fsok
	MOVQ	AX, ·loadedFS(SB)
	MOVQ	AX, DX
	SHRQ	$32, DX
	MOVL	$const_msrFSBase, CX
	WRMSR
fsok:
	LEAQ	·sysStack+const_sysStackSize(SB), SP
	PUSHQ	$const_selKernelData	// SS
	PUSHQ	Frame_SP(R15)
	PUSHQ	Frame_FLAGS(R15)
	PUSHQ	$const_selKernelCode	// CS
	PUSHQ	Frame_IP(R15)
	PUSHQ	Frame_BP(R15)
	MOVQ	Frame_AX(R15), AX
	MOVQ	Frame_BX(R15), BX
	MOVQ	Frame_CX(R15), CX
	MOVQ	Frame_DX(R15), DX
	MOVQ	Frame_SI(R15), SI
	MOVQ	Frame_DI(R15), DI
	MOVQ	Frame_R8(R15), R8
	MOVQ	Frame_R9(R15), R9
	MOVQ	Frame_R10(R15), R10
	MOVQ	Frame_R11(R15), R11
	MOVQ	Frame_R12(R15), R12
	MOVQ	Frame_R13(R15), R13
	MOVQ	Frame_R14(R15), R14
	MOVQ	Frame_R15(R15), R15
	POPQ	BP
	IRETQ

// trapEntry is reached from the stubs of exception vectors 0-31, on an IST
// stack, with the vector and an error code pushed. It saves the registers
// as a TrapFrame, calls trapGo and, if that returns, resumes the
// interrupted code (after a page fault it has mapped the page).
TEXT ·trapEntry(SB),NOSPLIT|NOFRAME,$0
	TESTQ	$3, 24(SP)		// CS of the interrupted code
	JEQ	kerneltrap
	JMP	·userTrap(SB)
kerneltrap:
	PUSHQ	AX
	PUSHQ	BX
	PUSHQ	CX
	PUSHQ	DX
	PUSHQ	SI
	PUSHQ	DI
	PUSHQ	BP
	PUSHQ	R8
	PUSHQ	R9
	PUSHQ	R10
	PUSHQ	R11
	PUSHQ	R12
	PUSHQ	R13
	PUSHQ	R14
	PUSHQ	R15
	MOVQ	SP, ·trapFramePtr(SB)
	// The interrupted code may be in the middle of using X0-X14 (memmove
	// into a page that is being demand-faulted): keep them.
	LEAQ	·trapFPU+15(SB), AX
	ANDQ	$~15, AX
	FXSAVE64	(AX)
	CALL	·trapGo(SB)
	LEAQ	·trapFPU+15(SB), AX
	ANDQ	$~15, AX
	FXRSTOR64	(AX)
	POPQ	R15
	POPQ	R14
	POPQ	R13
	POPQ	R12
	POPQ	R11
	POPQ	R10
	POPQ	R9
	POPQ	R8
	POPQ	BP
	POPQ	DI
	POPQ	SI
	POPQ	DX
	POPQ	CX
	POPQ	BX
	POPQ	AX
	ADDQ	$16, SP
	IRETQ

// irqEntry is reached from the stubs of vectors 32-255. Ring 0 runs with
// interrupts off except in the idle loop's HLT, so an interrupt only needs
// to be acknowledged (LAPIC EOI; none for the spurious vector) and counted,
// and a notification or device interrupt remembered in notifyPending (and
// devPending): the idle loop looks at the clock and that flag when HLT
// returns.
TEXT ·irqEntry(SB),NOSPLIT|NOFRAME,$0
	TESTQ	$3, 24(SP)		// CS of the interrupted code
	JEQ	kernelirq
	JMP	·userTrap(SB)
kernelirq:
	PUSHQ	AX
	MOVQ	8(SP), AX
	CMPQ	AX, $0xFF
	JEQ	spurious
	CMPQ	AX, $const_NotifyVector
	JEQ	notify
	SUBQ	$const_DeviceVectorBase, AX
	CMPQ	AX, $const_DeviceVectors
	JAE	eoi
	PUSHQ	BX			// a device line (devirq.go)
	LEAQ	·devPending(SB), BX
	MOVB	$1, (BX)(AX*1)
	LEAQ	·devLevel(SB), BX
	MOVBLZX	(BX)(AX*1), BX
	TESTL	BX, BX
	POPQ	BX
	MOVL	$1, ·notifyPending(SB)
	JNE	spurious		// level-triggered: acknowledged once masked (DeviceEOI)
	JMP	eoi
notify:
	MOVL	$1, ·notifyPending(SB)
eoi:
	MOVQ	·lapicEOI(SB), AX
	TESTQ	AX, AX
	JEQ	spurious
	MOVL	$0, (AX)
spurious:
	INCQ	·irqCount(SB)
	POPQ	AX
	ADDQ	$16, SP
	IRETQ

// func syscallEntryAddr() uintptr
TEXT ·syscallEntryAddr(SB),NOSPLIT|NOFRAME,$0-8
	LEAQ	·syscallEntry(SB), AX
	MOVQ	AX, ret+0(FP)
	RET

// func vectorTableAddr() uintptr
TEXT ·vectorTableAddr(SB),NOSPLIT|NOFRAME,$0-8
	LEAQ	·vectorTable(SB), AX
	MOVQ	AX, ret+0(FP)
	RET

// func kentryAddr() uintptr
TEXT ·kentryAddr(SB),NOSPLIT|NOFRAME,$0-8
	LEAQ	·kentry(SB), AX
	MOVQ	AX, ret+0(FP)
	RET

// func dataStart() uintptr
TEXT ·dataStart(SB),NOSPLIT|NOFRAME,$0-8
	LEAQ	runtime·data(SB), AX
	MOVQ	AX, ret+0(FP)
	RET

// func dataEnd() uintptr
TEXT ·dataEnd(SB),NOSPLIT|NOFRAME,$0-8
	LEAQ	runtime·end(SB), AX
	MOVQ	AX, ret+0(FP)
	RET
