package ranges

import (
	"math/bits"

	"multikernel/cpudriver/kpi"
)

// pageSize is the granularity of every address and length a range call
// takes.
const pageSize = 4096

// Slots is the number of PML4 entries of the lower half: a range takes
// one of them, 1 to Slots-1 (0 holds the program's image).
const Slots = 256

// state of a range: free, live (attached to its cores) or retired.
const (
	free = iota
	live
	retired
)

// Table is one program's ranges, by index (0 to kpi.MaxRanges-1), each
// in one PML4 slot of the lower half (Base). A shared range is retired
// when it is deleted and keeps its index and slot until the program
// ends: the other cores' roots may still hold its PML4 entry (docs/
// ranges.md). A private range's index and slot are free again.
type Table struct {
	state [kpi.MaxRanges]uint8
	cores [kpi.MaxRanges]uint64
	pml4  [kpi.MaxRanges]uint16
	index [Slots]int8 // a PML4 slot's range index + 1 (live or retired), 0: none
}

// Private returns the one core of a range attached to cores, false if
// it is attached to more than one (a shared range).
func Private(cores uint64) (int, bool) {
	if bits.OnesCount64(cores) != 1 {
		return 0, false
	}
	return bits.TrailingZeros64(cores), true
}

// PML4 returns the PML4 slot of va, false for an address past the
// lower half.
func PML4(va uint64) (int, bool) {
	s := va >> 39
	return int(s), s < Slots
}

// New makes a range attached to cores, which must be a nonempty subset
// of allowed (the cores the program may run on), in PML4 slot slot (1 to
// Slots-1, no range's: the caller found it empty), and returns its
// index, or an errno: EINVAL for a bad set of cores or slot, ENOSPC when
// every index is taken or retired.
func (t *Table) New(cores, allowed uint64, slot int) (int, int64) {
	if cores == 0 || cores&^allowed != 0 || slot < 1 || slot >= Slots || t.index[slot] != 0 {
		return 0, -kpi.EINVAL
	}
	for i := range t.state {
		if t.state[i] == free {
			t.state[i], t.cores[i], t.pml4[i] = live, cores, uint16(slot)
			t.index[slot] = int8(i + 1)
			return i, 0
		}
	}
	return 0, -kpi.ENOSPC
}

// Base returns range i's first address (0 if i has no slot).
func (t *Table) Base(i int) uint64 {
	if i < 0 || i >= kpi.MaxRanges || t.state[i] == free {
		return 0
	}
	return uint64(t.pml4[i]) << 39
}

// Slot returns range i's PML4 slot.
func (t *Table) Slot(i int) int { return int(t.pml4[i]) }

// IsRangeSlot reports whether PML4 slot s holds a range, live or
// retired: no ordinary mapping may be there.
func (t *Table) IsRangeSlot(s int) bool { return s >= 0 && s < Slots && t.index[s] != 0 }

// At returns the live range that holds va, false if none does.
func (t *Table) At(va uint64) (int, bool) {
	s, ok := PML4(va)
	if !ok || t.index[s] == 0 {
		return 0, false
	}
	i := int(t.index[s]) - 1
	return i, t.state[i] == live
}

// AtBase returns the live range whose first address is base.
func (t *Table) AtBase(base uint64) (int, bool) {
	i, ok := t.At(base)
	return i, ok && base == t.Base(i)
}

// Cores returns the cores range i is attached to, false if no live range
// has index i.
func (t *Table) Cores(i int) (uint64, bool) {
	if i < 0 || i >= kpi.MaxRanges || t.state[i] != live {
		return 0, false
	}
	return t.cores[i], true
}

// Attach adds core to the cores of range i, a live shared range (cfork:
// the program grew onto core): 0, or EINVAL for a private or no live
// range.
func (t *Table) Attach(i, core int) int64 {
	c, ok := t.Cores(i)
	if _, private := Private(c); !ok || private || core < 0 || core >= 64 {
		return -kpi.EINVAL
	}
	t.cores[i] |= 1 << core
	return 0
}

// Delete ends the live range at base (exactly a range's first address):
// a private range's index and slot are free again, a shared one's
// retired. It returns the index, the cores it was attached to and
// whether its slot is free now, or EINVAL.
func (t *Table) Delete(base uint64) (i int, cores uint64, slotFree bool, errno int64) {
	i, ok := t.AtBase(base)
	if !ok {
		return 0, 0, false, -kpi.EINVAL
	}
	cores = t.cores[i]
	t.cores[i] = 0
	t.state[i] = retired
	if _, private := Private(cores); private {
		t.state[i] = free
		t.index[t.pml4[i]] = 0
		t.pml4[i] = 0
		slotFree = true
	}
	return i, cores, slotFree, 0
}

// Live returns the live ranges' indexes, lowest first.
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
// nonzero and inside one range's slot. It returns the slot's PML4
// index, or EINVAL. Which range lives there is the caller's look-up
// (At).
func Span(addr, length uint64) (int, int64) {
	end := addr + length
	if addr%pageSize != 0 || length%pageSize != 0 || length == 0 || end < addr {
		return 0, -kpi.EINVAL
	}
	s, ok := PML4(addr)
	if !ok || end > uint64(s+1)<<39 {
		return 0, -kpi.EINVAL
	}
	return s, 0
}
