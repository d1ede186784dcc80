// Package proc runs unmodified static linux/amd64 programs in ring 3 on
// this core: it loads their ELF images into address spaces of their own,
// runs each thread as a goroutine that enters ring 3 through ring0.Run and
// handles what brings it back (system calls with Linux semantics, page
// faults with demand paging, signals, the time-slice interrupt) as
// ordinary Go. It also enforces the core's capabilities (capsys.go, the
// database in cap.DB) and runs the CPU driver's half of the memory service
// and of the monitors' two-phase protocol (docs/capabilities.md).
//
// Everything here runs in this core's CPU driver, after its runtime is up.
// A Process and its Threads are owned by this core; the fields shared by a
// process's threads are guarded by Process.mu; the capability state
// (capCore) by capCore.mu, taken before a process's lock. A process's
// pages and page tables come from RAM capabilities of this core
// (memacct.go, vnodes.go), memory of its own NUMA node first.
//
// Where things are, by file: processes and threads (process.go,
// thread.go, load.go, space.go, systhread.go, signal.go, futex.go, cputime.go,
// vdso.go); the Linux calls by area (syscall.go dispatches: sysmem.go
// memory, signal.go signals, syscall.go time, fd.go, pipe.go, stdin.go and
// sysfile.go descriptors, rlimit.go limits, random.go, sysport.go); the
// native calls (native.go, one table with each call's authorization);
// capabilities (capsys.go, captransfer.go, capdist.go, vnodes.go);
// memory accounting and the service (memacct.go, memserv.go,
// memlimit.go); devices (devcaps.go, grants.go); the monitor link
// (monlink.go, client.go, notify.go, machine.go).
package proc
