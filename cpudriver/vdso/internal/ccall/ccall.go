// Package ccall lets the vDSO's host tests call machine code with the
// System V calling convention and read the TSC. Host tests only: the
// guest never imports it.
package ccall

// Call2 calls the code at fn with a1 in RDI and a2 in RSI and returns
// RAX. The code must not use the stack beyond its return address.
func Call2(fn, a1, a2 uintptr) uintptr

// Rdtsc returns the time-stamp counter.
func Rdtsc() uint64
