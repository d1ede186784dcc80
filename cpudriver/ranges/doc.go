// Package ranges is the bookkeeping of a program's address ranges
// (docs/ranges.md): which PML4 slots of the lower half hold ranges, by
// the ranges' indexes (at most kpi.MaxRanges), attached to which
// cores, and the checks every range call makes on its arguments before
// anything reaches a page table. It is pure logic, host-tested against
// a reference model; the CPU driver (package proc) holds one Table per
// program, on the program's home core, under the program's lock.
package ranges
