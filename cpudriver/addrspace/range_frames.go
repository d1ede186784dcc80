package addrspace

import (
	"errors"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/pagetable"
	"multikernel/cpudriver/ring0"
	"multikernel/cpudriver/vmas"
)

// Segments in ranges (docs/segments.md): a Frame capability mapped into
// a range is a pinned area of the range, as SysCapMap's are of the
// space. Its pages are the capability's, never the range's account's:
// Unmap and Map refuse to reach into one (ErrSegment), and Release only
// unmaps it. Its mapping goes with the capability (the capability
// calls' UnmapPinned) or with the range.

// ErrSegment is Map's and Unmap's answer for a span that overlaps a
// mapped Frame: remove that first, with the capability call that
// mapped it.
var ErrSegment = errors.New("a segment is mapped there")

// segmentIn reports whether a pinned area (a mapped Frame) overlaps
// [start, end).
func (r *Range) segmentIn(start, end uint64) bool {
	for i := 0; i < r.areas.Len(); i++ {
		if a := r.areas.At(i); a.Prot&vmas.Pinned != 0 && a.Start < end && start < a.End {
			return true
		}
	}
	return false
}

// MapFrame maps the size bytes of physical memory at pa (a Frame's, page
// aligned) at [start, start+size) of the range with protection prot,
// uncached for device memory, as a pinned area. The span must lie in the
// range with nothing mapped there: kpi.EEXIST if something is, ENOMEM if
// the areas would be too many. On memory.ErrNeedMemory (as the error)
// nothing is mapped: refill the range's account and map again.
func (r *Range) MapFrame(start, pa, size uint64, prot uint32, uncached bool) (int64, error) {
	base := uint64(r.slot) << 39
	end := start + size
	if start < base || end > base+kpi.RangeSize || end <= start {
		return -kpi.EINVAL, nil
	}
	if !r.areas.Free(start, end) {
		return -kpi.EEXIST, nil
	}
	if !r.areas.Set(start, end, prot&ProtMask|vmas.Pinned) {
		return -kpi.ENOMEM, nil
	}
	flags := pteFlags(prot)
	if uncached {
		flags |= pagetable.CacheDisable | pagetable.WriteThrough
	}
	for off := uint64(0); off < size; off += PageSize {
		if err := mapWith(r.root, start+off, pa+off, flags, r.table, r.vn, false); err != nil {
			r.areas.Remove(start, end)
			r.unmapped()
			ring0.UnmapUserKeep(r.root, start, start+off)
			if off > 0 {
				r.flush(start, start+off)
			}
			return -kpi.ENOMEM, err
		}
	}
	r.frames += int(size / PageSize)
	return 0, nil
}

// UnmapPinned removes the mapped Frame at [start, end) from the range
// without freeing its pages; when it returns no core of the range maps
// them.
func (r *Range) UnmapPinned(start, end uint64) {
	r.areas.Remove(start, end)
	r.unmapped()
	n := ring0.UnmapUserKeep(r.root, start, end)
	r.frames -= n
	if n > 0 {
		r.flush(start, end)
	}
}

// unmapSegments unmaps, without freeing their pages, every mapped
// Frame of the range (Release, before its pages go back).
func (r *Range) unmapSegments() {
	for i := 0; i < r.areas.Len(); i++ {
		if a := r.areas.At(i); a.Prot&vmas.Pinned != 0 {
			r.unmapped()
			n := ring0.UnmapUserKeep(r.root, a.Start, a.End)
			r.frames -= n
			if n > 0 {
				r.flush(a.Start, a.End)
			}
		}
	}
}
