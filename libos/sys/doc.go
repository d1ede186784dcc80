// Package sys wraps the multikernel's native system calls: the calls a
// program makes to the CPU driver beyond the Linux personality
// (docs/architecture.md, "Programs in ring 3"). Their numbers, argument
// values and error numbers are in package multikernel/cpudriver/kpi, the
// kernel-user interface, from kpi.NativeBase on, outside Linux's range; a
// CPU driver that does not know one answers ENOSYS.
//
// It runs in user programs (ring 3) on any core.
package sys
