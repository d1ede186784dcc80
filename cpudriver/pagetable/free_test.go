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
	n := FreeLowerFunc(pool, root, pool.Free)
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
