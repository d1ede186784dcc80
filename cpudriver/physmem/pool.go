package physmem

import "unsafe"

// PageSize is the size of the pages the pool hands out.
const PageSize = 4096

// MaxRanges is the number of disjoint ranges a pool can hold.
const MaxRanges = 32

// span is a range [next, end) of never-used physical memory.
type span struct{ next, end uint64 }

// Pool is a set of free physical pages. Its zero value is an empty pool with
// DirectMap 0. Owned by one core.
type Pool struct {
	// DirectMap is the virtual address at which physical address 0 is
	// mapped. Immutable once pages have been added.
	DirectMap uintptr

	spans   [MaxRanges]span
	nspans  int
	free    uint64 // head of the freed-page list, 0 when empty
	nfree   uint64 // pages in spans and on the list
	ntotal  uint64 // pages ever added
	nlisted uint64 // pages on the list
}

// word returns the 8 bytes at physical address p through the direct map.
//
//go:nosplit
func (p *Pool) word(pa uint64) *uint64 {
	return (*uint64)(unsafe.Add(unsafe.Pointer(nil), p.DirectMap+uintptr(pa)))
}

// AddRange gives the pool the physical memory [base, end), shrunk inward to
// page boundaries. Page 0 is never added (0 means "none"). It reports false
// when the pool already holds MaxRanges ranges; the memory is then not added.
//
//go:nosplit
func (p *Pool) AddRange(base, end uint64) bool {
	if base > end-end%PageSize {
		return true // no whole page (and base may round up past 2^64)
	}
	base = (base + PageSize - 1) &^ (PageSize - 1)
	end &^= PageSize - 1
	if base == 0 {
		base = PageSize
	}
	if end <= base {
		return true
	}
	if p.nspans >= MaxRanges {
		return false
	}
	p.spans[p.nspans] = span{base, end}
	p.nspans++
	n := (end - base) / PageSize
	p.nfree += n
	p.ntotal += n
	return true
}

// Alloc takes one page and returns its physical address; its contents are
// undefined. It reports false when the pool is empty.
//
//go:nosplit
func (p *Pool) Alloc() (uint64, bool) {
	if p.free != 0 {
		pa := p.free
		p.free = *p.word(pa)
		p.nfree--
		p.nlisted--
		return pa, true
	}
	for i := 0; i < p.nspans && i < MaxRanges; i++ {
		s := &p.spans[i]
		if s.next < s.end {
			pa := s.next
			s.next += PageSize
			p.nfree--
			return pa, true
		}
	}
	return 0, false
}

// AllocZeroed is Alloc followed by clearing the page.
//
//go:nosplit
func (p *Pool) AllocZeroed() (uint64, bool) {
	pa, ok := p.Alloc()
	if ok {
		Zero(p.DirectMap + uintptr(pa))
	}
	return pa, ok
}

// Free returns the page at pa to the pool. pa must have come from Alloc on
// this pool and not be freed twice. Page 0 is ignored: it is never in a pool,
// and pushing it would empty the list (0 ends it).
//
//go:nosplit
func (p *Pool) Free(pa uint64) {
	if pa == 0 {
		return
	}
	*p.word(pa) = p.free
	p.free = pa
	p.nfree++
	p.nlisted++
}

// FreePages is the number of pages the pool can still hand out.
//
//go:nosplit
func (p *Pool) FreePages() uint64 { return p.nfree }

// TotalPages is the number of pages ever added to the pool.
//
//go:nosplit
func (p *Pool) TotalPages() uint64 { return p.ntotal }

// Zero clears the 4 KiB page at virtual address va.
//
//go:nosplit
func Zero(va uintptr) {
	w := (*[PageSize / 8]uint64)(unsafe.Add(unsafe.Pointer(nil), va))
	for i := range w {
		w[i] = 0
	}
}

// Unused returns the never-used part of range i, for handing the rest of a
// pool to another core. ok is false past the last range.
func (p *Pool) Unused(i int) (base, end uint64, ok bool) {
	if i < 0 || i >= p.nspans {
		return 0, 0, false
	}
	return p.spans[i].next, p.spans[i].end, true
}

// TakeTail removes up to size bytes (rounded down to pages) from the end
// of the never-used part of the pool's largest range and returns them as
// [base, base+n): memory the pool gives up for good (a core turning part
// of its CPU driver's memory into RAM for programs). n is 0 if no range
// has a never-used page.
func (p *Pool) TakeTail(size uint64) (base, n uint64) {
	best := -1
	for i := 0; i < p.nspans; i++ {
		if s := p.spans[i]; s.next < s.end && (best < 0 || s.end-s.next > p.spans[best].end-p.spans[best].next) {
			best = i
		}
	}
	if best < 0 {
		return 0, 0
	}
	s := &p.spans[best]
	n = min(size&^(PageSize-1), s.end-s.next)
	s.end -= n
	p.nfree -= n / PageSize
	p.ntotal -= n / PageSize
	return s.end, n
}
