package span

import (
	"math/rand"
	"testing"
)

func TestPlace(t *testing.T) {
	node := func(c int) int { return c / 4 }
	counts := func(n ...uint64) func(int) uint64 { return func(c int) uint64 { return n[c] } }
	for _, tc := range []struct {
		mask  uint64
		self  int
		count func(int) uint64
		want  int
	}{
		{0xff, 0, counts(1, 0, 0, 0, 0, 0, 0, 0), 1},  // fewest threads
		{0xff, 5, counts(0, 0, 0, 0, 0, 0, 0, 0), 5},  // a tie: the creator's core
		{0xff, 5, counts(0, 0, 0, 0, 0, 1, 0, 0), 4},  // then its node, lowest first
		{0xf0, 0, counts(0, 0, 0, 0, 2, 1, 1, 3), 5},  // only the mask's cores
		{0x0f, 5, counts(3, 3, 3, 3, 0, 0, 0, 0), 0},  // the creator's core outside the mask
		{0x00, 0, counts(0, 0, 0, 0, 0, 0, 0, 0), -1}, // no core
	} {
		if got := Place(tc.mask, tc.self, tc.count, node); got != tc.want {
			t.Errorf("Place(%#x, self %d) = %d, want %d", tc.mask, tc.self, got, tc.want)
		}
	}
}

// TestPlaceSpreads: threads made one after another, each counted where
// Place put it, fill every core of the mask before any core gets a second
// (the policy's property), whatever core makes them.
func TestPlaceSpreads(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for trial := 0; trial < 200; trial++ {
		mask := r.Uint64() & 0xffff
		if mask == 0 {
			continue
		}
		n := make([]uint64, 64)
		cores := 0
		for m := mask; m != 0; m &= m - 1 {
			cores++
		}
		for k := 0; k < 3*cores; k++ {
			self := r.Intn(16)
			c := Place(mask, self, func(c int) uint64 { return n[c] }, func(c int) int { return c / 4 })
			if mask&(1<<c) == 0 {
				t.Fatalf("mask %#x: placed on core %d", mask, c)
			}
			n[c]++
			lo, hi := ^uint64(0), uint64(0)
			for m := mask; m != 0; m &= m - 1 {
				c := 0
				for mm := m; mm&1 == 0; mm >>= 1 {
					c++
				}
				lo, hi = min(lo, n[c]), max(hi, n[c])
			}
			if hi-lo > 1 {
				t.Fatalf("mask %#x after %d threads: counts differ by %d", mask, k+1, hi-lo)
			}
		}
	}
}
