package pagetable

import (
	"runtime"
	"testing"
)

// TestFreeLower maps pages in the lower and upper halves, frees the lower
// half, and checks that every page it took came back and the upper half
// is untouched.
func TestFreeLower(t *testing.T) {
	m := newMem(0x100000, 256*page)
	defer runtime.KeepAlive(m)
	pool := &m.pool
	root := m.root(t)
	before := pool.FreePages()
	for _, va := range []uint64{0x1000, 0x2000, 0x40000000, 0x7fff00000000, 0x7ffffffff000} {
		pa, _ := pool.AllocZeroed()
		if st := Map(pool, root, va, pa, Writable|User); st != OK {
			t.Fatalf("Map(%#x) = %v", va, st)
		}
	}
	upper := uint64(0xffff900000000000)
	pa, _ := pool.AllocZeroed()
	Map(pool, root, upper, pa, Writable)
	afterUpper := pool.FreePages()
	n := FreeLowerFunc(pool, root, pool.Free, pool.Free)
	if Lookup(pool, root, 0x1000) != 0 || Lookup(pool, root, 0x7ffffffff000) != 0 {
		t.Errorf("lower-half mappings survived")
	}
	if Lookup(pool, root, upper)&Present == 0 {
		t.Errorf("the upper half was touched")
	}
	if got, want := pool.FreePages(), afterUpper+uint64(n); got != want {
		t.Errorf("free pages %d after freeing %d, want %d", got, n, want)
	}
	if pool.FreePages() > before {
		t.Errorf("more pages free than before the test (%d > %d)", pool.FreePages(), before)
	}
}

// TestMapAlloc maps through tables taken from an allocator: each missing
// level is asked for once, a failing allocator stops the walk with
// OutOfMemory, and the mapping works once the allocator gives.
func TestMapAlloc(t *testing.T) {
	m := newMem(0x100000, 64*page)
	defer runtime.KeepAlive(m)
	pool := &m.pool
	root := m.root(t)
	var asked []int
	give := true
	alloc := func(level int) uint64 {
		asked = append(asked, level)
		if !give {
			return 0
		}
		pa, _ := pool.AllocZeroed()
		return pa
	}
	pa, _ := pool.AllocZeroed()
	give = false
	if st := MapAlloc(pool, root, 0x40201000, pa, Writable|User, alloc); st != OutOfMemory || len(asked) != 1 || asked[0] != 2 {
		t.Fatalf("MapAlloc with no tables = %v, asked %v", st, asked)
	}
	give, asked = true, nil
	if st := MapAlloc(pool, root, 0x40201000, pa, Writable|User, alloc); st != OK || len(asked) != 3 || asked[0] != 2 || asked[1] != 1 || asked[2] != 0 {
		t.Fatalf("MapAlloc = %v, asked %v", st, asked)
	}
	if e := Lookup(pool, root, 0x40201000); e&AddrMask != pa || e&(Present|Writable|User) != Present|Writable|User {
		t.Fatalf("entry %#x, want %#x mapped user-writable", e, pa)
	}
	asked = nil
	if st := MapAlloc(pool, root, 0x40202000, pa, User, alloc); st != OK || len(asked) != 0 {
		t.Fatalf("MapAlloc beside it = %v, asked %v (its tables exist)", st, asked)
	}
}

// TestFreeSlot frees one PML4 slot's subtree: its pages and tables are
// handed out, the entry is cleared, and the other slots keep theirs.
func TestFreeSlot(t *testing.T) {
	m := newMem(0x100000, 64*page)
	defer runtime.KeepAlive(m)
	pool := &m.pool
	root := m.root(t)
	const slot = 70
	in, out := uint64(slot)<<39|0x1000, uint64(slot+1)<<39
	var leaves []uint64
	for _, va := range []uint64{in, in + 0x200000, out} {
		pa, _ := pool.AllocZeroed()
		if Map(pool, root, va, pa, Writable|User) != OK {
			t.Fatalf("Map(%#x) failed", va)
		}
		if va != out {
			leaves = append(leaves, pa)
		}
	}
	var gotLeaves []uint64
	tables, levels := 0, 0
	n := FreeSlot(pool, root, slot, func(pa uint64) { gotLeaves = append(gotLeaves, pa) },
		func(_ uint64, level int) { tables++; levels += level })
	if len(gotLeaves) != 2 || gotLeaves[0] != leaves[0] || gotLeaves[1] != leaves[1] {
		t.Errorf("leaves %#x, want %#x", gotLeaves, leaves)
	}
	if tables != 4 || levels != 3 || n != 6 { // a PDPT (2), a PD (1) and two PTs (0)
		t.Errorf("%d tables (levels summing to %d), %d in all; want 4 (3) and 6", tables, levels, n)
	}
	if *entry(pool, root, slot) != 0 || Lookup(pool, root, in) != 0 {
		t.Errorf("the slot's entry survived")
	}
	if Lookup(pool, root, out)&Present == 0 {
		t.Errorf("the next slot lost its mapping")
	}
	if FreeSlot(pool, root, slot, nil, nil) != 0 || FreeSlot(pool, root, 256, nil, nil) != 0 {
		t.Errorf("an empty or upper-half slot freed something")
	}
}

// TestReserved: a Reserved entry holds its page for one node with its
// rights, the hardware sees it absent, it is freed as a kept page, and
// Claim makes it an ordinary present entry with those rights.
func TestReserved(t *testing.T) {
	e := ReservedEntry(0x1234000|0xfff, Writable|Dirty|NoExecute, 5)
	if e&Present != 0 || e&AddrMask != 0x1234000 || e&Writable == 0 || e&NoExecute == 0 || e&Dirty != 0 {
		t.Errorf("ReservedEntry = %#x", e)
	}
	if n, ok := ReservedFor(e); !ok || n != 5 {
		t.Errorf("ReservedFor = %d, %v; want 5", n, ok)
	}
	c := Claim(e)
	if c != 0x1234000|Present|Writable|User|NoExecute {
		t.Errorf("Claim = %#x", c)
	}
	for _, o := range []uint64{c, Kept | 0x5000, 0, ReservedEntry(0x1000, 0, 63) | Present} {
		if _, ok := ReservedFor(o); ok {
			t.Errorf("ReservedFor(%#x) says reserved", o)
		}
	}
	if n, _ := ReservedFor(ReservedEntry(0x1000, 0, 63)); n != 63 {
		t.Errorf("node 63 reads back as %d", n)
	}
	m := newMem(0x100000, 64*page)
	defer runtime.KeepAlive(m)
	pool := &m.pool
	root := m.root(t)
	pa, _ := pool.AllocZeroed()
	if SetAlloc(pool, root, 0x400000, ReservedEntry(pa, Writable, 1), func(int) uint64 { p, _ := pool.AllocZeroed(); return p }) != OK {
		t.Fatal("SetAlloc failed")
	}
	var freed []uint64
	if n := UnmapRangeFunc(pool, root, 0x400000, 0x401000, func(p uint64) { freed = append(freed, p) }); n != 1 || len(freed) != 1 || freed[0] != pa {
		t.Errorf("unmapping the reserved entry freed %#x (%d)", freed, n)
	}
}
