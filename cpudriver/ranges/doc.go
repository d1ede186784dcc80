// Package ranges is the bookkeeping of a program's address ranges
// (docs/ranges.md): which slots of the range region (kpi.RangeBase to
// kpi.RangeEnd, one PML4 entry each) are in use, attached to which
// cores, and the checks every range call makes on its arguments before
// anything reaches a page table. It is pure logic, host-tested against
// a reference model; the CPU driver (package proc) holds one Table per
// program, on the program's home core, under the program's lock.
package ranges
