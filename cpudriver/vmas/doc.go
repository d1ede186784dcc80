// Package vmas keeps the virtual memory areas of one address space: sorted,
// disjoint ranges [Start, End) with their protection, as mmap, munmap and
// mprotect leave them.
//
// The CPU driver uses one Table for its own runtime's heap (beneath the
// runtime: every method is //go:nosplit and allocation-free, the table has a
// fixed capacity) and later one per process. A Table is owned by the core
// whose address space it describes; there is no lock.
package vmas
