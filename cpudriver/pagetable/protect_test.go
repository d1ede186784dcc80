package pagetable

import (
	"runtime"
	"testing"
)

// TestProtectRange changes the entries of a range: only those that hold
// a page are visited, the count is of entries changed, and an entry made
// Kept (not present) still holds its page: Lookup returns it, and
// UnmapRangeFunc and FreeLowerFunc hand its page over like a present
// one's.
func TestProtectRange(t *testing.T) {
	m := newMem(0x100000, 256*page)
	defer runtime.KeepAlive(m)
	pool := &m.pool
	root := m.root(t)
	pages := map[uint64]uint64{}
	for _, va := range []uint64{0x10000, 0x11000, 0x13000, 0x40000000} {
		pa, _ := pool.AllocZeroed()
		if st := Map(pool, root, va, pa, Writable|User); st != OK {
			t.Fatalf("Map(%#x) = %v", va, st)
		}
		pages[va] = pa
	}
	visited := 0
	none := func(e uint64) uint64 { visited++; return e&^Present | Kept }
	if n := ProtectRange(pool, root, 0x10000, 0x14000, none); n != 3 || visited != 3 {
		t.Fatalf("ProtectRange changed %d of %d visited entries, want 3 of 3", n, visited)
	}
	if n := ProtectRange(pool, root, 0x10000, 0x14000, func(e uint64) uint64 { return e }); n != 0 {
		t.Errorf("an identity change counted %d entries", n)
	}
	for va, pa := range pages {
		e := Lookup(pool, root, va)
		kept := va < 0x14000
		if e&AddrMask != pa || (e&Present == 0) != kept || (e&Kept != 0) != kept {
			t.Errorf("entry at %#x = %#x (page %#x, kept %v)", va, e, pa, kept)
		}
	}
	// Back to present and read-only: Writable cleared, the page kept.
	ro := func(e uint64) uint64 { return (e | Present) &^ (Kept | Writable) }
	if n := ProtectRange(pool, root, 0x11000, 0x12000, ro); n != 1 {
		t.Fatalf("ProtectRange of one page changed %d", n)
	}
	if e := Lookup(pool, root, 0x11000); e&(Present|Writable|Kept) != Present || e&AddrMask != pages[0x11000] {
		t.Errorf("entry %#x, want the page present and read-only", e)
	}
	var got []uint64
	if n := UnmapRangeFunc(pool, root, 0x10000, 0x11000, func(pa uint64) { got = append(got, pa) }); n != 1 || len(got) != 1 || got[0] != pages[0x10000] {
		t.Errorf("unmapping a kept page: %d entries, pages %#x; want its page %#x", n, got, pages[0x10000])
	}
	got = nil
	FreeLowerFunc(pool, root, func(pa uint64) { got = append(got, pa) }, pool.Free)
	if len(got) != 3 {
		t.Errorf("FreeLowerFunc handed over %d pages (%#x), want 3 (a kept one among them)", len(got), got)
	}
}
