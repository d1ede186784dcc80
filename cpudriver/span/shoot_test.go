package span

import (
	"math/bits"
	"math/rand"
	"testing"
)

func TestShootRoutes16(t *testing.T) {
	node := func(c int) int { return c / 4 }
	uni := ShootRoutes(0xffff, 0, node, false)
	numa := ShootRoutes(0xffff, 0, node, true)
	if len(uni) != 15 || CrossNode(uni, 0, node) != 12 {
		t.Errorf("unicast: %d routes, %d across nodes; want 15, 12", len(uni), CrossNode(uni, 0, node))
	}
	if c := CrossNode(numa, 0, node); c != 3 || 3*c > CrossNode(uni, 0, node) {
		t.Errorf("NUMA-aware: %d messages across nodes, want 3 (at least 3x fewer than unicast's 12)", c)
	}
}

// TestShootRoutesReach: every live core but the initiator is reached
// exactly once, by either plan, and a forwarder only forwards within its
// node.
func TestShootRoutesReach(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	node := func(c int) int { return c / 4 }
	for trial := 0; trial < 500; trial++ {
		live, self := r.Uint64()&0xffff, r.Intn(16)
		for _, numa := range []bool{false, true} {
			var got uint64
			for _, rt := range ShootRoutes(live, self, node, numa) {
				for _, c := range append([]int{rt.Core}, coresIn(rt.Forward)...) {
					if got&(1<<c) != 0 {
						t.Fatalf("live %#x self %d: core %d reached twice", live, self, c)
					}
					got |= 1 << c
				}
				for _, c := range coresIn(rt.Forward) {
					if node(c) != node(rt.Core) {
						t.Fatalf("core %d forwards to core %d on another node", rt.Core, c)
					}
				}
			}
			if want := live &^ (1 << self); got != want {
				t.Fatalf("live %#x self %d numa %v: reached %#x", live, self, numa, got)
			}
		}
	}
}

func coresIn(m uint64) (cs []int) {
	for ; m != 0; m &= m - 1 {
		cs = append(cs, bits.TrailingZeros64(m))
	}
	return cs
}
