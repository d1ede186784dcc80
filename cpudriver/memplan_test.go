package main

import (
	"reflect"
	"testing"
)

func TestCarve(t *testing.T) {
	spans := []span{{0x1000, 0x3000}, {0x10000, 0x20000}}
	taken, left := carve(spans, 0x4000)
	if !reflect.DeepEqual(taken, []span{{0x1000, 0x3000}, {0x10000, 0x12000}}) || !reflect.DeepEqual(left, []span{{0x12000, 0x20000}}) {
		t.Errorf("carve: taken %v left %v", taken, left)
	}
	if total(taken)+total(left) != total(spans) {
		t.Errorf("carve lost memory")
	}
	base, rest, ok := carveContig([]span{{0x1000, 0x2000}, {0x10000, 0x20000}}, 0x8000)
	if !ok || base != 0x10000 || rest[1].base != 0x18000 {
		t.Errorf("carveContig = %#x %v %v", base, rest, ok)
	}
	if _, _, ok := carveContig([]span{{0, 0x1000}}, 0x2000); ok {
		t.Errorf("carveContig found room that is not there")
	}
}

// TestPlanRAM: two nodes of two cores (one node's memory in two pieces):
// each core's RAM is at most coreRAM, on its node; each node's reserve
// is at its first core; nothing overlaps; and what is left still gives
// every CPU driver its keep.
func TestPlanRAM(t *testing.T) {
	const mib = 1 << 20
	nodes := []int{0, 0, 1, 1}
	free := [][]span{
		{{1 * mib, 200 * mib}, {256 * mib, 512 * mib}},
		{{512 * mib, 1024 * mib}},
	}
	nodeOf := func(b uint64) int {
		if b >= 512*mib {
			return 1
		}
		return 0
	}
	plan, left := planRAM(nodes, [][]span{append([]span(nil), free[0]...), append([]span(nil), free[1]...)})
	var all []span
	for c, r := range plan.core {
		if r[1] == 0 || r[1] > coreRAM || nodeOf(r[0]) != nodes[c] {
			t.Errorf("core %d: RAM %#x+%#x", c, r[0], r[1])
		}
		all = append(all, span{r[0], r[0] + r[1]})
	}
	for c, rs := range plan.reserve {
		if (len(rs) > 0) != (c == 0 || c == 2) {
			t.Errorf("core %d serves %v", c, rs)
		}
		for _, r := range rs {
			if nodeOf(r.base) != nodes[c] || r.size()%mib != 0 {
				t.Errorf("core %d: reserve piece %v", c, r)
			}
			all = append(all, r)
		}
	}
	for n := range left {
		if total(left[n]) < 2*kernelMemory {
			t.Errorf("node %d: %d bytes left for two CPU drivers", n, total(left[n]))
		}
		all = append(all, left[n]...)
	}
	sum := uint64(0)
	for i, a := range all {
		sum += a.size()
		for _, b := range all[i+1:] {
			if a.base < b.end && b.base < a.end {
				t.Errorf("%v and %v overlap", a, b)
			}
		}
	}
	if want := total(free[0]) + total(free[1]); sum != want {
		t.Errorf("%d bytes planned, want all %d", sum, want)
	}
	if r := plan.reserve[2]; total(r) != 512*mib-2*coreRAM-2*kernelMemory {
		t.Errorf("node 1's reserve is %d bytes", total(r))
	}
}
