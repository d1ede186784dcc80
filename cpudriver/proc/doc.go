// Package proc runs unmodified static linux/amd64 programs in ring 3 on
// this core: it loads their ELF images into address spaces of their own,
// runs each thread as a goroutine that enters ring 3 through ring0.Run and
// handles what brings it back (system calls with Linux semantics, page
// faults with demand paging, the time-slice interrupt) as ordinary Go.
//
// Everything here runs in this core's CPU driver, after its runtime is up.
// A Process and its Threads are owned by this core; the fields shared by a
// process's threads are guarded by Process.mu. Physical pages come from
// this core's pool (memory of its own NUMA node).
package proc
