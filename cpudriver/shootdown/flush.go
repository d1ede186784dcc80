package shootdown

import (
	"errors"
	"fmt"
	"strings"
)

// PageSize is the unit of invalidation.
const PageSize = 4096

// UserTop is the end of the user half of the address space: canonical
// user addresses lie below it (48-bit virtual addresses). The kernel half
// is never shot down by this package: the CPU driver's mappings are its
// core's own.
const UserTop = 1 << 47

// MaxRanges is the most ranges one request carries; a flush of more is a
// full flush (Batch).
const MaxRanges = 3

// Range is the page-aligned user address range [Start, End).
type Range struct{ Start, End uint64 }

// ErrRange is wrapped by every error about a range.
var ErrRange = errors.New("shootdown: bad range")

// Check reports whether r is a non-empty, page-aligned range of the user
// half.
func (r Range) Check() error {
	switch {
	case r.Start%PageSize != 0 || r.End%PageSize != 0:
		return fmt.Errorf("%w: %v not page aligned", ErrRange, r)
	case r.End < r.Start:
		return fmt.Errorf("%w: %v ends before it starts", ErrRange, r)
	case r.End == r.Start:
		return fmt.Errorf("%w: %v is empty", ErrRange, r)
	case r.End > UserTop:
		return fmt.Errorf("%w: %v reaches beyond the user half (non-canonical or kernel addresses)", ErrRange, r)
	}
	return nil
}

// Pages returns the number of pages of r.
func (r Range) Pages() uint64 { return (r.End - r.Start) / PageSize }

// Contains reports whether address a lies in r.
func (r Range) Contains(a uint64) bool { return a >= r.Start && a < r.End }

// String returns r as [start,end) in hexadecimal.
func (r Range) String() string { return fmt.Sprintf("[%#x,%#x)", r.Start, r.End) }

// Flush is what a shootdown invalidates: up to MaxRanges ranges,
// ascending, disjoint and not adjacent (a Batch merges them), or the
// whole user half (Full, with N zero). It is a comparable value.
type Flush struct {
	Full bool
	N    uint8
	R    [MaxRanges]Range
}

// FullFlush is the flush of the whole user half.
var FullFlush = Flush{Full: true}

// FlushOf returns the flush of the single range r.
func FlushOf(r Range) (Flush, error) {
	if err := r.Check(); err != nil {
		return Flush{}, err
	}
	return Flush{N: 1, R: [MaxRanges]Range{r}}, nil
}

// Ranges returns the flush's ranges (none for a full flush).
func (f Flush) Ranges() []Range { return f.R[:f.N] }

// Covers reports whether the flush invalidates address a.
func (f Flush) Covers(a uint64) bool {
	if f.Full {
		return a < UserTop
	}
	for _, r := range f.Ranges() {
		if r.Contains(a) {
			return true
		}
	}
	return false
}

// Check reports whether f is well formed: full with no ranges, or 1 to
// MaxRanges valid ranges, ascending, disjoint and not adjacent, and no
// stray ranges past N.
func (f Flush) Check() error {
	if f.Full {
		if f.N != 0 {
			return fmt.Errorf("%w: a full flush with %d ranges", ErrRange, f.N)
		}
	} else if f.N == 0 || f.N > MaxRanges {
		return fmt.Errorf("%w: %d ranges, want 1 to %d", ErrRange, f.N, MaxRanges)
	}
	for i, r := range f.Ranges() {
		if err := r.Check(); err != nil {
			return err
		}
		if i > 0 && r.Start <= f.R[i-1].End {
			return fmt.Errorf("%w: %v does not follow %v with a gap", ErrRange, r, f.R[i-1])
		}
	}
	for _, r := range f.R[f.N:] {
		if r != (Range{}) {
			return fmt.Errorf("%w: a range past the count", ErrRange)
		}
	}
	return nil
}

// String returns the flush's ranges joined by +, or all.
func (f Flush) String() string {
	if f.Full {
		return "all"
	}
	parts := make([]string, f.N)
	for i, r := range f.Ranges() {
		parts[i] = r.String()
	}
	return strings.Join(parts, "+")
}
