package multiboot

import "sort"

// PageSize is the granularity of the ranges UsableRanges returns.
const PageSize = 4096

// LowMemoryEnd bounds the first MiB of physical memory: real-mode
// structures, the EBDA, the BIOS, legacy video memory, and (by convention)
// the trampoline page for starting other cores. The kernel never allocates
// from Range{0, LowMemoryEnd}.
const LowMemoryEnd = 1 << 20

// Range is the physical range [Start, End).
type Range struct {
	Start, End uint64
}

// UsableRanges returns the memory the physical allocator may hand out: the
// bytes covered by Available regions of mmap, minus the bytes covered by
// any other region (firmware maps can overlap, and then the reserved entry
// wins), minus the reserved ranges (kernel image, modules, the low MiB,
// the boot information itself), shrunk to whole pages. The result is
// sorted, its ranges are page-aligned, non-empty, and neither overlap nor
// touch.
func UsableRanges(mmap []MemoryRegion, reserved ...Range) []Range {
	var avail, taken []Range
	for _, r := range mmap {
		if r.Type == Available {
			avail = append(avail, Range{r.Base, r.End()})
		} else {
			taken = append(taken, Range{r.Base, r.End()})
		}
	}
	taken = append(taken, reserved...)
	var out []Range
	for _, r := range subtract(merge(avail), merge(taken)) {
		if r = r.pageAlignedInside(); r.Start < r.End {
			out = append(out, r)
		}
	}
	return out
}

// merge sorts rs and joins ranges that overlap or touch; empty ranges
// vanish.
func merge(rs []Range) []Range {
	sorted := append([]Range(nil), rs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	var out []Range
	for _, r := range sorted {
		if r.Start >= r.End {
			continue
		}
		if n := len(out); n > 0 && r.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, r.End)
			continue
		}
		out = append(out, r)
	}
	return out
}

// subtract returns the parts of the merged ranges a not covered by the
// merged ranges b.
func subtract(a, b []Range) []Range {
	var out []Range
	j := 0
	for _, r := range a {
		for j < len(b) && b[j].End <= r.Start {
			j++
		}
		for k := j; k < len(b) && b[k].Start < r.End; k++ {
			if b[k].Start > r.Start {
				out = append(out, Range{r.Start, b[k].Start})
			}
			r.Start = max(r.Start, b[k].End)
		}
		if r.Start < r.End {
			out = append(out, r)
		}
	}
	return out
}

// pageAlignedInside returns the largest page-aligned range inside r, which
// may be empty.
func (r Range) pageAlignedInside() Range {
	start := r.Start + (PageSize-r.Start%PageSize)%PageSize
	if start < r.Start { // rounding up wrapped: no whole page fits
		return Range{}
	}
	return Range{start, r.End - r.End%PageSize}
}

// ModuleRanges returns the physical ranges of all modules, to be passed to
// UsableRanges as reserved.
func (in *Info) ModuleRanges() []Range {
	var rs []Range
	for _, mod := range in.Modules {
		rs = append(rs, mod.Range())
	}
	return rs
}
