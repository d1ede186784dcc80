package physmem

import (
	"math/rand"
	"runtime"
	"testing"
	"unsafe"
)

// mem is a byte slice standing in for the physical memory [base, base+len).
type mem struct {
	buf  []byte
	base uint64
}

// newMem returns size bytes of page-aligned "physical memory" at base.
func newMem(base, size uint64) *mem {
	raw := make([]byte, size+PageSize)
	off := (PageSize - uintptr(unsafe.Pointer(&raw[0]))%PageSize) % PageSize
	return &mem{buf: raw[off : off+uintptr(size)], base: base}
}

// directMap is the Pool.DirectMap that makes physical address base the first
// byte of m.buf. The slice does not move (Go's heap is not compacted); the
// tests keep m alive with runtime.KeepAlive.
func (m *mem) directMap() uintptr {
	return uintptr(unsafe.Pointer(&m.buf[0])) - uintptr(m.base)
}

// page returns the bytes of the physical page at pa.
func (m *mem) page(pa uint64) []byte {
	o := pa - m.base
	return m.buf[o : o+PageSize]
}

func (m *mem) end() uint64 { return m.base + uint64(len(m.buf)) }

// TestAddRange checks how AddRange trims ranges: inward to page boundaries,
// never page 0, nothing for ranges with no whole page in them.
func TestAddRange(t *testing.T) {
	const top = ^uint64(0)
	tests := []struct {
		name       string
		base, end  uint64
		pages      uint64
		unusedBase uint64 // 0: no range added
		unusedEnd  uint64
	}{
		{"aligned", 0x10000, 0x20000, 16, 0x10000, 0x20000},
		{"unaligned both", 0x10001, 0x20fff, 15, 0x11000, 0x20000},
		{"unaligned base", 0x10fff, 0x20000, 15, 0x11000, 0x20000},
		{"unaligned end", 0x10000, 0x10fff, 0, 0, 0},
		{"page 0 skipped", 0, 0x3000, 2, 0x1000, 0x3000},
		{"page 0 only", 0, 0x1000, 0, 0, 0},
		{"inside page 0", 0x123, 0xfff, 0, 0, 0},
		{"inside one page", 0x1001, 0x1fff, 0, 0, 0},
		{"single page", 0x5000, 0x6000, 1, 0x5000, 0x6000},
		{"empty", 0x5000, 0x5000, 0, 0, 0},
		{"reversed", 0x9000, 0x5000, 0, 0, 0},
		{"top page", top - 0x1fff, top, 1, top - 0x1fff, top - 0xfff},
		{"base rounds past top", top - 0xffe, top, 0, 0, 0},
		{"whole space", 0, top, top/PageSize - 1, 0x1000, top - 0xfff},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p Pool
			if !p.AddRange(tc.base, tc.end) {
				t.Fatalf("AddRange(%#x, %#x) = false", tc.base, tc.end)
			}
			if got := p.TotalPages(); got != tc.pages {
				t.Errorf("TotalPages = %d, want %d", got, tc.pages)
			}
			if got := p.FreePages(); got != tc.pages {
				t.Errorf("FreePages = %d, want %d", got, tc.pages)
			}
			b, e, ok := p.Unused(0)
			if tc.unusedBase == 0 {
				if ok {
					t.Errorf("Unused(0) = %#x, %#x, true; want no range", b, e)
				}
				return
			}
			if !ok || b != tc.unusedBase || e != tc.unusedEnd {
				t.Errorf("Unused(0) = %#x, %#x, %v; want %#x, %#x, true", b, e, ok, tc.unusedBase, tc.unusedEnd)
			}
		})
	}
}

// TestRangeLimit checks that a full pool refuses a further range and keeps
// its counts, but still accepts ranges that add nothing.
func TestRangeLimit(t *testing.T) {
	var p Pool
	for i := uint64(0); i < MaxRanges; i++ {
		if !p.AddRange((i+1)<<20, (i+1)<<20+2*PageSize) {
			t.Fatalf("AddRange %d = false", i)
		}
	}
	if p.TotalPages() != 2*MaxRanges || p.FreePages() != 2*MaxRanges {
		t.Fatalf("pages = %d total, %d free; want %d", p.TotalPages(), p.FreePages(), 2*MaxRanges)
	}
	if p.AddRange(1<<30, 1<<30+PageSize) {
		t.Errorf("AddRange past MaxRanges = true")
	}
	if !p.AddRange(1<<30, 1<<30+PageSize-1) {
		t.Errorf("AddRange of nothing on a full pool = false")
	}
	if p.TotalPages() != 2*MaxRanges || p.FreePages() != 2*MaxRanges {
		t.Errorf("after refusal: %d total, %d free; want %d", p.TotalPages(), p.FreePages(), 2*MaxRanges)
	}
	for _, i := range []int{-1, MaxRanges, MaxRanges + 1} {
		if b, e, ok := p.Unused(i); ok {
			t.Errorf("Unused(%d) = %#x, %#x, true", i, b, e)
		}
	}
	if b, e, ok := p.Unused(MaxRanges - 1); !ok || b != MaxRanges<<20 || e != MaxRanges<<20+2*PageSize {
		t.Errorf("Unused(last) = %#x, %#x, %v", b, e, ok)
	}
}

