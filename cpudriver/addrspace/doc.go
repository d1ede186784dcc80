// Package addrspace is a program's address space on this core: its
// page-table root (the kernel half this core's, the lower half the
// program's), the areas that say what may be mapped where (vmas), demand
// paging, checked copies to and from user memory, pinned mappings of
// frames that are not the program's to free (channel frames, capability
// mappings, the vDSO), and the ELF loader with the initial stack.
//
// A Space belongs to one process of this core and is guarded by that
// process's lock; its pages and page tables come from the process's
// memory account (cpudriver/memory), grown with the core's capability
// lock held and the space's not (the lock order is capcore's, then the
// space's): an operation that finds the account empty returns
// memory.ErrNeedMemory, and the caller grows the account and tries again.
package addrspace
