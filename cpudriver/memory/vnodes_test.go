package memory

import (
	"testing"

	"multikernel/cap"
	"multikernel/cpudriver/capcore"
)

// TestVNodeTables: tables come from the account as VNode capabilities of
// their level, descendants of the chunk that holds them; a walk that
// finds none of a level is told to refill; once the core's RAM
// capability is full a refill fails and no table is made; and releasing
// the space leaves no VNode capability behind.
func TestVNodeTables(t *testing.T) {
	const ramBase, ramSize = 0x1000_0000, 4 << 20 // one 4 MiB chunk at most
	f := useFakePages(t)
	if err := Init(0, ramBase, ramSize); err != nil {
		t.Fatal(err)
	}
	db := capcore.DB()
	var a Account
	var v VNodeSet
	if pa := v.Take(3); pa != 0 || v.want[3] != 1 {
		t.Fatalf("take from an empty set = %#x, want 0 and a PML4 wanted", pa)
	}
	capcore.Lock()
	ok := v.Refill(db, &a)
	capcore.Unlock()
	if !ok {
		t.Fatal("refill failed")
	}
	var taken []uint64
	for l := 3; l >= 0; l-- {
		pa := v.Take(l)
		if pa == 0 {
			t.Fatalf("no level-%d table after a refill", l)
		}
		c, err := db.Identify(v.caps[pa])
		if err != nil || c.Type != vnodeTypes[l] || c.Base != pa || c.Size != pageSize {
			t.Fatalf("level-%d table %#x: capability %v, %v", l, pa, c, err)
		}
		if !f.zeroed[pa] {
			t.Errorf("table %#x not zeroed", pa)
		}
		taken = append(taken, pa)
	}
	if v.Take(0) != 0 || v.want[0] != 1 {
		t.Fatalf("a second PT without a refill")
	}
	// Fill the RAM capability: no table can be made any more.
	for !a.Exhausted() {
		if _, err := a.Alloc(); err == ErrNeedMemory {
			a.Add(ReserveChunk(a.NextSize()))
		}
	}
	capcore.Lock()
	v.want[0] = 3
	ok = v.Refill(db, &a)
	capcore.Unlock()
	if ok || !v.failed || v.Take(0) != 0 {
		t.Fatalf("a refill with the RAM capability full: ok %v, failed %v", ok, v.failed)
	}
	if v.inUse != [4]int{1, 1, 1, 1} || v.capped != [4]int{1, 1, 1, 1} {
		t.Errorf("in use %v, capabilities %v", v.inUse, v.capped)
	}
	n := 0
	for _, id := range db.Descendants(ramRoots[0].id) {
		if c, _ := db.Identify(id); c.Type >= cap.VNodePML4 && c.Type <= cap.VNodePT {
			n++
		}
	}
	if n < 4 {
		t.Errorf("%d VNode capabilities in the database, want at least 4", n)
	}
	for _, pa := range taken { // what ReleaseUserSpace hands back
		a.DropAtExit(pa)
	}
	v.Release(a.DropAtExit)
	accountPages.Store(0) // the pages alloc handed out above are not tracked here
	a.Release()
	if n := len(db.Descendants(ramRoots[0].id)); n != 0 {
		t.Errorf("%d descendants of the RAM capability left", n)
	}
}