// TestEmptyPool checks that the zero Pool hands out nothing.
func TestEmptyPool(t *testing.T) {
	var p Pool
	if pa, ok := p.Alloc(); ok {
		t.Errorf("Alloc = %#x, true", pa)
	}
	if pa, ok := p.AllocZeroed(); ok {
		t.Errorf("AllocZeroed = %#x, true", pa)
	}
	if p.FreePages() != 0 || p.TotalPages() != 0 {
		t.Errorf("counts = %d free, %d total", p.FreePages(), p.TotalPages())
	}
	if _, _, ok := p.Unused(0); ok {
		t.Errorf("Unused(0) ok")
	}
}

// TestPageZero checks that page 0 is never handed out, and that freeing it
// (as UnmapRange does for a mapping of physical page 0) leaves the pool
// intact.
func TestPageZero(t *testing.T) {
	m := newMem(0, 16*PageSize)
	defer runtime.KeepAlive(m)
	p := Pool{DirectMap: m.directMap()}
	p.AddRange(0, m.end())
	var got []uint64
	for {
		pa, ok := p.Alloc()
		if !ok {
			break
		}
		if pa == 0 {
			t.Fatalf("Alloc returned page 0")
		}
		got = append(got, pa)
	}
	if len(got) != 15 {
		t.Fatalf("allocated %d pages, want 15", len(got))
	}
	p.Free(got[3])
	p.Free(got[7])
	p.Free(0)
	if p.FreePages() != 2 {
		t.Errorf("FreePages after Free(0) = %d, want 2", p.FreePages())
	}
	a, ok1 := p.Alloc()
	b, ok2 := p.Alloc()
	if !ok1 || !ok2 || a != got[7] || b != got[3] {
		t.Errorf("Alloc after Free(0) = %#x %v, %#x %v; want %#x, %#x", a, ok1, b, ok2, got[7], got[3])
	}
	if pa, ok := p.Alloc(); ok {
		t.Errorf("Alloc from empty pool = %#x", pa)
	}
}

// TestFreeList checks that freed pages come back last-in first-out, before
// never-used ones, and that AllocZeroed clears the list link.
func TestFreeList(t *testing.T) {
	m := newMem(1<<30, 64*PageSize)
	defer runtime.KeepAlive(m)
	p := Pool{DirectMap: m.directMap()}
	p.AddRange(m.base, m.end())
	a, _ := p.Alloc()
	b, _ := p.Alloc()
	c, _ := p.Alloc()
	if a != m.base || b != a+PageSize || c != b+PageSize {
		t.Fatalf("bump order = %#x %#x %#x", a, b, c)
	}
	for _, pa := range []uint64{a, b, c} {
		fill(m.page(pa), 0xa5)
	}
	p.Free(a)
	p.Free(c)
	if p.FreePages() != 63 {
		t.Errorf("FreePages = %d, want 63", p.FreePages())
	}
	if pa, _ := p.AllocZeroed(); pa != c || !zero(m.page(pa)) {
		t.Errorf("AllocZeroed = %#x (zero %v), want %#x zeroed", pa, zero(m.page(pa)), c)
	}
	if pa, _ := p.Alloc(); pa != a {
		t.Errorf("Alloc = %#x, want %#x", pa, a)
	}
	if pa, _ := p.Alloc(); pa != c+PageSize {
		t.Errorf("Alloc = %#x, want %#x", pa, c+PageSize)
	}
	if p.TotalPages() != 64 || p.FreePages() != 60 {
		t.Errorf("counts = %d total, %d free", p.TotalPages(), p.FreePages())
	}
}

func TestZero(t *testing.T) {
	m := newMem(0, 3*PageSize)
	defer runtime.KeepAlive(m)
	fill(m.buf, 0xff)
	Zero(m.directMap() + PageSize)
	if !zero(m.page(PageSize)) {
		t.Errorf("page not cleared")
	}
	for _, pa := range []uint64{0, 2 * PageSize} {
		for i, v := range m.page(pa) {
			if v != 0xff {
				t.Fatalf("byte %#x of neighbour page %#x = %#x", i, pa, v)
			}
		}
	}
}

func fill(b []byte, v byte) {
	for i := range b {
		b[i] = v
	}
}

func zero(b []byte) bool {
	for _, v := range b {
		if v != 0 {
			return false
		}
	}
	return true
}

// model is the reference: the set of pages the pool may hand out and the set
// it has handed out.
type model struct {
	free, used map[uint64]bool
	total      uint64
	ranges     int
}

