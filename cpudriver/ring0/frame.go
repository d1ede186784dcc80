package ring0

// Frame is the register state of a runtime thread stopped in a system call.
// Its field offsets are used by entry_amd64.s through go_asm.h.
type Frame struct {
	AX, BX, CX, DX, SI, DI, BP           uint64
	R8, R9, R10, R11, R12, R13, R14, R15 uint64
	IP, FLAGS, SP                        uint64
	// FS is the thread's FS base (its TLS pointer, set by arch_prctl or
	// clone).
	FS uint64
}

// TrapFrame is what trapEntry leaves on the IST stack: the general registers
// it pushed (R15 lowest), the vector and error code pushed by the vector
// stub, then the processor's interrupt frame (Intel SDM vol. 3, 6.14.2).
type TrapFrame struct {
	R15, R14, R13, R12, R11, R10, R9, R8 uint64
	BP, DI, SI, DX, CX, BX, AX           uint64
	Vector, ErrCode                      uint64
	IP, CS, FLAGS, SP, SS                uint64
}
