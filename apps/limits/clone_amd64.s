#include "textflag.h"

// func rawThread(flags, stack uintptr, word *uint32) (tid int64)
// Makes a thread with clone(flags, stack) that runs no Go code: it waits
// on the futex word until the word is not 0, then exits. The parent gets
// the child's id or a negative errno.
TEXT ·rawThread(SB),NOSPLIT,$0-32
	MOVQ	flags+0(FP), DI
	MOVQ	stack+8(FP), SI
	MOVQ	word+16(FP), R12	// the child keeps it: clone preserves registers
	XORQ	DX, DX
	XORQ	R10, R10
	XORQ	R8, R8
	MOVQ	$56, AX	// clone
	SYSCALL
	CMPQ	AX, $0
	JEQ	child
	MOVQ	AX, tid+24(FP)
	RET
child:
	MOVL	(R12), AX
	CMPL	AX, $0
	JNE	done
	MOVQ	R12, DI
	MOVQ	$128, SI	// FUTEX_WAIT_PRIVATE
	XORQ	DX, DX	// while the word is 0
	XORQ	R10, R10	// no timeout
	MOVQ	$202, AX	// futex
	SYSCALL
	JMP	child
done:
	XORQ	DI, DI
	MOVQ	$60, AX	// exit: this thread only
	SYSCALL
	JMP	done
