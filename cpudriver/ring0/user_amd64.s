// Ring-3 entry and exits (see user.go); selectors from desc.go. All exits
// end in userExit, which returns from enterUser to the goroutine that
// called Run. The thread's registers are at uregs, its FPU image at ufxp
// (XMM and MXCSR only: the x87 state stays in the FPU, user.go).

#include "go_asm.h"
#include "textflag.h"

// func enterUser()
TEXT ·enterUser(SB),NOSPLIT|NOFRAME,$0
	MOVQ	SP, ·kernSP(SB)
	MOVQ	BP, ·kernBP(SB)
	MOVQ	·loadedFS(SB), AX
	MOVQ	AX, ·kernFS(SB)
	LEAQ	·sysStack+const_sysStackSize(SB), SP
	// The thread's XMM registers and MXCSR (user.go: its x87 state is in
	// the FPU already). MXCSR is loaded always: the CPU driver's float
	// operations may have set exception flags in it since the exit. Run
	// has cleared the bits LDMXCSR would fault on.
	MOVQ	·ufxp(SB), AX
	LDMXCSR	const_fxMXCSR(AX)
	MOVUPS	(const_fxXMM+0)(AX), X0
	MOVUPS	(const_fxXMM+16)(AX), X1
	MOVUPS	(const_fxXMM+32)(AX), X2
	MOVUPS	(const_fxXMM+48)(AX), X3
	MOVUPS	(const_fxXMM+64)(AX), X4
	MOVUPS	(const_fxXMM+80)(AX), X5
	MOVUPS	(const_fxXMM+96)(AX), X6
	MOVUPS	(const_fxXMM+112)(AX), X7
	MOVUPS	(const_fxXMM+128)(AX), X8
	MOVUPS	(const_fxXMM+144)(AX), X9
	MOVUPS	(const_fxXMM+160)(AX), X10
	MOVUPS	(const_fxXMM+176)(AX), X11
	MOVUPS	(const_fxXMM+192)(AX), X12
	MOVUPS	(const_fxXMM+208)(AX), X13
	MOVUPS	(const_fxXMM+224)(AX), X14
	MOVUPS	(const_fxXMM+240)(AX), X15
	MOVQ	·uregs(SB), R15
	MOVQ	UserRegs_FS(R15), AX
	MOVQ	AX, DX
	SHRQ	$32, DX
	MOVL	$const_msrFSBase, CX
	WRMSR
	CMPL	·useSysret(SB), $0
	JNE	sysret
	PUSHQ	$(const_selUserData|3)	// SS
	PUSHQ	UserRegs_SP(R15)
	PUSHQ	UserRegs_FLAGS(R15)
	PUSHQ	$(const_selUserCode|3)	// CS
	PUSHQ	UserRegs_IP(R15)
	PUSHQ	UserRegs_BP(R15)
	// Switch address spaces only when they differ (every root shares the
	// kernel half: no switch back on the way out).
	MOVQ	UserRegs_CR3(R15), AX
	CMPQ	AX, ·loadedCR3(SB)
	JEQ	samespace
	MOVQ	AX, CR3
	MOVQ	AX, ·loadedCR3(SB)
samespace:
	MOVQ	UserRegs_AX(R15), AX
	MOVQ	UserRegs_BX(R15), BX
	MOVQ	UserRegs_CX(R15), CX
	MOVQ	UserRegs_DX(R15), DX
	MOVQ	UserRegs_SI(R15), SI
	MOVQ	UserRegs_DI(R15), DI
	MOVQ	UserRegs_R8(R15), R8
	MOVQ	UserRegs_R9(R15), R9
	MOVQ	UserRegs_R10(R15), R10
	MOVQ	UserRegs_R11(R15), R11
	MOVQ	UserRegs_R12(R15), R12
	MOVQ	UserRegs_R13(R15), R13
	MOVQ	UserRegs_R14(R15), R14
	MOVQ	UserRegs_R15(R15), R15
	POPQ	BP
	IRETQ

// sysret enters ring 3 with SYSRETQ when that gives the same registers as
// IRETQ would (Run sets useSysret: RCX holds the IP and R11 the flags, as
// right after a SYSCALL): RIP from RCX, RFLAGS from R11, CS and SS from
// STAR. RSP is the user's from here to SYSRETQ; ring 0 runs with
// interrupts off and exceptions use IST stacks, so nothing is pushed on it.
sysret:
	MOVQ	UserRegs_CR3(R15), AX
	CMPQ	AX, ·loadedCR3(SB)
	JEQ	sysretspace
	MOVQ	AX, CR3
	MOVQ	AX, ·loadedCR3(SB)
