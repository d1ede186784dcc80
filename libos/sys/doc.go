// Package sys wraps the multikernel's native system calls: the calls a
// program makes to the CPU driver beyond the Linux personality
// (DESIGN.md decision 6). Their numbers start at NativeBase, outside
// Linux's range; a CPU driver that does not know one answers ENOSYS.
//
// It runs in user programs (ring 3) on any core.
package sys
