package shootdown

import "slices"

// Batch coalesces the ranges unmapped before a shootdown starts, so that
// they go out as one shootdown rather than one per page or per call:
// overlapping and adjacent ranges merge, and more than MaxRanges disjoint
// ones become a full flush. The zero Batch is empty.
type Batch struct {
	ranges []Range // ascending, disjoint, not adjacent
	full   bool
}

// Add queues r. An invalid range is an error and leaves the batch as it
// was.
func (b *Batch) Add(r Range) error {
	if err := r.Check(); err != nil {
		return err
	}
	if b.full {
		return nil
	}
	// The ranges that overlap or touch r are a run [i, j).
	i, _ := slices.BinarySearchFunc(b.ranges, r.Start, func(x Range, s uint64) int {
		if x.End < s {
			return -1
		}
		return 1
	})
	j := i
	for j < len(b.ranges) && b.ranges[j].Start <= r.End {
		r.Start, r.End = min(r.Start, b.ranges[j].Start), max(r.End, b.ranges[j].End)
		j++
	}
	b.ranges = slices.Replace(b.ranges, i, j, r)
	return nil
}

// AddFull queues a flush of the whole user half.
func (b *Batch) AddFull() { b.full, b.ranges = true, b.ranges[:0] }

// Empty reports whether nothing is queued.
func (b *Batch) Empty() bool { return !b.full && len(b.ranges) == 0 }

// Take returns the queued flush, a full flush if more than MaxRanges
// disjoint ranges are queued, and empties the batch. On an empty batch
// ok is false.
func (b *Batch) Take() (f Flush, ok bool) {
	switch {
	case b.Empty():
		return Flush{}, false
	case b.full || len(b.ranges) > MaxRanges:
		f = FullFlush
	default:
		f.N = uint8(copy(f.R[:], b.ranges))
	}
	b.full, b.ranges = false, b.ranges[:0]
	return f, true
}
