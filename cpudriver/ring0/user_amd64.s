// Ring-3 entry and exits (see user.go); selectors from desc.go. All exits end in userExit, which returns from
// enterUser to the goroutine that called Run.

#include "go_asm.h"
#include "textflag.h"

// func enterUser()
TEXT ·enterUser(SB),NOSPLIT|NOFRAME,$0
	MOVQ	SP, ·kernSP(SB)
	MOVQ	BP, ·kernBP(SB)
	MOVQ	·loadedFS(SB), AX
	MOVQ	AX, ·kernFS(SB)
	LEAQ	·sysStack+const_sysStackSize(SB), SP
	LEAQ	·ufx+15(SB), AX
	ANDQ	$~15, AX
	FXRSTOR64	(AX)
	MOVQ	·uframe+UserRegs_FS(SB), AX
	MOVQ	AX, DX
	SHRQ	$32, DX
	MOVL	$const_msrFSBase, CX
	WRMSR
	PUSHQ	$(const_selUserData|3)	// SS
	PUSHQ	·uframe+UserRegs_SP(SB)
	PUSHQ	·uframe+UserRegs_FLAGS(SB)
	PUSHQ	$(const_selUserCode|3)	// CS
	PUSHQ	·uframe+UserRegs_IP(SB)
	PUSHQ	·uframe+UserRegs_BP(SB)
	// Switch address spaces only when they differ (every root shares the
	// kernel half: no switch back on the way out).
	MOVQ	·uframe+UserRegs_CR3(SB), AX
	MOVQ	CR3, BX
	CMPQ	AX, BX
	JEQ	samespace
	MOVQ	AX, CR3
samespace:
	MOVQ	·uframe+UserRegs_AX(SB), AX
	MOVQ	·uframe+UserRegs_BX(SB), BX
	MOVQ	·uframe+UserRegs_CX(SB), CX
	MOVQ	·uframe+UserRegs_DX(SB), DX
	MOVQ	·uframe+UserRegs_SI(SB), SI
	MOVQ	·uframe+UserRegs_DI(SB), DI
	MOVQ	·uframe+UserRegs_R8(SB), R8
	MOVQ	·uframe+UserRegs_R9(SB), R9
	MOVQ	·uframe+UserRegs_R10(SB), R10
	MOVQ	·uframe+UserRegs_R11(SB), R11
	MOVQ	·uframe+UserRegs_R12(SB), R12
	MOVQ	·uframe+UserRegs_R13(SB), R13
	MOVQ	·uframe+UserRegs_R14(SB), R14
	MOVQ	·uframe+UserRegs_R15(SB), R15
	POPQ	BP
	IRETQ

// userSyscall: SYSCALL from ring 3 (syscallEntry tells it by the sign of
// RCX, the user RIP). RSP is still the user's.
TEXT ·userSyscall(SB),NOSPLIT|NOFRAME,$0
	MOVQ	SP, ·uframe+UserRegs_SP(SB)
	LEAQ	·sysStack+const_sysStackSize(SB), SP
	MOVQ	CX, ·uframe+UserRegs_IP(SB)
	MOVQ	R11, ·uframe+UserRegs_FLAGS(SB)
	MOVQ	$const_TrapSyscall, ·uframe+UserRegs_Trap(SB)
	MOVQ	$0, ·uframe+UserRegs_ErrCode(SB)
	JMP	·userSaveGPRs(SB)

// userTrap: an exception or interrupt from ring 3, on the IST or RSP0
// stack: vector 0(SP), error code 8(SP), then the processor's frame.
TEXT ·userTrap(SB),NOSPLIT|NOFRAME,$0
	MOVQ	AX, ·uframe+UserRegs_AX(SB)
	MOVQ	0(SP), AX
	MOVQ	AX, ·uframe+UserRegs_Trap(SB)
	MOVQ	8(SP), AX
	MOVQ	AX, ·uframe+UserRegs_ErrCode(SB)
	MOVQ	16(SP), AX
	MOVQ	AX, ·uframe+UserRegs_IP(SB)
	MOVQ	32(SP), AX
	MOVQ	AX, ·uframe+UserRegs_FLAGS(SB)
	MOVQ	40(SP), AX
	MOVQ	AX, ·uframe+UserRegs_SP(SB)
	MOVQ	CR2, AX
	MOVQ	AX, ·uframe+UserRegs_CR2(SB)
	MOVQ	·uframe+UserRegs_AX(SB), AX
	LEAQ	·sysStack+const_sysStackSize(SB), SP
	JMP	·userSaveGPRs(SB)

// userSaveGPRs stores the general registers (AX too: userTrap restored it)
// and falls into userExit.
TEXT ·userSaveGPRs(SB),NOSPLIT|NOFRAME,$0
	MOVQ	AX, ·uframe+UserRegs_AX(SB)
	MOVQ	BX, ·uframe+UserRegs_BX(SB)
	MOVQ	CX, ·uframe+UserRegs_CX(SB)
	MOVQ	DX, ·uframe+UserRegs_DX(SB)
	MOVQ	SI, ·uframe+UserRegs_SI(SB)
	MOVQ	DI, ·uframe+UserRegs_DI(SB)
	MOVQ	BP, ·uframe+UserRegs_BP(SB)
	MOVQ	R8, ·uframe+UserRegs_R8(SB)
	MOVQ	R9, ·uframe+UserRegs_R9(SB)
	MOVQ	R10, ·uframe+UserRegs_R10(SB)
	MOVQ	R11, ·uframe+UserRegs_R11(SB)
	MOVQ	R12, ·uframe+UserRegs_R12(SB)
	MOVQ	R13, ·uframe+UserRegs_R13(SB)
	MOVQ	R14, ·uframe+UserRegs_R14(SB)
	MOVQ	R15, ·uframe+UserRegs_R15(SB)
	JMP	·userExit(SB)

// userExit saves the FPU state, restores the CPU driver's FS,
// acknowledges an interrupt, and returns from enterUser. CR3 stays: the
// process's root maps the kernel half too.
TEXT ·userExit(SB),NOSPLIT|NOFRAME,$0
	LEAQ	·ufx+15(SB), AX
	ANDQ	$~15, AX
	FXSAVE64	(AX)
	MOVQ	·kernFS(SB), AX
	MOVQ	AX, DX
	SHRQ	$32, DX
	MOVL	$const_msrFSBase, CX
	WRMSR
	MOVQ	·uframe+UserRegs_Trap(SB), AX
	CMPQ	AX, $32
	JLT	noeoi
	CMPQ	AX, $0xFF
	JGE	noeoi
	MOVQ	·lapicEOI(SB), AX
	MOVL	$0, (AX)
	INCQ	·irqCount(SB)
noeoi:
	MOVQ	·kernSP(SB), SP
	PUSHQ	·kernBP(SB)
	POPQ	BP
	RET
