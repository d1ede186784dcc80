package vmas

// MaxAreas is the capacity of a Table.
const MaxAreas = 256

// Protection bits, as in Linux's PROT_*.
const (
	Read  = 0x1
	Write = 0x2
	Exec  = 0x4
	// Pinned marks an area that maps frames the process does not own
	// (a URPC channel frame shared with another core): its pages are
	// mapped when the area is made, never demand-paged, and never freed
	// with the process.
	Pinned = 0x8
)

// Area is one virtual memory area. Prot 0 is a reservation (PROT_NONE):
// the range is taken but any access faults.
type Area struct {
	Start, End uint64
	Prot       uint32
}

// Table is a sorted set of disjoint areas; adjacent areas with equal
// protection are merged. The zero value is empty.
type Table struct {
	n     int
	areas [MaxAreas]Area
}

// Len returns the number of areas.
//
//go:nosplit
func (t *Table) Len() int { return t.n }

// At returns area i (0 <= i < Len()).
//
//go:nosplit
func (t *Table) At(i int) Area {
	if i < 0 || i >= t.n || i >= MaxAreas {
		return Area{}
	}
	return t.areas[i]
}

// Find returns the area containing addr.
//
//go:nosplit
func (t *Table) Find(addr uint64) (Area, bool) {
	lo, hi := 0, t.n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if m >= MaxAreas {
			return Area{}, false
		}
		a := t.areas[m]
		switch {
		case addr < a.Start:
			hi = m
		case addr >= a.End:
			lo = m + 1
		default:
			return a, true
		}
	}
	return Area{}, false
}

// Free reports whether no area overlaps [start, end).
//
//go:nosplit
func (t *Table) Free(start, end uint64) bool {
	if end <= start {
		return true // the empty range overlaps nothing
	}
	for i := 0; i < t.n && i < MaxAreas; i++ {
		a := t.areas[i]
		if a.Start < end && start < a.End {
			return false
		}
		if a.Start >= end {
			break
		}
	}
	return true
}

// FindGap returns the lowest address >= from, aligned to align (a power of
// two), at which size bytes fit below limit without overlapping an area.
//
//go:nosplit
func (t *Table) FindGap(from, limit, size, align uint64) (uint64, bool) {
	if align == 0 {
		align = 1
	}
	addr := (from + align - 1) &^ (align - 1)
	for i := 0; i <= t.n && i <= MaxAreas; i++ {
		if addr < from || addr+size < addr {
			return 0, false // overflow
		}
		next := limit
		if i < t.n && i < MaxAreas {
			a := t.areas[i]
			if a.End <= addr {
				continue
			}
			next = a.Start
			if next > limit {
				next = limit
			}
			if addr+size <= next {
				return addr, true
			}
			if a.End > ^uint64(0)-(align-1) {
				return 0, false // aligning past the area wraps
			}
			addr = (a.End + align - 1) &^ (align - 1)
			continue
		}
		if addr+size <= next {
			return addr, true
		}
	}
	return 0, false
}

// Set gives [start, end) the protection prot, replacing whatever areas
// covered it. It reports false (and changes nothing) when the table would
// need more than MaxAreas areas.
//
//go:nosplit
func (t *Table) Set(start, end uint64, prot uint32) bool {
	return t.replace(start, end, prot, true)
}

// Remove takes [start, end) out of the table. It reports false (and changes
// nothing) when splitting an area would need more than MaxAreas areas.
//
//go:nosplit
func (t *Table) Remove(start, end uint64) bool {
	return t.replace(start, end, 0, false)
}

// replace cuts [start, end) out of every area, then inserts it with prot if
// insert is set, merging with equal neighbours.
//
//go:nosplit
func (t *Table) replace(start, end uint64, prot uint32, insert bool) bool {
	if end <= start {
		return true
	}
	// first: index of the first area ending after start;
	// last: index of the first area starting at or after end.
	first := 0
	for first < t.n && first < MaxAreas && t.areas[first].End <= start {
		first++
	}
	last := first
	for last < t.n && last < MaxAreas && t.areas[last].Start < end {
		last++
	}
	// The pieces that survive at either side.
	var left, right Area
	hasLeft := first < last && t.areas[first].Start < start
	hasRight := first < last && t.areas[last-1].End > end
	if hasLeft {
		left = t.areas[first]
		left.End = start
	}
	if hasRight {
		right = t.areas[last-1]
		right.Start = end
	}
	if insert {
		// Absorb equal neighbours now, so that newN below is the final
		// count: a full table still takes a change that merges.
		if hasLeft && left.Prot == prot {
			start, hasLeft = left.Start, false
		} else if !hasLeft && first > 0 && first <= MaxAreas && t.areas[first-1].End == start && t.areas[first-1].Prot == prot {
			first--
			start = t.areas[first].Start
		}
		if hasRight && right.Prot == prot {
			end, hasRight = right.End, false
		} else if !hasRight && last < t.n && last < MaxAreas && t.areas[last].Start == end && t.areas[last].Prot == prot {
			end = t.areas[last].End
			last++
		}
	}
	var mid [3]Area
	k := 0
	if hasLeft {
		mid[k] = left
		k++
	}
	if insert {
		mid[k] = Area{start, end, prot}
		k++
	}
	if hasRight {
		mid[k] = right
		k++
	}
	newN := t.n - (last - first) + k
	if newN > MaxAreas {
		return false
	}
	// Move the tail to make room for exactly k areas at first.
	shift := k - (last - first)
	if shift > 0 {
		for i := t.n - 1; i >= last; i-- {
			t.areas[i+shift] = t.areas[i]
		}
	} else if shift < 0 {
		for i := last; i < t.n; i++ {
			t.areas[i+shift] = t.areas[i]
		}
	}
	for i := 0; i < k; i++ {
		t.areas[first+i] = mid[i]
	}
	t.n = newN
	t.merge(first-1, first+k)
	return true
}

// merge joins equal-protection neighbours among areas lo..hi (clamped).
//
//go:nosplit
func (t *Table) merge(lo, hi int) {
	if lo < 0 {
		lo = 0
	}
	for i := lo; i < hi && i+1 < t.n && i+1 < MaxAreas; {
		a, b := t.areas[i], t.areas[i+1]
		if a.End == b.Start && a.Prot == b.Prot {
			t.areas[i].End = b.End
			for j := i + 1; j+1 < t.n; j++ {
				t.areas[j] = t.areas[j+1]
			}
			t.n--
			hi--
			continue
		}
		i++
	}
}