sysretspace:
	MOVQ	UserRegs_AX(R15), AX
	MOVQ	UserRegs_BX(R15), BX
	MOVQ	UserRegs_IP(R15), CX
	MOVQ	UserRegs_DX(R15), DX
	MOVQ	UserRegs_SI(R15), SI
	MOVQ	UserRegs_DI(R15), DI
	MOVQ	UserRegs_BP(R15), BP
	MOVQ	UserRegs_R8(R15), R8
	MOVQ	UserRegs_R9(R15), R9
	MOVQ	UserRegs_R10(R15), R10
	MOVQ	UserRegs_FLAGS(R15), R11
	MOVQ	UserRegs_R12(R15), R12
	MOVQ	UserRegs_R13(R15), R13
	MOVQ	UserRegs_R14(R15), R14
	MOVQ	UserRegs_SP(R15), SP
	MOVQ	UserRegs_R15(R15), R15
	BYTE	$0x48; BYTE $0x0F; BYTE $0x07	// SYSRETQ

// userSyscall: SYSCALL from ring 3 (syscallEntry tells it by the sign of
// RCX, the user RIP). RSP is still the user's.
TEXT ·userSyscall(SB),NOSPLIT|NOFRAME,$0
	// The fast path: calls whose answer is a constant of the thread
	// return at once with SYSRETQ, touching no register but AX (RCX and
	// R11 hold the return address and flags, as SYSCALL left them). Run
	// sets fastPID, fastTID and fastOK for the thread it enters; fastOK
	// is 0 for a thread whose calls must all reach Go (strace). A return
	// address past the lower half (SYSCALL as the last instruction of it)
	// takes the slow path, which refuses it: SYSRETQ must never see a
	// non-canonical RCX.
	CMPL	·fastOK(SB), $0
	JEQ	slow
	BTQ	$47, CX
	JCS	slow
	CMPQ	AX, $const_fastCalls
	JAE	slow
	BTQ	AX, ·fastMask(SB)	// bit AX of the bit string: one of the calls below?
	JCC	slow
	CMPQ	AX, $const_sysGetpid
	JEQ	getpid
	CMPQ	AX, $const_sysGettid
	JEQ	gettid
	CMPQ	AX, $const_sysGetuid
	JEQ	zero
	CMPQ	AX, $const_sysGetgid
	JEQ	zero
	CMPQ	AX, $const_sysGeteuid
	JEQ	zero
	CMPQ	AX, $const_sysGetegid
	JEQ	zero
	CMPQ	AX, $const_sysGetppid
	JEQ	zero
	JMP	slow
getpid:
	MOVQ	·fastPID(SB), AX
	BYTE	$0x48; BYTE $0x0F; BYTE $0x07	// SYSRETQ
gettid:
	MOVQ	·fastTID(SB), AX
	BYTE	$0x48; BYTE $0x0F; BYTE $0x07	// SYSRETQ
zero:
	XORL	AX, AX
	BYTE	$0x48; BYTE $0x0F; BYTE $0x07	// SYSRETQ
slow:
	MOVQ	AX, ·scratchAX(SB)
	MOVQ	·uregs(SB), AX
	MOVQ	SP, UserRegs_SP(AX)
	LEAQ	·sysStack+const_sysStackSize(SB), SP
	MOVQ	CX, UserRegs_IP(AX)
	MOVQ	R11, UserRegs_FLAGS(AX)
	MOVQ	$const_TrapSyscall, UserRegs_Trap(AX)
	MOVQ	$0, UserRegs_ErrCode(AX)
	JMP	·userSaveGPRs(SB)

// userTrap: an exception or interrupt from ring 3, on the IST or RSP0
// stack: vector 0(SP), error code 8(SP), then the processor's frame.
TEXT ·userTrap(SB),NOSPLIT|NOFRAME,$0
	MOVQ	AX, ·scratchAX(SB)
	MOVQ	·uregs(SB), AX
	MOVQ	BX, UserRegs_BX(AX)		// BX is the scratch below
	MOVQ	0(SP), BX
	MOVQ	BX, UserRegs_Trap(AX)
	MOVQ	8(SP), BX
	MOVQ	BX, UserRegs_ErrCode(AX)
	MOVQ	16(SP), BX
	MOVQ	BX, UserRegs_IP(AX)
	MOVQ	32(SP), BX
	MOVQ	BX, UserRegs_FLAGS(AX)
	MOVQ	40(SP), BX
	MOVQ	BX, UserRegs_SP(AX)
	MOVQ	CR2, BX
	MOVQ	BX, UserRegs_CR2(AX)
	MOVQ	UserRegs_BX(AX), BX
	LEAQ	·sysStack+const_sysStackSize(SB), SP
	JMP	·userSaveGPRs(SB)

