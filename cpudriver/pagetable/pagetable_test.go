package pagetable

import (
	"encoding/binary"
	"math/rand"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"multikernel/cpudriver/physmem"
)

const page = physmem.PageSize

// mem is a byte slice standing in for the physical memory [base, base+len),
// with a pool over all of it (less page 0 when base is 0).
type mem struct {
	buf  []byte
	base uint64
	pool physmem.Pool
}

// newMem returns size bytes of page-aligned "physical memory" at base and a
// pool over it. Go's heap does not move objects; tests keep m alive with
// runtime.KeepAlive while the pool's DirectMap points into it.
func newMem(base, size uint64) *mem {
	raw := make([]byte, size+page)
	off := (page - uintptr(unsafe.Pointer(&raw[0]))%page) % page
	m := &mem{buf: raw[off : off+uintptr(size)], base: base}
	m.pool.DirectMap = uintptr(unsafe.Pointer(&m.buf[0])) - uintptr(base)
	m.pool.AddRange(base, base+size)
	return m
}

// read returns the 8 bytes at physical address pa.
func (m *mem) read(pa uint64) uint64 {
	return binary.LittleEndian.Uint64(m.buf[pa-m.base:])
}

func (m *mem) write(pa, v uint64) {
	binary.LittleEndian.PutUint64(m.buf[pa-m.base:], v)
}

// root allocates an empty PML4.
func (m *mem) root(t *testing.T) uint64 {
	t.Helper()
	r, ok := m.pool.AllocZeroed()
	if !ok {
		t.Fatal("no page for the root")
	}
	return r
}

// path returns the entries on the way to va, PML4 first; it stops at the
// first absent or huge one.
func (m *mem) path(root, va uint64) []uint64 {
	var es []uint64
	t := root
	for l := uint(3); ; l-- {
		e := m.read(t + uint64(index(va, l))*8)
		es = append(es, e)
		if l == 0 || e&Present == 0 || e&Huge != 0 {
			return es
		}
		t = e & AddrMask
	}
}

// canon returns the canonical address of PML4 slot s, PDPT entry i, PD entry
// j, PT entry k.
func canon(s, i, j, k uint64) uint64 {
	va := s<<39 | i<<30 | j<<21 | k<<12
	if s >= 256 {
		va |= 0xffff << 48
	}
	return va
}

func TestMapLookup(t *testing.T) {
	m := newMem(0, 4<<20)
	defer runtime.KeepAlive(m)
	root := m.root(t)
	maps := []struct{ va, pa, flags uint64 }{
		{0x1000, 0x123000, Writable},
		{0x2000, 0x7fff_ffff_f000, Writable | User | NoExecute},
		{canon(0, 0, 1, 0), 0x5000, 0},
		{canon(1, 2, 3, 4), 0x6000, Global},
		{canon(256, 0, 0, 0), 0x7000, Writable},
		{canon(511, 511, 511, 511), 0x8000, Writable | NoExecute},
	}
	free := m.pool.FreePages()
	for _, mp := range maps {
		if st := Map(&m.pool, root, mp.va, mp.pa|0xabc, mp.flags); st != OK {
			t.Fatalf("Map(%#x) = %v", mp.va, st)
		}
	}
	// 0x1000, 0x2000 and canon(0,0,1,0) share a PDPT and a PD; every other
	// mapping needs three tables of its own.
	if used := free - m.pool.FreePages(); used != 3+1+3*3 {
		t.Errorf("tables allocated = %d, want 13", used)
	}
	for _, mp := range maps {
		want := mp.pa | mp.flags | Present
		if got := Lookup(&m.pool, root, mp.va); got != want {
			t.Errorf("Lookup(%#x) = %#x, want %#x", mp.va, got, want)
		}
		if got := Lookup(&m.pool, root, mp.va+0xfff); got != want {
			t.Errorf("Lookup(%#x) = %#x, want %#x", mp.va+0xfff, got, want)
		}
	}
	for _, va := range []uint64{0, 0x3000, canon(0, 0, 2, 0), canon(2, 0, 0, 0), canon(511, 511, 511, 510)} {
		if got := Lookup(&m.pool, root, va); got != 0 {
			t.Errorf("Lookup(%#x) = %#x, want 0", va, got)
		}
	}
	// Walk without create finds existing leaves and nothing else.
	if e, st := Walk(&m.pool, root, 0x1000, false, false); e == nil || st != OK || *e != 0x123000|Writable|Present {
		t.Errorf("Walk(0x1000) = %v, %v", e, st)
	}
	if e, st := Walk(&m.pool, root, canon(3, 0, 0, 0), false, false); e != nil || st != OK {
		t.Errorf("Walk(absent) = %v, %v", e, st)
	}
	// Remapping replaces the entry.
	Map(&m.pool, root, 0x1000, 0x999000, 0)
	if got := Lookup(&m.pool, root, 0x1000); got != 0x999000|Present {
		t.Errorf("Lookup after remap = %#x", got)
	}
}

