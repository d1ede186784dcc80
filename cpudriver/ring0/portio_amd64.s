// 32-bit port I/O (Intel SDM vol. 2, IN and OUT with the port in DX), for
// PCI configuration mechanism #1 (pci.go). NOSPLIT leaf functions with no
// frame, like the port I/O in cpu_amd64.s.

#include "textflag.h"

// func inl(port uint16) uint32
TEXT ·inl(SB),NOSPLIT|NOFRAME,$0-12
	MOVW	port+0(FP), DX
	INL
	MOVL	AX, ret+8(FP)
	RET

// func outl(port uint16, v uint32)
TEXT ·outl(SB),NOSPLIT|NOFRAME,$0-8
	MOVW	port+0(FP), DX
	MOVL	v+4(FP), AX
	OUTL
	RET

// func inw(port uint16) uint16
TEXT ·inw(SB),NOSPLIT|NOFRAME,$0-10
	MOVW	port+0(FP), DX
	XORL	AX, AX
	INW
	MOVW	AX, ret+8(FP)
	RET

// func outw(port uint16, v uint16)
TEXT ·outw(SB),NOSPLIT|NOFRAME,$0-4
	MOVW	port+0(FP), DX
	MOVW	v+2(FP), AX
	OUTW
	RET

// func outsb(port uint16, p *byte, n uintptr)
TEXT ·outsb(SB),NOSPLIT|NOFRAME,$0-24
	MOVW	port+0(FP), DX
	MOVQ	p+8(FP), SI
	MOVQ	n+16(FP), CX
	CLD
	REP; OUTSB
	RET
