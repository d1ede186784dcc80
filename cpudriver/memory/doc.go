// Package memory is the CPU driver's memory for programs: the core's RAM
// capabilities (roots.go), each process's memory account and the page
// tables made from it as VNode capabilities (account.go, vnodes.go), the
// memory service through which cores pass RAM to each other
// (service.go), and a process's limit on what it asks the service for
// (quota.go). docs/capabilities.md, "Memory" and "The memory service",
// describes the design.
//
// Everything here is this core's own; it is guarded by the core's
// capability lock (capcore), except an account and a VNode set, which are
// guarded by the lock of the address space that owns them. The lock order
// is capcore's lock, then the space's. Nothing here waits for the monitor
// with a lock held.
package memory

// pageSize is the size of the pages accounts hand out.
const pageSize = 4096
