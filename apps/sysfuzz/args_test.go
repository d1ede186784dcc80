package main

import (
	"math/rand/v2"
	"syscall"
	"testing"
)

// TestMemRange: a range the fuzzer may change lies in its region or below
// 1 MiB and a few pages; a hostile one starts or ends where no program's
// memory may be.
func TestMemRange(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 100000; i++ {
		a, n, h := memRange(r)
		switch {
		case h && a < userLimit && a+n <= userLimit:
			t.Fatalf("hostile range [%#x, +%#x) is the user half's", a, n)
		case !h && !inRegion(a, n) && (a >= 4*pageSize || n >= 1<<20):
			t.Fatalf("range [%#x, +%#x) is outside the region and not at null", a, n)
		}
	}
}

// TestPointers: a pointer argument is hostile exactly when no program may
// use it; the others are in the region, at its end or at null.
func TestPointers(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 100000; i++ {
		p, h := ptr(r)
		switch {
		case h != (p >= userLimit-pageSize):
			t.Fatalf("pointer %#x: hostile %v", p, h)
		case !h && p >= pageSize && !inRegion(p, 0):
			t.Fatalf("pointer %#x is neither the region's nor null", p)
		}
		if a := hostileAddr(r); a < userLimit-pageSize {
			t.Fatalf("hostile address %#x is in the user half", a)
		}
	}
}

// TestInRegion checks the region's bounds, including a length that would
// wrap.
func TestInRegion(t *testing.T) {
	for _, c := range []struct {
		a, n uintptr
		want bool
	}{
		{regionBase, regionSize, true},
		{regionBase, regionSize + 1, false},
		{regionBase - 1, 1, false},
		{regionBase + regionSize - 1, 1, true},
		{regionBase + regionSize, 0, true},
		{regionBase + pageSize, ^uintptr(0), false},
	} {
		if got := inRegion(c.a, c.n); got != c.want {
			t.Errorf("inRegion(%#x, %#x) = %v", c.a, c.n, got)
		}
	}
}

// TestErrnoOf splits raw results as Linux returns them.
func TestErrnoOf(t *testing.T) {
	if r, e := errnoOf(^uintptr(13)); e != syscall.EFAULT || r != ^uintptr(0) {
		t.Errorf("-EFAULT: %#x, %v", r, e)
	}
	if r, e := errnoOf(0x7fff0000); e != 0 || r != 0x7fff0000 {
		t.Errorf("an address: %#x, %v", r, e)
	}
}
