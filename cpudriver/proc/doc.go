// Package proc runs unmodified static linux/amd64 programs in ring 3 on
// this core: processes and their threads. It loads a program's ELF image
// into an address space of its own (cpudriver/addrspace), runs each
// thread as a goroutine that enters ring 3 through ring0.Run, and
// handles what brings it back: a system call goes through one table by
// number (syscall.go; the handlers are cpudriver/linux's and
// cpudriver/native's, installed at boot), a page fault to demand paging,
// a fault with a handler to a Linux signal frame (signal.go), the
// time-slice and device interrupts to the core's other goroutines. It
// also keeps a process's CPU time (cputime.go), the core's count of
// runnable threads that sched_yield consults (yield.go) and resource
// limits (limits.go), and gives capsys and devices the process they act
// for (holder.go).
//
// Everything here runs in this core's CPU driver, after its runtime is
// up. A Process and its Threads are owned by this core. The fields a
// process's threads share are guarded by its lock (Process.mu), which
// also guards its address space; a thread's registers, FPU state, signal
// mask and alternate stack are its own goroutine's. The lock order is:
// the core's capability lock (capcore), then a process's lock, then a
// descriptor table's or futex table's own lock. Nothing waits for the
// monitor with a process's lock held, and a copy of user memory
// (WithSpace) drops it to grow the memory account.
package proc
