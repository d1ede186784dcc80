// Package physmem is a core's pool of free physical 4 KiB pages.
//
// Each core owns one Pool, built from the memory of its own NUMA node, and
// only that core's CPU driver touches it, with interrupts off: there is no
// lock. The pool hands out pages by bumping through ranges it has never
// used and by popping a list of freed pages threaded through the pages
// themselves (the first word of a free page holds the physical address of
// the next one, 0 ends the list).
//
// The pool reaches physical memory through the direct map: the physical
// address p is at virtual address DirectMap+p. On the host, tests point
// DirectMap at a byte slice standing in for physical memory.
//
// Every method is //go:nosplit and allocation-free: the CPU driver calls them
// beneath its Go runtime, from the system-call and page-fault paths.
package physmem
