// Package ranges gives a Go program address ranges, Corey's control over
// what of its address space its cores share (docs/ranges.md): a range is
// a 512 GiB slot of the address space attached to a set of the program's
// cores. A range attached to one core is private to it: its page tables
// are that core's alone, so mapping, faulting and unmapping in it send
// no message and shoot down no other core's TLB, and a thread on any
// other core that touches it faults (SIGSEGV, which
// runtime/debug.SetPanicOnFault turns into a panic). A range attached to
// several cores is shared by them: a mapping or fault on one is seen by
// all, and an unmap shoots down only their TLBs.
//
// A private range is changed only by threads on its core: pin the
// goroutine first (runtime.LockOSThread, then sched_setaffinity to the
// core). The Go heap and every mapping made with mmap stay shared by all
// the program's cores, as in any Go program.
//
// Example (apps/ranges):
//
//	r, err := ranges.New(1 << core)          // private to core
//	buf, err := r.Map(0, 16<<20, ranges.Read|ranges.Write)
//	for i := 0; i < len(buf); i += 4096 {
//		buf[i] = 1 // faults taken on this core, no message
//	}
//	err = r.Delete()
package ranges

import (
	"fmt"
	"syscall"
	"unsafe"

	"multikernel/cpudriver/kpi"
	"multikernel/libos/segments"
)

// Protections for Map, as mmap's.
const (
	Read  = syscall.PROT_READ
	Write = syscall.PROT_WRITE
	Exec  = syscall.PROT_EXEC
)

// Size is the address space a range spans.
const Size = kpi.RangeSize

// Range is one address range of the program.
type Range struct {
	base  uintptr
	cores uint64
}

// New makes a range attached to cores (bit c: core c), which must be
// cores the program may run on.
func New(cores uint64) (*Range, error) {
	b, _, e := syscall.RawSyscall(kpi.SysRangeNew, uintptr(cores), 0, 0)
	if e != 0 {
		return nil, fmt.Errorf("range of cores %#x: %w", cores, e)
	}
	return &Range{base: b, cores: cores}, nil
}

// Base returns the range's first address.
func (r *Range) Base() uintptr { return r.base }

// Cores returns the cores the range is attached to.
func (r *Range) Cores() uint64 { return r.cores }

// AddCore records that the kernel attached the range to core c too
// (libos/cfork does, after SysSpanExtend); it changes nothing itself.
func (r *Range) AddCore(c int) { r.cores |= 1 << c }

// Map makes [off, off+length) of the range demand-zero memory with
// protection prot (page aligned; what was mapped there goes), and
// returns it as a byte slice.
func (r *Range) Map(off, length uint64, prot int) ([]byte, error) {
	if _, _, e := syscall.RawSyscall(kpi.SysRangeMap, r.base+uintptr(off), uintptr(length), uintptr(prot)); e != 0 {
		return nil, fmt.Errorf("range map %#x+%#x: %w", r.base+uintptr(off), length, e)
	}
	return r.Bytes(off, length), nil
}

// Bytes returns [off, off+length) of the range as a byte slice, mapped
// or not (touching an unmapped page of it faults).
func (r *Range) Bytes(off, length uint64) []byte {
	a := r.base + uintptr(off)
	return unsafe.Slice((*byte)(*(*unsafe.Pointer)(unsafe.Pointer(&a))), length)
}

// Unmap removes [off, off+length) of the range and its pages: when it
// returns, no core can reach them.
func (r *Range) Unmap(off, length uint64) error {
	if _, _, e := syscall.RawSyscall(kpi.SysRangeUnmap, r.base+uintptr(off), uintptr(length), 0); e != 0 {
		return fmt.Errorf("range unmap %#x+%#x: %w", r.base+uintptr(off), length, e)
	}
	return nil
}

// Delete removes the range and every mapping in it.
func (r *Range) Delete() error {
	if _, _, e := syscall.RawSyscall(kpi.SysRangeDelete, r.base, 0, 0); e != 0 {
		return fmt.Errorf("range delete %#x: %w", r.base, e)
	}
	return nil
}

// Info is what the CPU driver counts of a range.
type Info struct {
	Cores  uint64 // the cores it is attached to
	Pages  uint64 // pages mapped
	Tables uint64 // page tables of its own (a private range's)
	// Shootdown messages its changes sent to other cores (a shared
	// range of a program spanning cores; a private range's are none).
	ShootdownMessages uint64
}

// Info returns the range's counts; a private range's only from its core
// (EPERM elsewhere), where they are kept.
func (r *Range) Info() (Info, error) {
	var w [4]uint64
	if _, _, e := syscall.RawSyscall(kpi.SysRangeInfo, r.base, uintptr(unsafe.Pointer(&w)), 0); e != 0 {
		return Info{}, fmt.Errorf("range info %#x: %w", r.base, e)
	}
	return Info{Cores: w[0], Pages: w[1], Tables: w[2], ShootdownMessages: w[3]}, nil
}

// MapSegment maps all of seg at [off, off+seg.Size()) of the range with
// protection prot, which the segment's rights must allow (page aligned;
// nothing may be mapped there yet), and returns it as a byte slice. Map
// and Unmap refuse to reach into it; UnmapSegment, seg.Free or deleting
// the range removes it.
func (r *Range) MapSegment(off uint64, seg *segments.Segment, prot int) ([]byte, error) {
	a := r.base + uintptr(off)
	if _, _, e := syscall.RawSyscall(kpi.SysRangeMapFrame, a, uintptr(seg.Slot()), uintptr(prot)); e != 0 {
		return nil, fmt.Errorf("range map segment at %#x: %w", a, e)
	}
	return r.Bytes(off, seg.Size()), nil
}

// UnmapSegment removes the segment MapSegment mapped at off.
func (r *Range) UnmapSegment(off uint64) error {
	a := r.base + uintptr(off)
	if _, _, e := syscall.RawSyscall(kpi.SysCapUnmap, a, 0, 0); e != 0 {
		return fmt.Errorf("range unmap segment at %#x: %w", a, e)
	}
	return nil
}