// TestIntermediateFlags checks that tables are Present|Writable and become
// User as soon as one user page is mapped beneath them.
func TestIntermediateFlags(t *testing.T) {
	m := newMem(0, 1<<20)
	defer runtime.KeepAlive(m)
	root := m.root(t)
	kva := canon(0, 1, 2, 3)
	uva := canon(0, 1, 2, 4) // same tables
	Map(&m.pool, root, kva, 0x5000, Writable)
	es := m.path(root, kva)
	for l, e := range es[:3] {
		if e&(Present|Writable|User) != Present|Writable {
			t.Errorf("kernel only: level %d entry flags %#x", 3-l, e&^AddrMask)
		}
	}
	Map(&m.pool, root, uva, 0x6000, User)
	es = m.path(root, uva)
	for l, e := range es[:3] {
		if e&(Present|Writable|User) != Present|Writable|User {
			t.Errorf("after user map: level %d entry flags %#x", 3-l, e&^AddrMask)
		}
	}
	if e := Lookup(&m.pool, root, kva); e&User != 0 {
		t.Errorf("kernel leaf became User: %#x", e)
	}
	// A new user mapping creates User tables directly.
	uva2 := canon(5, 6, 7, 8)
	Map(&m.pool, root, uva2, 0x7000, User|Writable)
	for l, e := range m.path(root, uva2)[:3] {
		if e&(Present|Writable|User) != Present|Writable|User {
			t.Errorf("fresh user path: level %d entry flags %#x", 3-l, e&^AddrMask)
		}
	}
}

// TestHugeInTheWay plants 2 MiB and 1 GiB entries by hand.
func TestHugeInTheWay(t *testing.T) {
	m := newMem(0, 1<<20)
	defer runtime.KeepAlive(m)
	root := m.root(t)
	// Build the tables for PML4 slot 0, PDPT entry 0, with a neighbour.
	if st := Map(&m.pool, root, canon(0, 0, 0, 0), 0x5000, Writable); st != OK {
		t.Fatal(st)
	}
	es := m.path(root, 0)
	pdpt := es[0] & AddrMask
	pd := es[1] & AddrMask
	huge2M := uint64(0x4000_0000) | Present | Writable | Huge
	m.write(pd+8*1, huge2M) // covers canon(0, 0, 1, *)
	huge1G := uint64(0x8000_0000) | Present | Writable | Huge
	m.write(pdpt+8*1, huge1G) // covers canon(0, 1, *, *)

	for _, tc := range []struct {
		va   uint64
		want uint64
	}{
		{canon(0, 0, 1, 0), huge2M},
		{canon(0, 0, 1, 511) + 0xfff, huge2M},
		{canon(0, 1, 0, 0), huge1G},
		{canon(0, 1, 511, 7), huge1G},
	} {
		free := m.pool.FreePages()
		if st := Map(&m.pool, root, tc.va, 0x9000, Writable); st != HugeInTheWay {
			t.Errorf("Map(%#x) = %v, want HugeInTheWay", tc.va, st)
		}
		if e, st := Walk(&m.pool, root, tc.va, true, true); e != nil || st != HugeInTheWay {
			t.Errorf("Walk(%#x) = %v, %v", tc.va, e, st)
		}
		if m.pool.FreePages() != free {
			t.Errorf("Map(%#x) allocated tables", tc.va)
		}
		if got := Lookup(&m.pool, root, tc.va); got != tc.want {
			t.Errorf("Lookup(%#x) = %#x, want %#x", tc.va, got, tc.want)
		}
	}
	// Huge mappings are left alone by UnmapRange and skipped whole.
	if n := UnmapRange(&m.pool, root, 0, canon(0, 2, 0, 0), false); n != 1 {
		t.Errorf("UnmapRange = %d, want 1", n)
	}
	if m.read(pd+8) != huge2M || m.read(pdpt+8) != huge1G {
		t.Errorf("UnmapRange touched a huge entry")
	}
	// The neighbour page in the same PD is still mappable.
	if st := Map(&m.pool, root, canon(0, 0, 2, 0), 0x9000, 0); st != OK {
		t.Errorf("Map beside a huge page = %v", st)
	}
}

