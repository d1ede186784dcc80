// Package pagetable builds and changes x86-64 four-level page tables
// (AMD64 APM vol. 2, 5.3; Intel SDM vol. 3, 4.5) in physical memory reached
// through a physmem.Pool's direct map.
//
// The functions take the root (the physical address CR3 holds) and the pool
// that supplies and receives table pages, so the same code runs in the CPU
// driver (on the core's own tables, beneath its runtime: everything here is
// //go:nosplit and allocation-free) and on the host, where tests back the
// "physical memory" with a byte slice. The caller owns the tables it passes
// and flushes the TLB after changing a present entry.
package pagetable
