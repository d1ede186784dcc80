#include "textflag.h"

// func childExits(nr, a0, a1, a2, a3, a4, a5 uintptr) uintptr
//
// Makes the clone-like system call nr with every signal blocked, so that
// the child starts with them blocked too: a signal for the process must
// not run Go's handler on the child. The child (RAX 0 after the SYSCALL,
// on whatever stack the arguments gave it) calls exit at once, touching
// no memory: it runs no Go code. The parent restores its signal mask and
// returns RAX.
TEXT ·childExits(SB),NOSPLIT,$24-64
	MOVQ	$-1, 0(SP)	// every signal
	MOVL	$14, AX		// rt_sigprocmask(SIG_SETMASK, &all, &old, 8)
	MOVL	$2, DI
	LEAQ	0(SP), SI
	LEAQ	8(SP), DX
	MOVL	$8, R10
	SYSCALL
	MOVQ	nr+0(FP), AX
	MOVQ	a0+8(FP), DI
	MOVQ	a1+16(FP), SI
	MOVQ	a2+24(FP), DX
	MOVQ	a3+32(FP), R10
	MOVQ	a4+40(FP), R8
	MOVQ	a5+48(FP), R9
	SYSCALL
	TESTQ	AX, AX
	JEQ	child
	MOVQ	AX, 16(SP)
	MOVL	$14, AX		// rt_sigprocmask(SIG_SETMASK, &old, nil, 8)
	MOVL	$2, DI
	LEAQ	8(SP), SI
	XORL	DX, DX
	MOVL	$8, R10
	SYSCALL
	MOVQ	16(SP), AX
	MOVQ	AX, ret+56(FP)
	RET
child:
	MOVL	$60, AX		// exit(0)
	XORL	DI, DI
	SYSCALL
	JMP	child

// func archSetFS(addr uintptr) uintptr
//
// Makes arch_prctl(ARCH_SET_FS, addr) and puts the thread's FS base back
// at once (Go keeps its g there), with every signal blocked in between so
// that no handler runs on the borrowed FS. It returns RAX of the call; a
// failed ARCH_GET_FS returns its own result and sets nothing.
TEXT ·archSetFS(SB),NOSPLIT,$32-16
	MOVQ	$-1, 0(SP)	// every signal
	MOVL	$14, AX		// rt_sigprocmask(SIG_SETMASK, &all, &old, 8)
	MOVL	$2, DI
	LEAQ	0(SP), SI
	LEAQ	8(SP), DX
	MOVL	$8, R10
	SYSCALL
	MOVL	$158, AX	// arch_prctl(ARCH_GET_FS, &fs)
	MOVL	$0x1003, DI
	LEAQ	16(SP), SI
	SYSCALL
	TESTQ	AX, AX
	JNE	unmask
	MOVL	$158, AX	// arch_prctl(ARCH_SET_FS, addr)
	MOVL	$0x1002, DI
	MOVQ	addr+0(FP), SI
	SYSCALL
	MOVQ	AX, 24(SP)
	MOVL	$158, AX	// arch_prctl(ARCH_SET_FS, fs)
	MOVL	$0x1002, DI
	MOVQ	16(SP), SI
	SYSCALL
	MOVQ	24(SP), AX
unmask:
	MOVQ	AX, 24(SP)
	MOVL	$14, AX		// rt_sigprocmask(SIG_SETMASK, &old, nil, 8)
	MOVL	$2, DI
	LEAQ	8(SP), SI
	XORL	DX, DX
	MOVL	$8, R10
	SYSCALL
	MOVQ	24(SP), AX
	MOVQ	AX, ret+8(FP)
	RET