// TestOutOfMemory maps with a pool too small for the tables, then grows it.
func TestOutOfMemory(t *testing.T) {
	m := newMem(0, 1<<20)
	defer runtime.KeepAlive(m)
	var p physmem.Pool
	p.DirectMap = m.pool.DirectMap
	p.AddRange(0x1000, 0x4000) // three pages: root, PDPT, PD; no PT
	root, _ := p.AllocZeroed()
	va := canon(7, 8, 9, 10)
	if st := Map(&p, root, va, 0x5000, Writable); st != OutOfMemory {
		t.Fatalf("Map = %v, want OutOfMemory", st)
	}
	if p.FreePages() != 0 {
		t.Errorf("FreePages = %d", p.FreePages())
	}
	if got := Lookup(&p, root, va); got != 0 {
		t.Errorf("Lookup = %#x", got)
	}
	if e, st := Walk(&p, root, va, true, false); e != nil || st != OutOfMemory {
		t.Errorf("Walk = %v, %v", e, st)
	}
	// The tables made before running out stay and are used on retry.
	p.AddRange(0x10000, 0x11000)
	if st := Map(&p, root, va, 0x5000, Writable); st != OK {
		t.Fatalf("Map after growing = %v", st)
	}
	if got := Lookup(&p, root, va); got != 0x5000|Writable|Present {
		t.Errorf("Lookup = %#x", got)
	}
	if st := Map(&p, root, canon(7, 8, 10, 0), 0x5000, Writable); st != OutOfMemory {
		t.Errorf("second PT: Map = %v, want OutOfMemory", st)
	}
}

func TestUnmapRange(t *testing.T) {
	m := newMem(0, 16<<20)
	defer runtime.KeepAlive(m)
	root := m.root(t)

	// Dense: 1500 data pages across four page tables, then free them.
	base := canon(1, 0, 0, 300)
	before := m.pool.FreePages()
	for i := uint64(0); i < 1500; i++ {
		pa, _ := m.pool.Alloc()
		if st := Map(&m.pool, root, base+i*page, pa, Writable); st != OK {
			t.Fatal(st)
		}
	}
	tables := before - m.pool.FreePages() - 1500
	if tables != 2+4 {
		t.Errorf("tables = %d, want 6", tables)
	}
	if n := UnmapRange(&m.pool, root, base+10*page, base+20*page, false); n != 10 {
		t.Errorf("UnmapRange(10 pages) = %d", n)
	}
	if n := UnmapRange(&m.pool, root, base, base+1500*page, true); n != 1490 {
		t.Errorf("UnmapRange(all) = %d, want 1490", n)
	}
	if got := before - m.pool.FreePages(); got != tables+10 { // 10 pages leaked by free=false
		t.Errorf("pages still out = %d, want %d", got, tables+10)
	}
	if n := UnmapRange(&m.pool, root, base, base+1500*page, true); n != 0 {
		t.Errorf("UnmapRange again = %d", n)
	}

	// Sparse: one page in each of several far-apart places, unmapped by a
	// range covering the whole lower half, then the whole upper half.
	vas := []uint64{
		canon(0, 0, 0, 1), canon(0, 511, 511, 511), canon(3, 4, 5, 6),
		canon(255, 511, 511, 511), canon(256, 0, 0, 0), canon(300, 1, 2, 3),
		canon(511, 511, 511, 510),
	}
	for _, va := range vas {
		Map(&m.pool, root, va, 0x5000, Writable)
	}
	start := time.Now()
	if n := UnmapRange(&m.pool, root, 0, 1<<47, false); n != 4 {
		t.Errorf("UnmapRange(lower half) = %d, want 4", n)
	}
	if n := UnmapRange(&m.pool, root, 0xffff_8000_0000_0000, ^uint64(0), false); n != 3 {
		t.Errorf("UnmapRange(upper half) = %d, want 3", n)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("sparse UnmapRange took %v", d)
	}
	for _, va := range vas {
		if e := Lookup(&m.pool, root, va); e != 0 {
			t.Errorf("Lookup(%#x) = %#x after unmap", va, e)
		}
	}

	// Empty and reversed ranges do nothing.
	Map(&m.pool, root, 0x1000, 0x5000, 0)
	if n := UnmapRange(&m.pool, root, 0x1000, 0x1000, false); n != 0 {
		t.Errorf("empty range = %d", n)
	}
	if n := UnmapRange(&m.pool, root, 0x2000, 0x1000, false); n != 0 {
		t.Errorf("reversed range = %d", n)
	}
}

