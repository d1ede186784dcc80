#include "textflag.h"

// func Call2(fn, a1, a2 uintptr) uintptr
TEXT ·Call2(SB),NOSPLIT,$16-32
	MOVQ	fn+0(FP), AX
	MOVQ	a1+8(FP), DI
	MOVQ	a2+16(FP), SI
	CALL	AX
	MOVQ	AX, ret+24(FP)
	RET

// func Rdtsc() uint64
TEXT ·Rdtsc(SB),NOSPLIT,$0-8
	RDTSC
	SHLQ	$32, DX
	ORQ	DX, AX
	MOVQ	AX, ret+0(FP)
	RET