// TestPoolModel runs random AddRange, Alloc, AllocZeroed and Free sequences
// against the model.
func TestPoolModel(t *testing.T) {
	const (
		slots    = 64
		slotSize = 1 << 20
	)
	m := newMem(1<<32, slots*slotSize)
	defer runtime.KeepAlive(m)
	for seed := int64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewSource(seed))
		p := Pool{DirectMap: m.directMap()}
		md := model{free: map[uint64]bool{}, used: map[uint64]bool{}}
		slot := rng.Perm(slots) // each slot of memory is added at most once
		var usedList []uint64
		for step := 0; step < 3000; step++ {
			switch r := rng.Intn(100); {
			case r < 4 && len(slot) > 0:
				s := m.base + uint64(slot[0])*slotSize
				slot = slot[1:]
				base := s + uint64(rng.Intn(slotSize/2))
				end := base + uint64(rng.Intn(slotSize/2))
				if rng.Intn(4) == 0 {
					base &^= PageSize - 1
					end &^= PageSize - 1
				}
				ok := p.AddRange(base, end)
				lo := (base + PageSize - 1) &^ (PageSize - 1)
				hi := end &^ (PageSize - 1)
				if lo >= hi {
					if !ok {
						t.Fatalf("seed %d step %d: AddRange of nothing = false", seed, step)
					}
					break
				}
				if want := md.ranges < MaxRanges; ok != want {
					t.Fatalf("seed %d step %d: AddRange = %v with %d ranges", seed, step, ok, md.ranges)
				}
				if !ok {
					break
				}
				md.ranges++
				for pa := lo; pa < hi; pa += PageSize {
					md.free[pa] = true
					md.total++
				}
			case r < 55:
				zeroed := rng.Intn(2) == 0
				var pa uint64
				var ok bool
				if zeroed {
					pa, ok = p.AllocZeroed()
				} else {
					pa, ok = p.Alloc()
				}
				if !ok {
					if len(md.free) != 0 {
						t.Fatalf("seed %d step %d: Alloc failed with %d free", seed, step, len(md.free))
					}
					break
				}
				if !md.free[pa] {
					t.Fatalf("seed %d step %d: Alloc = %#x, not free (used %v)", seed, step, pa, md.used[pa])
				}
				if zeroed && !zero(m.page(pa)) {
					t.Fatalf("seed %d step %d: AllocZeroed page %#x not zero", seed, step, pa)
				}
				delete(md.free, pa)
				md.used[pa] = true
				usedList = append(usedList, pa)
				fill(m.page(pa), byte(step)|1) // the owner scribbles all over it
			default:
				if len(usedList) == 0 {
					break
				}
				i := rng.Intn(len(usedList))
				pa := usedList[i]
				usedList[i] = usedList[len(usedList)-1]
				usedList = usedList[:len(usedList)-1]
				p.Free(pa)
				delete(md.used, pa)
				md.free[pa] = true
			}
			checkModel(t, &p, &md, seed, step)
		}
	}
}

func checkModel(t *testing.T, p *Pool, md *model, seed int64, step int) {
	t.Helper()
	if got := p.FreePages(); got != uint64(len(md.free)) {
		t.Fatalf("seed %d step %d: FreePages = %d, want %d", seed, step, got, len(md.free))
	}
	if got := p.TotalPages(); got != md.total {
		t.Fatalf("seed %d step %d: TotalPages = %d, want %d", seed, step, got, md.total)
	}
	if uint64(len(md.free)+len(md.used)) != md.total {
		t.Fatalf("seed %d step %d: model lost pages", seed, step)
	}
	if step%25 != 0 {
		return // the walk below is slow
	}
	unused := 0
	for i := 0; ; i++ {
		b, e, ok := p.Unused(i)
		if !ok {
			if i != md.ranges {
				t.Fatalf("seed %d step %d: %d ranges, want %d", seed, step, i, md.ranges)
			}
			break
		}
		if b%PageSize != 0 || e%PageSize != 0 || b > e {
			t.Fatalf("seed %d step %d: Unused(%d) = %#x, %#x", seed, step, i, b, e)
		}
		for pa := b; pa < e; pa += PageSize {
			if !md.free[pa] {
				t.Fatalf("seed %d step %d: Unused(%d) holds page %#x, not free", seed, step, i, pa)
			}
			unused++
		}
	}
	if unused > len(md.free) {
		t.Fatalf("seed %d step %d: %d unused pages, %d free", seed, step, unused, len(md.free))
	}
}

// TestTakeTail: the tail of the largest never-used range leaves the pool
// for good, and no page of it is handed out afterwards.
func TestTakeTail(t *testing.T) {
	var p Pool
	p.AddRange(0x10000, 0x14000)   // 4 pages
	p.AddRange(0x100000, 0x110000) // 16 pages: the largest
	base, n := p.TakeTail(6*PageSize + 100)
	if base != 0x10a000 || n != 6*PageSize {
		t.Fatalf("TakeTail = %#x+%#x, want 0x10a000+0x6000", base, n)
	}
	if p.FreePages() != 14 || p.TotalPages() != 14 {
		t.Errorf("free %d total %d pages, want 14 and 14", p.FreePages(), p.TotalPages())
	}
	for {
		pa, ok := p.Alloc()
		if !ok {
			break
		}
		if pa >= base && pa < base+n {
			t.Fatalf("page %#x of the taken tail handed out", pa)
		}
	}
	if b, n := p.TakeTail(PageSize); n != 0 {
		t.Errorf("TakeTail of an exhausted pool = %#x+%#x", b, n)
	}
}
