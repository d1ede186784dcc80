package vmas

import (
	"math/bits"
	"math/rand"
	"slices"
	"testing"
)

const top = ^uint64(0)

// areas returns the table's areas as a slice.
func areas(t *Table) []Area {
	var as []Area
	for i := 0; i < t.Len(); i++ {
		as = append(as, t.At(i))
	}
	return as
}

// op is one Set (prot >= 0) or Remove (prot < 0).
type op struct {
	start, end uint64
	prot       int
}

func (o op) apply(t *Table) bool {
	if o.prot < 0 {
		return t.Remove(o.start, o.end)
	}
	return t.Set(o.start, o.end, uint32(o.prot))
}

func TestSetRemove(t *testing.T) {
	const R, RW, RX = Read, Read | Write, Read | Exec
	tests := []struct {
		name string
		ops  []op
		want []Area
	}{
		{"one", []op{{10, 20, R}}, []Area{{10, 20, R}}},
		{"empty range", []op{{10, 20, R}, {15, 15, RW}, {30, 25, RW}}, []Area{{10, 20, R}}},
		{"disjoint, out of order", []op{{30, 40, R}, {10, 20, R}}, []Area{{10, 20, R}, {30, 40, R}}},
		{"merge right", []op{{10, 20, R}, {20, 30, R}}, []Area{{10, 30, R}}},
		{"merge left", []op{{20, 30, R}, {10, 20, R}}, []Area{{10, 30, R}}},
		{"merge both", []op{{10, 20, R}, {30, 40, R}, {20, 30, R}}, []Area{{10, 40, R}}},
		{"adjacent, other prot", []op{{10, 20, R}, {20, 30, RW}}, []Area{{10, 20, R}, {20, 30, RW}}},
		{"split middle", []op{{10, 30, R}, {15, 25, RW}}, []Area{{10, 15, R}, {15, 25, RW}, {25, 30, R}}},
		{"split and rejoin", []op{{10, 30, R}, {15, 25, RW}, {15, 25, R}}, []Area{{10, 30, R}}},
		{"same prot inside", []op{{10, 30, R}, {15, 25, R}}, []Area{{10, 30, R}}},
		{"overlap left", []op{{10, 30, R}, {5, 15, RW}}, []Area{{5, 15, RW}, {15, 30, R}}},
		{"overlap right", []op{{10, 30, R}, {25, 35, RW}}, []Area{{10, 25, R}, {25, 35, RW}}},
		{"overlap right, same prot", []op{{10, 30, R}, {25, 35, R}}, []Area{{10, 35, R}}},
		{"cover several", []op{{10, 20, R}, {25, 30, RW}, {35, 40, RX}, {5, 45, RW}}, []Area{{5, 45, RW}}},
		{"cover several, partly", []op{{10, 20, R}, {25, 30, RW}, {35, 40, RX}, {15, 37, RW}},
			[]Area{{10, 15, R}, {15, 37, RW}, {37, 40, RX}}},
		{"bridge joins three", []op{{10, 20, RW}, {22, 28, R}, {30, 40, RW}, {20, 30, RW}}, []Area{{10, 40, RW}}},
		{"reservation", []op{{10, 20, 0}, {20, 30, R}}, []Area{{10, 20, 0}, {20, 30, R}}},
		{"reservations merge", []op{{10, 20, 0}, {20, 30, 0}}, []Area{{10, 30, 0}}},
		{"remove middle", []op{{10, 30, R}, {15, 25, -1}}, []Area{{10, 15, R}, {25, 30, R}}},
		{"remove left end", []op{{10, 30, R}, {5, 15, -1}}, []Area{{15, 30, R}}},
		{"remove right end", []op{{10, 30, R}, {25, 35, -1}}, []Area{{10, 25, R}}},
		{"remove exact", []op{{10, 20, R}, {30, 40, R}, {10, 20, -1}}, []Area{{30, 40, R}}},
		{"remove nothing", []op{{10, 20, R}, {20, 30, -1}, {0, 10, -1}}, []Area{{10, 20, R}}},
		{"remove across", []op{{10, 20, R}, {25, 30, RW}, {35, 40, R}, {15, 37, -1}}, []Area{{10, 15, R}, {37, 40, R}}},
		{"remove all", []op{{10, 20, R}, {25, 30, RW}, {0, top, -1}}, nil},
		{"remove then fill", []op{{10, 30, R}, {15, 25, -1}, {15, 25, R}}, []Area{{10, 30, R}}},
		{"top of space", []op{{top - 10, top, R}, {top - 20, top - 10, R}}, []Area{{top - 20, top, R}}},
		{"whole space", []op{{5, 6, RW}, {0, top, R}}, []Area{{0, top, R}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var tab Table
			for _, o := range tc.ops {
				if !o.apply(&tab) {
					t.Fatalf("%+v = false", o)
				}
			}
			if got := areas(&tab); !slices.Equal(got, tc.want) {
				t.Errorf("areas = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFind(t *testing.T) {
	var tab Table
	tab.Set(0x1000, 0x2000, Read)
	tab.Set(0x3000, 0x5000, 0)
	tab.Set(top-0x1000, top, Write)
	for _, tc := range []struct {
		addr uint64
		want Area
		ok   bool
	}{
		{0, Area{}, false},
		{0xfff, Area{}, false},
		{0x1000, Area{0x1000, 0x2000, Read}, true},
		{0x1fff, Area{0x1000, 0x2000, Read}, true},
		{0x2000, Area{}, false},
		{0x4000, Area{0x3000, 0x5000, 0}, true},
		{top - 1, Area{top - 0x1000, top, Write}, true},
		{top, Area{}, false},
	} {
		if got, ok := tab.Find(tc.addr); got != tc.want || ok != tc.ok {
			t.Errorf("Find(%#x) = %v, %v; want %v, %v", tc.addr, got, ok, tc.want, tc.ok)
		}
	}
	if a := tab.At(-1); a != (Area{}) {
		t.Errorf("At(-1) = %v", a)
	}
	if a := tab.At(3); a != (Area{}) {
		t.Errorf("At(3) = %v", a)
	}
	for _, tc := range []struct {
		start, end uint64
		want       bool
	}{
		{0, 0x1000, true}, {0, 0x1001, false}, {0x2000, 0x3000, true}, {0x1fff, 0x3000, false},
		{0x4000, 0x4001, false}, {0x5000, top - 0x1000, true}, {0x5000, top, false},
	} {
		if got := tab.Free(tc.start, tc.end); got != tc.want {
			t.Errorf("Free(%#x, %#x) = %v", tc.start, tc.end, got)
		}
	}
}

// full returns a table of MaxAreas areas [4i, 4i+3) with protection Read.
func full(t *testing.T) *Table {
	var tab Table
	for i := uint64(0); i < MaxAreas; i++ {
		if !tab.Set(4*i, 4*i+3, Read) {
			t.Fatalf("Set %d = false", i)
		}
	}
	if tab.Len() != MaxAreas {
		t.Fatalf("Len = %d", tab.Len())
	}
	return &tab
}

// TestCapacity checks that a full table refuses exactly the changes that
// need more than MaxAreas areas, and is then unchanged.
func TestCapacity(t *testing.T) {
	const last = 4 * (MaxAreas - 1)
	for _, tc := range []struct {
		name string
		o    op
		ok   bool
		n    int // Len after
	}{
		{"new area", op{2000, 2001, Read}, false, MaxAreas},
		{"split by other prot", op{21, 22, Write}, false, MaxAreas},
		{"split by remove", op{21, 22, -1}, false, MaxAreas},
		{"gap, other prot", op{23, 24, Write}, false, MaxAreas},
		{"same prot inside", op{21, 22, Read}, true, MaxAreas},
		{"fill gap, same prot", op{23, 24, Read}, true, MaxAreas - 1},
		{"extend last", op{last + 3, last + 5, Read}, true, MaxAreas},
		{"overlap left, fill gap", op{22, 24, Read}, true, MaxAreas - 1},
		{"fill gap, overlap both", op{22, 25, Read}, true, MaxAreas - 1},
		{"replace one", op{20, 23, Write}, true, MaxAreas},
		{"replace one, trimming neighbours", op{18, 25, Write}, true, MaxAreas},
		{"cover two", op{20, 27, Write}, true, MaxAreas - 1},
		{"remove end", op{20, 22, -1}, true, MaxAreas},
		{"remove one", op{20, 23, -1}, true, MaxAreas - 1},
		{"remove across a gap", op{22, 25, -1}, true, MaxAreas},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab := full(t)
			before := *tab
			if ok := tc.o.apply(tab); ok != tc.ok {
				t.Fatalf("%+v = %v, want %v", tc.o, ok, tc.ok)
			}
			if !tc.ok && *tab != before {
				t.Fatalf("refused change changed the table")
			}
			if tab.Len() != tc.n {
				t.Errorf("Len = %d, want %d", tab.Len(), tc.n)
			}
			checkSorted(t, tab)
		})
	}
}

func TestFindGap(t *testing.T) {
	var tab Table
	tab.Set(0x1000, 0x2000, Read)
	tab.Set(0x3000, 0x5000, Write)
	tab.Set(0x8000, 0x9000, 0)
	for _, tc := range []struct {
		from, limit, size, align uint64
		want                     uint64
		ok                       bool
	}{
		{0, top, 0x1000, 0x1000, 0, true},
		{0x1000, top, 0x1000, 0x1000, 0x2000, true},
		{0x1800, top, 0x800, 0, 0x2000, true},
		{0x1800, top, 0x800, 1, 0x2000, true},
		{0x2800, top, 0x800, 1, 0x2800, true},
		{0x2801, top, 0x800, 1, 0x5000, true},
		{0, top, 0x2000, 0x1000, 0x5000, true},
		{0, top, 0x3000, 0x1000, 0x5000, true},
		{0, top, 0x3001, 1, 0x9000, true},
		{0x1000, top, 0x1000, 0x4000, 0xc000, true},
		{0, top, 0x1000, 0x10000, 0, true},
		{1, top, 0x1000, 0x10000, 0x10000, true},
		{0, 0x8000, 0x3000, 0x1000, 0x5000, true},
		{0, 0x7fff, 0x3000, 0x1000, 0, false},
		{0, 0xc000, 0x4000, 0x1000, 0, false},
		{0, 0xd000, 0x4000, 0x1000, 0x9000, true},
		{0x9000, 0x9000, 1, 1, 0, false},
		{0x9000, 0x8000, 1, 1, 0, false},
		{0xa000, 0xb000, 0x1000, 0x1000, 0xa000, true},
		{top - 0x1000, top, 0xfff, 0x1000, top - 0xfff, true},
		{top - 0x1000, top, 0x1000, 0x1000, 0, false},
		{top - 0xfff, top, 0xfff, 1, top - 0xfff, true},
		{top - 0xfff, top - 1, 0xfff, 1, 0, false},
		{top - 0x10, top, 0x100, 1, 0, false},
		{top - 0x10, top, top, 1, 0, false},
		{1, top, 0x1000, 1 << 63, 1 << 63, true},
		{1<<63 + 1, top, 1, 1 << 63, 0, false},
	} {
		got, ok := tab.FindGap(tc.from, tc.limit, tc.size, tc.align)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("FindGap(%#x, %#x, %#x, %#x) = %#x, %v; want %#x, %v",
				tc.from, tc.limit, tc.size, tc.align, got, ok, tc.want, tc.ok)
		}
	}
}

// TestFindGapTop checks gaps below areas that end where aligning their end
// wraps past 2^64.
func TestFindGapTop(t *testing.T) {
	var tab Table
	tab.Set(0x1000, 0x2000, Read)
	tab.Set(0x3000, top-0x7ff, Read)
	for _, tc := range []struct {
		from, size, align uint64
		want              uint64
		ok                bool
	}{
		{0, 0x1000, 0x1000, 0, true},
		{0, 0x1001, 0x1000, 0, false},
		{0x1000, 0x1000, 0x1000, 0x2000, true},
		{0x1000, 0x1001, 0x1000, 0, false},
		{0x1000, 0x7ff, 1, 0x2000, true},
		{0x3000, 0x7ff, 1, top - 0x7ff, true},
		{0x3000, 0x800, 1, 0, false},
		{0x3000, 1, 0x1000, 0, false},
		{0x3000, 1, 0x800, top - 0x7ff, true},
		{0, 1, 0x4000, 0, true},
		{0, 0x1001, 0x4000, 0, false},
	} {
		got, ok := tab.FindGap(tc.from, top, tc.size, tc.align)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("FindGap(%#x, top, %#x, %#x) = %#x, %v; want %#x, %v",
				tc.from, tc.size, tc.align, got, ok, tc.want, tc.ok)
		}
	}
}

// checkSorted checks the table's invariants: areas non-empty, sorted,
// disjoint, and no two touching areas with equal protection.
func checkSorted(t *testing.T, tab *Table) {
	t.Helper()
	for i := 0; i < tab.Len(); i++ {
		a := tab.At(i)
		if a.Start >= a.End {
			t.Fatalf("area %d empty: %v", i, a)
		}
		if i == 0 {
			continue
		}
		b := tab.At(i - 1)
		if b.End > a.Start {
			t.Fatalf("areas %d, %d overlap or out of order: %v %v", i-1, i, b, a)
		}
		if b.End == a.Start && b.Prot == a.Prot {
			t.Fatalf("areas %d, %d not merged: %v %v", i-1, i, b, a)
		}
	}
}

// model is the reference: the protection of each unit address base+i of a
// small universe, -1 where there is no area.
type model struct {
	base uint64
	prot []int
}

func newModel(base uint64, n int) *model {
	m := &model{base: base, prot: make([]int, n)}
	for i := range m.prot {
		m.prot[i] = -1
	}
	return m
}

// apply returns the model after o.
func (m *model) apply(o op) *model {
	n := &model{base: m.base, prot: slices.Clone(m.prot)}
	for a := o.start; a < o.end; a++ {
		if i := a - m.base; a >= m.base && i < uint64(len(m.prot)) {
			n.prot[i] = o.prot
		}
	}
	return n
}

// areas returns the merged runs of the model.
func (m *model) areas() []Area {
	var as []Area
	for i, p := range m.prot {
		if p < 0 {
			continue
		}
		a := m.base + uint64(i)
		if k := len(as) - 1; k >= 0 && as[k].End == a && as[k].Prot == uint32(p) {
			as[k].End++
			continue
		}
		as = append(as, Area{a, a + 1, uint32(p)})
	}
	return as
}

func (m *model) find(addr uint64) (Area, bool) {
	for _, a := range m.areas() {
		if a.Start <= addr && addr < a.End {
			return a, true
		}
	}
	return Area{}, false
}

// free reports whether no unit in [start, end) is in an area.
func (m *model) free(start, end uint64) bool {
	lo, hi := max(start, m.base), min(end, m.base+uint64(len(m.prot)))
	for a := lo; a < hi; a++ {
		if m.prot[a-m.base] >= 0 {
			return false
		}
	}
	return true
}

// findGap is FindGap by brute force.
func (m *model) findGap(from, limit, size, align uint64) (uint64, bool) {
	if align == 0 {
		align = 1
	}
	sum, carry := bits.Add64(from, align-1, 0)
	if carry != 0 {
		return 0, false
	}
	for addr := sum &^ (align - 1); ; {
		end, carry := bits.Add64(addr, size, 0)
		if carry != 0 || end > limit {
			return 0, false
		}
		if m.free(addr, end) {
			return addr, true
		}
		addr, carry = bits.Add64(addr, align, 0)
		if carry != 0 {
			return 0, false
		}
	}
}

// runner applies operations to a Table and a model and compares them.
type runner struct {
	t   testing.TB
	tab Table
	m   *model
	log []op // the last few operations, for failure messages
}

func (r *runner) fail(format string, args ...any) {
	r.t.Helper()
	r.t.Fatalf("after %+v:\n"+format, append([]any{r.log}, args...)...)
}

func (r *runner) do(o op) {
	r.t.Helper()
	if len(r.log) == 8 {
		copy(r.log, r.log[1:])
		r.log = r.log[:7]
	}
	r.log = append(r.log, o)
	next := r.m.apply(o)
	fits := len(next.areas()) <= MaxAreas || o.end <= o.start
	before := r.tab
	ok := o.apply(&r.tab)
	switch {
	case ok != fits:
		r.fail("%+v = %v, want %v (%d areas needed)", o, ok, fits, len(next.areas()))
	case !ok && r.tab != before:
		r.fail("refused %+v changed the table", o)
	case ok:
		r.m = next
	}
	r.check()
}

func (r *runner) check() {
	r.t.Helper()
	got, want := areas(&r.tab), r.m.areas()
	if !slices.Equal(got, want) {
		r.fail("areas = %v\nwant    %v", got, want)
	}
}

// find checks Find(addr) and Free(addr, addr+size).
func (r *runner) find(addr, size uint64) {
	r.t.Helper()
	a, ok := r.tab.Find(addr)
	wa, wok := r.m.find(addr)
	if a != wa || ok != wok {
		r.fail("Find(%#x) = %v, %v; want %v, %v", addr, a, ok, wa, wok)
	}
	start, end := addr, addr+size
	if end < start {
		end = top
	}
	if f, wf := r.tab.Free(start, end), r.m.free(start, end); f != wf {
		r.fail("Free(%#x, %#x) = %v, want %v", start, end, f, wf)
	}
}

func (r *runner) findGap(from, limit, size, align uint64) {
	r.t.Helper()
	a, ok := r.tab.FindGap(from, limit, size, align)
	wa, wok := r.m.findGap(from, limit, size, align)
	if ok != wok || ok && a != wa {
		r.fail("FindGap(%#x, %#x, %#x, %#x) = %#x, %v; want %#x, %v", from, limit, size, align, a, ok, wa, wok)
	}
}

// TestModel runs random operations on three universes: a small one at 0, a
// small one ending at the top of the address space, and a large one with
// short ranges that fills the table to its capacity.
func TestModel(t *testing.T) {
	for _, u := range []struct {
		name   string
		base   uint64
		n      int
		maxLen int
		steps  int
	}{
		{"low", 0, 64, 20, 3000},
		{"top", top - 64, 64, 20, 3000},
		{"crowded", 1 << 40, 700, 4, 4000},
	} {
		t.Run(u.name, func(t *testing.T) {
			for seed := int64(1); seed <= 4; seed++ {
				rng := rand.New(rand.NewSource(seed))
				r := &runner{t: t, m: newModel(u.base, u.n)}
				addr := func() uint64 { return u.base + uint64(rng.Intn(u.n+1)) }
				for step := 0; step < u.steps; step++ {
					start := addr()
					end := start + uint64(rng.Intn(u.maxLen+1))
					if end < start || end > u.base+uint64(u.n) {
						end = u.base + uint64(u.n)
					}
					switch k := rng.Intn(10); {
					case k < 5:
						r.do(op{start, end, rng.Intn(4)})
					case k < 7:
						r.do(op{start, end, -1})
					case k < 9:
						r.find(addr(), uint64(rng.Intn(u.maxLen+1)))
					default:
						limit := addr() + uint64(rng.Intn(20))
						if rng.Intn(4) == 0 {
							limit = top
						}
						r.findGap(addr(), limit, 1+uint64(rng.Intn(10)), 1<<rng.Intn(5))
					}
				}
			}
		})
	}
}

// FuzzOps turns bytes into operations, five bytes each, on a 512-unit
// universe placed by the first byte at 0, in the middle, or at the top.
func FuzzOps(f *testing.F) {
	f.Add([]byte{0, 0, 10, 20, 1, 0, 1, 15, 5, 2, 3, 0, 0, 0, 0})
	f.Add([]byte{2, 0, 200, 55, 1, 1, 100, 10, 0, 4, 0, 0, 255, 6, 0})
	f.Add([]byte{1, 2, 0, 0, 0, 3, 5, 10, 10, 8, 0, 1, 1, 1, 1, 4, 1, 1, 1, 1})
	f.Fuzz(fuzzOps)
}

// maxFuzzOps bounds the operations one fuzz input runs.
const maxFuzzOps = 64

func fuzzOps(t *testing.T, data []byte) {
	{
		if len(data) == 0 {
			return
		}
		if len(data) > 1+5*maxFuzzOps {
			data = data[:1+5*maxFuzzOps] // keep each run (and minimizing) quick
		}
		bases := []uint64{0, 1 << 47, top - 512}
		base := bases[int(data[0])%len(bases)]
		r := &runner{t: t, m: newModel(base, 512)}
		for data = data[1:]; len(data) >= 5; data = data[5:] {
			kind, a, b, c, d := data[0], uint64(data[1]), uint64(data[2]), uint64(data[3]), data[4]
			switch kind % 5 {
			case 0:
				r.do(op{base + a, base + a + b, int(c % 8)})
			case 1:
				r.do(op{base + a, base + b, int(c % 8)}) // may be reversed
			case 2:
				r.do(op{base + a, base + a + b, -1})
			case 3:
				r.find(base+a, b)
			case 4:
				limit := base + b + uint64(d)
				if d == 255 {
					limit = top
				}
				r.findGap(base+a, limit, 1+c%32, 1<<(d%10))
			}
		}
	}
}
