package ranges

import (
	"math/rand"
	"testing"

	"multikernel/cpudriver/kpi"
)

// TestSpan checks the arguments every range call takes.
func TestSpan(t *testing.T) {
	b := uint64(100) << 39
	for _, c := range []struct {
		addr, length uint64
		slot         int
		errno        int64
	}{
		{b, pageSize, 100, 0},
		{b + kpi.RangeSize - pageSize, pageSize, 100, 0},
		{b, kpi.RangeSize, 100, 0},
		{b, kpi.RangeSize + pageSize, 0, -kpi.EINVAL}, // into the next slot
		{b + 1, pageSize, 0, -kpi.EINVAL},
		{b, 1, 0, -kpi.EINVAL},
		{b, 0, 0, -kpi.EINVAL},
		{b, ^uint64(0) &^ (pageSize - 1), 0, -kpi.EINVAL}, // wraps
		{0xffff800000000000, pageSize, 0, -kpi.EINVAL},
		{1 << 47, pageSize, 0, -kpi.EINVAL},
	} {
		s, e := Span(c.addr, c.length)
		if e != c.errno || e == 0 && s != c.slot {
			t.Errorf("Span(%#x, %#x) = %d, %d; want %d, %d", c.addr, c.length, s, e, c.slot, c.errno)
		}
	}
}

// TestTableModel runs random operations on a Table and on a model that
// says what each should do: indexes are handed out lowest first; a
// private range's index and slot come back after its delete, a shared
// one's never; a bad set of cores, a slot in use or an unknown base is
// EINVAL, and a full table ENOSPC; At finds exactly the live ranges'
// slots, and IsRangeSlot the live and retired ones.
func TestTableModel(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	type rec struct {
		cores uint64
		slot  int
	}
	for round := 0; round < 200; round++ {
		var tab Table
		liveM := map[int]rec{}
		retiredM := map[int]int{} // index: slot
		slotUsed := map[int]bool{}
		allowed := uint64(rng.Intn(1<<16)) | 1
		for op := 0; op < 300; op++ {
			switch rng.Intn(3) {
			case 0, 1:
				cores := uint64(rng.Intn(1 << 17))
				if rng.Intn(2) == 0 {
					cores = 1 << rng.Intn(17)
				}
				slot := rng.Intn(Slots+2) - 1
				want, wantErr := -1, int64(0)
				if cores == 0 || cores&^allowed != 0 || slot < 1 || slot >= Slots || slotUsed[slot] {
					wantErr = -kpi.EINVAL
				} else {
					for i := 0; i < kpi.MaxRanges; i++ {
						_, l := liveM[i]
						_, r := retiredM[i]
						if !l && !r {
							want = i
							break
						}
					}
					if want < 0 {
						wantErr = -kpi.ENOSPC
					}
				}
				i, e := tab.New(cores, allowed, slot)
				if e != wantErr || e == 0 && i != want {
					t.Fatalf("round %d: New(%#x, %#x, %d) = %d, %d; want %d, %d", round, cores, allowed, slot, i, e, want, wantErr)
				}
				if e == 0 {
					liveM[i] = rec{cores, slot}
					slotUsed[slot] = true
				}
			case 2:
				slot := rng.Intn(Slots)
				base := uint64(slot) << 39
				if rng.Intn(8) == 0 {
					base += pageSize
				}
				var idx = -1
				for i, r := range liveM {
					if r.slot == slot {
						idx = i
					}
				}
				ok := idx >= 0 && base == uint64(slot)<<39
				gi, gc, gfree, e := tab.Delete(base)
				if (e == 0) != ok || ok && (gi != idx || gc != liveM[idx].cores) {
					t.Fatalf("round %d: Delete(%#x) = %d, %#x, %d; want live %v (%d)", round, base, gi, gc, e, ok, idx)
				}
				if ok {
					_, private := Private(gc)
					if gfree != private {
						t.Fatalf("round %d: slot free %v for a range of cores %#x", round, gfree, gc)
					}
					if private {
						delete(slotUsed, slot)
					} else {
						retiredM[idx] = slot
					}
					delete(liveM, idx)
				}
			}
			for s := 0; s < Slots; s++ {
				i, ok := tab.At(uint64(s)<<39 | 0x1000)
				r, l := liveM[i]
				if ok != (l && r.slot == s) {
					t.Fatalf("round %d: At(slot %d) = %d, %v", round, s, i, ok)
				}
				if tab.IsRangeSlot(s) != slotUsed[s] {
					t.Fatalf("round %d: IsRangeSlot(%d) = %v", round, s, tab.IsRangeSlot(s))
				}
			}
			for i := -1; i <= kpi.MaxRanges; i++ {
				c, ok := tab.Cores(i)
				if r, l := liveM[i]; ok != l || c != r.cores || l && tab.Base(i) != uint64(r.slot)<<39 {
					t.Fatalf("round %d: Cores(%d) = %#x, %v", round, i, c, ok)
				}
			}
			if got := tab.Live(); len(got) != len(liveM) {
				t.Fatalf("round %d: %d live, want %d", round, len(got), len(liveM))
			}
		}
	}
}

// TestPrivate tells a private range's core from a shared range.
func TestPrivate(t *testing.T) {
	if c, ok := Private(1 << 5); !ok || c != 5 {
		t.Errorf("Private(1<<5) = %d, %v", c, ok)
	}
	if _, ok := Private(3); ok {
		t.Errorf("two cores make a private range")
	}
	if _, ok := Private(0); ok {
		t.Errorf("no core makes a private range")
	}
}

// FuzzSpan: Span never accepts a span outside one slot.
func FuzzSpan(f *testing.F) {
	f.Add(uint64(100)<<39, uint64(pageSize))
	f.Fuzz(func(t *testing.T, addr, length uint64) {
		s, e := Span(addr, length)
		if e != 0 {
			return
		}
		if addr < uint64(s)<<39 || addr+length > uint64(s+1)<<39 || length == 0 || addr%pageSize != 0 || s >= Slots {
			t.Fatalf("Span(%#x, %#x) accepted slot %d", addr, length, s)
		}
	})
}

// TestAttach: cfork attaches a live shared range to one more core; a
// private range, a deleted one and a bad core are refused and change
// nothing.
func TestAttach(t *testing.T) {
	var tb Table
	shared, _ := tb.New(0b11, 0b1111, 10)
	private, _ := tb.New(0b1, 0b1111, 11)
	gone, _ := tb.New(0b110, 0b1111, 12)
	tb.Delete(tb.Base(gone))
	if e := tb.Attach(shared, 3); e != 0 {
		t.Fatalf("attach to a shared range: %d", e)
	}
	if c, _ := tb.Cores(shared); c != 0b1011 {
		t.Errorf("cores after attach: %#b", c)
	}
	for _, c := range []struct{ i, core int }{{private, 2}, {gone, 0}, {shared, 64}, {shared, -1}, {kpi.MaxRanges, 0}} {
		if e := tb.Attach(c.i, c.core); e != -kpi.EINVAL {
			t.Errorf("attach range %d to core %d: %d, want EINVAL", c.i, c.core, e)
		}
	}
	if c, _ := tb.Cores(private); c != 0b1 {
		t.Errorf("a refused attach changed the private range: %#b", c)
	}
}