// TestUnmapRangeTop checks ranges that run to the top of the address space:
// they end instead of wrapping around to address 0.
func TestUnmapRangeTop(t *testing.T) {
	m := newMem(0, 1<<20)
	defer runtime.KeepAlive(m)
	root := m.root(t)
	low := uint64(0x1000)
	top := ^uint64(0) &^ (page - 1)
	for _, tc := range []struct {
		name       string
		start, end uint64
		mapped     []uint64
		want       int
	}{
		{"last two pages", top - page, ^uint64(0), []uint64{top - page, top}, 2},
		{"absent tables", 0xffff_ff00_0000_0000, ^uint64(0), nil, 0},
		{"last PT", top - 511*page, ^uint64(0), []uint64{top}, 1},
		{"unaligned start", top + 1, ^uint64(0), []uint64{top}, 1},
		{"unaligned start, page below", top - page + 1, ^uint64(0), []uint64{top - page, top}, 2},
		{"upper half", 0xffff_8000_0000_0000, ^uint64(0), []uint64{top}, 1},
		{"across the hole", 1 << 46, 0xffff_8000_0000_1000, []uint64{1 << 46, 0xffff_8000_0000_0000}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			Map(&m.pool, root, low, 0x5000, 0)
			for _, va := range tc.mapped {
				Map(&m.pool, root, va, 0x6000, 0)
			}
			done := make(chan int, 1)
			go func() { done <- UnmapRange(&m.pool, root, tc.start, tc.end, false) }()
			select {
			case n := <-done:
				if n != tc.want {
					t.Errorf("UnmapRange = %d, want %d", n, tc.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("UnmapRange(%#x, %#x) does not return", tc.start, tc.end)
			}
			for _, va := range tc.mapped {
				if e := Lookup(&m.pool, root, va); e != 0 {
					t.Errorf("%#x still mapped", va)
				}
			}
			if e := Lookup(&m.pool, root, low); e != 0x5000|Present {
				t.Errorf("page at %#x, outside the range, lost: %#x", low, e)
			}
		})
	}
}

// TestModel runs random Map and UnmapRange operations across several PML4
// slots against a map from page address to entry. Each mapping owns a pool
// page, given back by UnmapRange(free) or by the test before a remap, so the
// pool's count is checked too.
func TestModel(t *testing.T) {
	m := newMem(0, 64<<20)
	defer runtime.KeepAlive(m)
	slots := []uint64{0, 1, 255, 256, 400, 511}
	idx := []uint64{0, 1, 2, 255, 510, 511}
	randVA := func(rng *rand.Rand) uint64 {
		return canon(slots[rng.Intn(len(slots))], idx[rng.Intn(len(idx))], idx[rng.Intn(len(idx))], uint64(rng.Intn(512)))
	}
	for seed := int64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewSource(seed))
		root := m.root(t)
		startFree := m.pool.FreePages()
		model := map[uint64]uint64{}
		tables := map[[3]uint64]bool{} // prefixes (slot, pdpt, pd) of tables made
		for step := 0; step < 2000; step++ {
			switch r := rng.Intn(10); {
			case r < 7:
				va := randVA(rng)
				flags := uint64(rng.Intn(8))&(Writable|User) | uint64(rng.Intn(2))<<63
				if old, ok := model[va]; ok {
					m.pool.Free(old & AddrMask)
				}
				pa, ok := m.pool.Alloc()
				if !ok {
					t.Fatal("test pool empty")
				}
				if st := Map(&m.pool, root, va, pa, flags); st != OK {
					t.Fatalf("seed %d step %d: Map(%#x) = %v", seed, step, va, st)
				}
				model[va] = pa | flags | Present
				s, i, j := va>>39&511, va>>30&511, va>>21&511
				tables[[3]uint64{s, 512, 512}] = true
				tables[[3]uint64{s, i, 512}] = true
				tables[[3]uint64{s, i, j}] = true
			default:
				start := randVA(rng)
				var end uint64
				switch rng.Intn(4) {
				case 0:
					end = start + uint64(rng.Intn(600))*page
				case 1:
					end = start + uint64(rng.Intn(2048))<<21
				default:
					end = randVA(rng)
				}
				if end < start && rng.Intn(2) == 0 {
					start, end = end, start
				}
				free := rng.Intn(2) == 0
				want := 0
				for va, e := range model {
					if va >= start && va < end {
						want++
						delete(model, va)
						if !free {
							m.pool.Free(e & AddrMask)
						}
					}
				}
				if n := UnmapRange(&m.pool, root, start, end, free); n != want {
					t.Fatalf("seed %d step %d: UnmapRange(%#x, %#x) = %d, want %d", seed, step, start, end, n, want)
				}
			}
			if got, want := startFree-m.pool.FreePages(), uint64(len(tables)+len(model)); got != want {
				t.Fatalf("seed %d step %d: %d pages out, want %d tables + %d pages", seed, step, got, len(tables), len(model))
			}
			if step%50 == 0 {
				checkTables(t, m, root, model)
			}
			for k := 0; k < 4; k++ {
				va := randVA(rng)
				if got := Lookup(&m.pool, root, va|uint64(rng.Intn(page))); got != model[va] {
					t.Fatalf("seed %d step %d: Lookup(%#x) = %#x, want %#x", seed, step, va, got, model[va])
				}
			}
		}
		checkTables(t, m, root, model)
		UnmapRange(&m.pool, root, 0, 1<<47, true)
		UnmapRange(&m.pool, root, 0xffff_8000_0000_0000, ^uint64(0), true)
		if got := startFree - m.pool.FreePages(); got != uint64(len(tables)) {
			t.Fatalf("seed %d: %d pages out after unmapping all, want %d tables", seed, got, len(tables))
		}
	}
}

// checkTables walks every table from root and compares the leaves with the
// model.
func checkTables(t *testing.T, m *mem, root uint64, model map[uint64]uint64) {
	t.Helper()
	n := 0
	var walk func(tab, va uint64, l uint)
	walk = func(tab, va uint64, l uint) {
		for i := uint64(0); i < 512; i++ {
			e := m.read(tab + i*8)
			if e&Present == 0 {
				if e != 0 {
					t.Fatalf("absent entry %#x", e)
				}
				continue
			}
			v := va | i<<(12+9*l)
			if l == 3 && i >= 256 {
				v |= 0xffff << 48
			}
			if l > 0 {
				if e&(Huge|Writable) != Writable {
					t.Fatalf("table entry %#x at level %d", e, l)
				}
				walk(e&AddrMask, v, l-1)
				continue
			}
			if model[v] != e {
				t.Fatalf("leaf %#x = %#x, model %#x", v, e, model[v])
			}
			n++
		}
	}
	walk(root, 0, 3)
	if n != len(model) {
		t.Fatalf("%d leaves, model has %d", n, len(model))
	}
}
