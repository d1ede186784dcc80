package ranges

import (
	"math/rand"
	"testing"

	"multikernel/cpudriver/kpi"
)

// TestSpan checks the arguments every range call takes.
func TestSpan(t *testing.T) {
	b := Base(3)
	for _, c := range []struct {
		addr, length uint64
		slot         int
		errno        int64
	}{
		{b, pageSize, 3, 0},
		{b + kpi.RangeSize - pageSize, pageSize, 3, 0},
		{b, kpi.RangeSize, 3, 0},
		{b, kpi.RangeSize + pageSize, 0, -kpi.EINVAL}, // into the next slot
		{b + 1, pageSize, 0, -kpi.EINVAL},
		{b, 1, 0, -kpi.EINVAL},
		{b, 0, 0, -kpi.EINVAL},
		{kpi.RangeBase - pageSize, pageSize, 0, -kpi.EINVAL},
		{kpi.RangeEnd, pageSize, 0, -kpi.EINVAL},
		{b, ^uint64(0) &^ (pageSize - 1), 0, -kpi.EINVAL}, // wraps
		{0xffff800000000000, pageSize, 0, -kpi.EINVAL},
	} {
		s, e := Span(c.addr, c.length)
		if e != c.errno || e == 0 && s != c.slot {
			t.Errorf("Span(%#x, %#x) = %d, %d; want %d, %d", c.addr, c.length, s, e, c.slot, c.errno)
		}
	}
	if s := PML4Slot(0); s != 64 {
		t.Errorf("slot 0 is PML4 entry %d", s)
	}
	if s := PML4Slot(kpi.MaxRanges - 1); s >= 256 {
		t.Errorf("the last slot is PML4 entry %d, in the upper half", s)
	}
}

// TestTableModel runs random operations on a Table and on a map that
// says what each should do: slots are handed out lowest first, a private
// range's slot comes back after its delete and a shared one's never, a
// bad set of cores or an unknown base is EINVAL, and a full table ENOSPC.
func TestTableModel(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for round := 0; round < 200; round++ {
		var tab Table
		liveM := map[int]uint64{}
		retiredM := map[int]bool{}
		allowed := uint64(rng.Intn(1<<16)) | 1
		for op := 0; op < 300; op++ {
			switch rng.Intn(3) {
			case 0, 1:
				cores := uint64(rng.Intn(1 << 17))
				if rng.Intn(2) == 0 {
					cores = 1 << rng.Intn(17)
				}
				want, wantErr := -1, int64(0)
				if cores == 0 || cores&^allowed != 0 {
					wantErr = -kpi.EINVAL
				} else {
					for s := 0; s < kpi.MaxRanges; s++ {
						if _, ok := liveM[s]; !ok && !retiredM[s] {
							want = s
							break
						}
					}
					if want < 0 {
						wantErr = -kpi.ENOSPC
					}
				}
				s, e := tab.New(cores, allowed)
				if e != wantErr || e == 0 && s != want {
					t.Fatalf("round %d: New(%#x, %#x) = %d, %d; want %d, %d", round, cores, allowed, s, e, want, wantErr)
				}
				if e == 0 {
					liveM[s] = cores
				}
			case 2:
				s := rng.Intn(kpi.MaxRanges + 1)
				base := Base(s)
				if rng.Intn(8) == 0 {
					base += pageSize
				}
				cores, isLive := liveM[s]
				ok := isLive && base == Base(s)
				gs, gc, e := tab.Delete(base)
				if (e == 0) != ok || ok && (gs != s || gc != cores) {
					t.Fatalf("round %d: Delete(%#x) = %d, %#x, %d; want live %v (%#x)", round, base, gs, gc, e, ok, cores)
				}
				if ok {
					delete(liveM, s)
					if _, private := Private(cores); !private {
						retiredM[s] = true
					}
				}
			}
			for s := -1; s <= kpi.MaxRanges; s++ {
				c, ok := tab.Cores(s)
				if wc, wok := liveM[s]; ok != wok || c != wc {
					t.Fatalf("round %d: Cores(%d) = %#x, %v; want %#x, %v", round, s, c, ok, wc, wok)
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
	f.Add(uint64(kpi.RangeBase), uint64(pageSize))
	f.Fuzz(func(t *testing.T, addr, length uint64) {
		s, e := Span(addr, length)
		if e != 0 {
			return
		}
		if addr < Base(s) || addr+length > Base(s)+kpi.RangeSize || length == 0 || addr%pageSize != 0 {
			t.Fatalf("Span(%#x, %#x) accepted slot %d", addr, length, s)
		}
	})
}
