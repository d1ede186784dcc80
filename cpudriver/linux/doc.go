// Package linux is the Go personality's Linux system calls: what an
// unmodified static linux/amd64 Go program calls, with Linux's
// semantics and errnos, grouped by area: memory (mem.go), descriptors
// (files.go, stdin.go; the table is package fds), signals (signals.go;
// delivery is proc's), threads and futexes (threads.go), time (time.go),
// limits (limits.go), and the machine (info.go, ports.go). README.md,
// "What programs may rely on", says what works and what does not yet.
//
// Every handler runs in the calling thread's goroutine of this core's
// CPU driver and holds no lock of its own: it checks its arguments,
// copies user memory through the thread's checked copies
// (proc.Thread.CopyIn, CopyOut), and calls into proc, addrspace or fds,
// whose locks guard what they own. A value from ring 3 that would reach
// a register (an FS base, a stack) is checked here, before it is stored.
package linux
