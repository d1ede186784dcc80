package ranges

import (
	"math/bits"

	"multikernel/cpudriver/kpi"
)

// pageSize is the granularity of every address and length a range call
// takes.
const pageSize = 4096

// state of a slot: free, live (attached to its cores) or retired.
const (
	free = iota
	live
	retired
)

// Table is one program's ranges, by slot (0 to kpi.MaxRanges-1, the
// range at kpi.RangeBase + slot*kpi.RangeSize). A shared range's slot is
// retired when the range is deleted and never reused: the other cores'
// roots may still hold its PML4 entry, which stays until the program
// ends (docs/ranges.md). A private range's slot is free again.
type Table struct {
	state [kpi.MaxRanges]uint8
	cores [kpi.MaxRanges]uint64
}

// Base returns the address of slot's range.
func Base(slot int) uint64 { return kpi.RangeBase + uint64(slot)*kpi.RangeSize }

// SlotOf returns the slot whose range holds va, false for an address
// outside the range region.
func SlotOf(va uint64) (int, bool) {
	if va < kpi.RangeBase || va >= kpi.RangeEnd {
		return 0, false
	}
	return int((va - kpi.RangeBase) / kpi.RangeSize), true
}

// AtBase returns the slot whose range starts at base, false if base is
// not a range's first address.
func AtBase(base uint64) (int, bool) {
	s, ok := SlotOf(base)
	return s, ok && base == Base(s)
}

// InRegion reports whether [start, end) overlaps the range region.
func InRegion(start, end uint64) bool { return start < kpi.RangeEnd && kpi.RangeBase < end }

// PML4Slot returns the PML4 entry index of range slot.
func PML4Slot(slot int) int { return int(Base(slot) >> 39) }

// Private returns the one core of a range attached to cores, false if
// it is attached to more than one (a shared range).
func Private(cores uint64) (int, bool) {
	if bits.OnesCount64(cores) != 1 {
		return 0, false
	}
	return bits.TrailingZeros64(cores), true
}

// New makes a range attached to cores, which must be a nonempty subset
// of allowed (the cores the program may run on), and returns its slot,
// or an errno: EINVAL for a bad set of cores, ENOSPC when every slot is
// taken or retired.
func (t *Table) New(cores, allowed uint64) (int, int64) {
	if cores == 0 || cores&^allowed != 0 {
		return 0, -kpi.EINVAL
	}
	for s := range t.state {
		if t.state[s] == free {
			t.state[s], t.cores[s] = live, cores
			return s, 0
		}
	}
	return 0, -kpi.ENOSPC
}

// Cores returns the cores slot's range is attached to, false if no live
// range has the slot.
func (t *Table) Cores(slot int) (uint64, bool) {
	if slot < 0 || slot >= kpi.MaxRanges || t.state[slot] != live {
		return 0, false
	}
	return t.cores[slot], true
}

// Delete ends the live range at base (exactly a range's base): its slot
// is free again if it was private, retired if shared. It returns the
// slot and the cores it was attached to, or EINVAL.
func (t *Table) Delete(base uint64) (int, uint64, int64) {
	s, ok := AtBase(base)
	if !ok || t.state[s] != live {
		return 0, 0, -kpi.EINVAL
	}
	cores := t.cores[s]
	t.cores[s] = 0
	t.state[s] = retired
	if _, private := Private(cores); private {
		t.state[s] = free
	}
	return s, cores, 0
}

// Live returns the live ranges' slots, lowest first.
func (t *Table) Live() []int {
	var s []int
	for i := range t.state {
		if t.state[i] == live {
			s = append(s, i)
		}
	}
	return s
}

// Span checks the [addr, addr+length) a range call names: page aligned,
// nonzero and inside one range's slot. It returns the slot, or EINVAL.
// Whether a range lives there is the caller's look-up (Cores).
func Span(addr, length uint64) (int, int64) {
	end := addr + length
	if addr%pageSize != 0 || length%pageSize != 0 || length == 0 || end < addr {
		return 0, -kpi.EINVAL
	}
	s, ok := SlotOf(addr)
	if !ok || end > Base(s)+kpi.RangeSize {
		return 0, -kpi.EINVAL
	}
	return s, 0
}
