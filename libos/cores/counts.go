package cores

import (
	"fmt"
	"syscall"
	"unsafe"

	"multikernel/cpudriver/kpi"
)

// Counts are a spanning program's counts since it started
// (kpi.SysSpanInfo; docs/spanning.md, "Counts"): figures emulation
// cannot distort.
type Counts struct {
	Cores      uint64 // the program's cores (bit c: core c)
	Shootdowns uint64 // TLB shootdowns that reached other cores
	Messages   uint64 // the shootdowns' messages
	CrossNode  uint64 // those of them across NUMA nodes
	CallsHome  uint64 // calls and page faults other cores sent the home core
	Claims     uint64 // pages other cores claimed from fault-around with no message
	// ForeignTables counts page-table pages of the home core's tables
	// that another core wrote, once per page and writing core: pages
	// written by more than one core.
	ForeignTables uint64
	// Dedicated is the cores dedicated to a thread of the program now
	// (Dedicate), not a count.
	Dedicated uint64
}

// ProgramCounts returns the calling program's counts; an error on a
// system without them (Linux: ENOSYS).
func ProgramCounts() (Counts, error) {
	var w [kpi.SpanInfoWords]uint64
	if _, _, e := syscall.RawSyscall(kpi.SysSpanInfo, uintptr(unsafe.Pointer(&w[0])), 0, 0); e != 0 {
		return Counts{}, fmt.Errorf("span info: %w", e)
	}
	return Counts{Cores: w[0], Shootdowns: w[1], Messages: w[2], CrossNode: w[3], CallsHome: w[4], Claims: w[5], ForeignTables: w[6], Dedicated: w[7]}, nil
}

// Since returns the counts c gained after earlier (the same program's).
func (c Counts) Since(earlier Counts) Counts {
	return Counts{Cores: c.Cores, Shootdowns: c.Shootdowns - earlier.Shootdowns, Messages: c.Messages - earlier.Messages,
		CrossNode: c.CrossNode - earlier.CrossNode, CallsHome: c.CallsHome - earlier.CallsHome, Claims: c.Claims - earlier.Claims,
		ForeignTables: c.ForeignTables - earlier.ForeignTables, Dedicated: c.Dedicated}
}
