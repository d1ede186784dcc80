package main

import (
	"testing"

	"multikernel/cpudriver/acpi"
)

// TestPublishNodeMemory: the nodes' SRAT ranges reach the other cores
// through the shared area, an address is of the node whose range holds
// it (-1 for a hole), all memory is node 0's without a SRAT, and a node
// with more ranges than the area holds keeps the first ones.
func TestPublishNodeMemory(t *testing.T) {
	ranges := func(rs ...[2]uint64) (out []acpi.MemoryAffinity) {
		for _, r := range rs {
			out = append(out, acpi.MemoryAffinity{Base: r[0], Length: r[1]})
		}
		return out
	}
	const g = 1 << 30
	topo := &acpi.Topology{Nodes: []acpi.Node{
		{Memory: ranges([2]uint64{0, 0xa0000}, [2]uint64{0x100000, g - 0x100000})},
		{Memory: ranges([2]uint64{g, g})},
		{Memory: ranges([2]uint64{2 * g, 0}, [2]uint64{3 * g, g})}, // an empty range is left out
		{Memory: ranges([2]uint64{4 * g, 1}, [2]uint64{5 * g, 1}, [2]uint64{6 * g, 1}, [2]uint64{7 * g, 1}, [2]uint64{8 * g, 1})},
	}}
	sh := new(sharedLayout)
	publishNodeMemory(sh, topo)
	node := nodeOfAddr(sh)
	for _, tc := range []struct {
		pa   uint64
		want int
	}{
		{0x1000, 0}, {0xa0000, -1}, {0x100000, 0}, {g - 1, 0}, {g, 1}, {2*g - 1, 1},
		{2 * g, -1}, {3 * g, 2}, {4*g - 1, 2}, {4 * g, 3}, {7 * g, 3}, {8 * g, -1},
	} {
		if got := node(tc.pa); got != tc.want {
			t.Errorf("node of %#x = %d, want %d", tc.pa, got, tc.want)
		}
	}
	none := new(sharedLayout)
	publishNodeMemory(none, &acpi.Topology{Nodes: []acpi.Node{{}}})
	if got := nodeOfAddr(none)(5 * g); got != 0 {
		t.Errorf("without a SRAT: node %d, want 0", got)
	}
	if nodeOfAddr(nil) != nil {
		t.Errorf("no shared area: a node map")
	}
}