// userSaveGPRs stores the general registers: AX holds uregs, the user's
// AX is in scratchAX. It falls into userExit.
TEXT ·userSaveGPRs(SB),NOSPLIT|NOFRAME,$0
	MOVQ	BX, UserRegs_BX(AX)
	MOVQ	CX, UserRegs_CX(AX)
	MOVQ	DX, UserRegs_DX(AX)
	MOVQ	SI, UserRegs_SI(AX)
	MOVQ	DI, UserRegs_DI(AX)
	MOVQ	BP, UserRegs_BP(AX)
	MOVQ	R8, UserRegs_R8(AX)
	MOVQ	R9, UserRegs_R9(AX)
	MOVQ	R10, UserRegs_R10(AX)
	MOVQ	R11, UserRegs_R11(AX)
	MOVQ	R12, UserRegs_R12(AX)
	MOVQ	R13, UserRegs_R13(AX)
	MOVQ	R14, UserRegs_R14(AX)
	MOVQ	R15, UserRegs_R15(AX)
	MOVQ	·scratchAX(SB), BX
	MOVQ	BX, UserRegs_AX(AX)
	JMP	·userExit(SB)

// userExit saves the thread's XMM registers and MXCSR (the x87 state
// stays in the FPU: user.go), loads the CPU driver's MXCSR if the
// thread's differs, restores the CPU driver's FS, acknowledges an
// interrupt, and returns from enterUser. CR3 stays: the process's root
// maps the kernel half too. AX holds uregs.
TEXT ·userExit(SB),NOSPLIT|NOFRAME,$0
	MOVQ	UserRegs_Trap(AX), BX
	MOVQ	·ufxp(SB), AX
	MOVUPS	X0, (const_fxXMM+0)(AX)
	MOVUPS	X1, (const_fxXMM+16)(AX)
	MOVUPS	X2, (const_fxXMM+32)(AX)
	MOVUPS	X3, (const_fxXMM+48)(AX)
	MOVUPS	X4, (const_fxXMM+64)(AX)
	MOVUPS	X5, (const_fxXMM+80)(AX)
	MOVUPS	X6, (const_fxXMM+96)(AX)
	MOVUPS	X7, (const_fxXMM+112)(AX)
	MOVUPS	X8, (const_fxXMM+128)(AX)
	MOVUPS	X9, (const_fxXMM+144)(AX)
	MOVUPS	X10, (const_fxXMM+160)(AX)
	MOVUPS	X11, (const_fxXMM+176)(AX)
	MOVUPS	X12, (const_fxXMM+192)(AX)
	MOVUPS	X13, (const_fxXMM+208)(AX)
	MOVUPS	X14, (const_fxXMM+224)(AX)
	MOVUPS	X15, (const_fxXMM+240)(AX)
	// The CPU driver runs with the thread's exception flags (bits 0-5:
	// sticky status, which it never reads) but its own control bits.
	STMXCSR	const_fxMXCSR(AX)
	MOVL	const_fxMXCSR(AX), CX
	XORL	·kernMXCSR(SB), CX
	TESTL	$~const_mxcsrFlags, CX
	JEQ	mxcsrkern
	LDMXCSR	·kernMXCSR(SB)
mxcsrkern:
	MOVQ	·kernFS(SB), AX
	MOVQ	AX, DX
	SHRQ	$32, DX
	MOVL	$const_msrFSBase, CX
	WRMSR
	CMPQ	BX, $32
	JLT	noeoi
	CMPQ	BX, $0xFF
	JGE	noeoi
	MOVQ	BX, CX			// a level-triggered device line is
	SUBQ	$const_DeviceVectorBase, CX	// acknowledged once masked (devirq.go)
	CMPQ	CX, $const_DeviceVectors
	JAE	eoi
	LEAQ	·devLevel(SB), DX
	MOVBLZX	(DX)(CX*1), DX
	TESTL	DX, DX
	JNE	counted
eoi:
	MOVQ	·lapicEOI(SB), AX
	MOVL	$0, (AX)
counted:
	INCQ	·irqCount(SB)
noeoi:
	MOVQ	·kernSP(SB), SP
	PUSHQ	·kernBP(SB)
	POPQ	BP
	RET

// func fxsave64(p uintptr)
TEXT ·fxsave64(SB),NOSPLIT,$0-8
	MOVQ	p+0(FP), AX
	FXSAVE64	(AX)
	RET

// func fxrstor64(p uintptr)
TEXT ·fxrstor64(SB),NOSPLIT,$0-8
	MOVQ	p+0(FP), AX
	FXRSTOR64	(AX)
	RET
