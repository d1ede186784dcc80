package main

import (
	"testing"

	"multikernel/cpudriver/kpi"
)

// TestTwoMeshesPlanned plans the monitors' frames and then the CPU
// drivers' (kmesh) from what is left, as startAll does: 120 frames each
// at 16 cores on 4 nodes, every frame on the node channelHost names, none
// shared between pairs or between the two sets.
func TestTwoMeshesPlanned(t *testing.T) {
	const cores, nodesN, perNode = 16, 4, 64 << 20
	nodes := make([]int, cores)
	for c := range nodes {
		nodes[c] = c * nodesN / cores
	}
	free := make([][]span, nodesN)
	for n := range free {
		free[n] = []span{{uint64(n) * 1 << 30, uint64(n)*1<<30 + perNode}}
	}
	mon, free, err := planChannels(nodes, free)
	if err != nil {
		t.Fatal(err)
	}
	kern, free, err := planChannels(nodes, free)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[uint64]string{}
	for name, chans := range map[string][][]uint64{"monitors": mon, "kmesh": kern} {
		frames := 0
		for i := 0; i < cores; i++ {
			for j := i + 1; j < cores; j++ {
				pa := chans[i][j]
				if chans[j][i] != pa {
					t.Errorf("%s: frame of %d,%d differs from %d,%d", name, i, j, j, i)
				}
				if node := int(pa >> 30); node != nodes[channelHost(i, j)] {
					t.Errorf("%s: frame of %d,%d on node %d, want %d", name, i, j, node, nodes[channelHost(i, j)])
				}
				if other, dup := seen[pa]; dup {
					t.Errorf("%s: frame of %d,%d also %s's", name, i, j, other)
				}
				seen[pa] = name
				frames++
			}
		}
		if frames != 120 {
			t.Errorf("%s: %d frames, want 120", name, frames)
		}
	}
	var left uint64
	for _, f := range free {
		left += total(f)
	}
	if want := uint64(nodesN*perNode - 240*kpi.ChannelSize); left != want {
		t.Errorf("%d bytes left, want %d (240 frames taken)", left, want)
	}
}

// TestMeshPlanShort: a node without room for its frames fails the plan
// and leaves the free memory as it was.
func TestMeshPlanShort(t *testing.T) {
	nodes := []int{0, 0, 0}
	free := [][]span{{{0, 2 * kpi.ChannelSize}}}
	chans, left, err := planChannels(nodes, free)
	if err == nil || chans != nil {
		t.Fatalf("3 frames planned in room for 2")
	}
	if total(left[0]) != 2*kpi.ChannelSize {
		t.Errorf("a failed plan took memory")
	}
}

// TestPublishDistances: the bootstrap core publishes the distances
// between the planned cores' nodes (the SLIT's, or 10 and 20 without),
// which nodeDistance reads back on every core.
func TestPublishDistances(t *testing.T) {
	square := func(a, b int) int {
		return [4][4]int{{10, 16, 16, 22}, {16, 10, 22, 16}, {16, 22, 10, 16}, {22, 16, 16, 10}}[a][b]
	}
	nodes := []int{0, 0, 1, 1, 2, 2, 3, 3}
	apics := make([]uint32, len(nodes))
	for _, tc := range []struct {
		name string
		dist func(a, b int) int
		want func(a, b int) int
	}{
		{"slit", square, square},
		{"none", nil, func(a, b int) int { return map[bool]int{true: 10, false: 20}[a == b] }},
	} {
		sh := new(sharedLayout)
		publishCores(sh, apics, nodes, nil, nil, tc.dist)
		got := nodeDistance(sh)
		for a := range 4 {
			for b := range 4 {
				if g, w := got(a, b), tc.want(a, b); g != w {
					t.Errorf("%s: distance %d-%d = %d, want %d", tc.name, a, b, g, w)
				}
			}
		}
		if got(-1, 0) != 255 || got(0, maxCores) != 255 {
			t.Errorf("%s: a node out of range is not the farthest", tc.name)
		}
	}
}
