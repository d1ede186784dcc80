package shootdown

import (
	"errors"
	"slices"
	"testing"
)

// TestNUMATreeMatchesSKB checks the tree against the one
// skb/programs/multicast.pl gives from core 0 and core 5 over the 16
// cores with the SLIT as costs (worked by hand from its clauses).
func TestNUMATreeMatchesSKB(t *testing.T) {
	topo := square()
	for _, c := range []struct {
		root int
		want []Edge
	}{
		{0, []Edge{{0, 12}, {0, 4}, {0, 8}, {0, 1}, {0, 2}, {0, 3},
			{12, 13}, {12, 14}, {12, 15}, {4, 5}, {4, 6}, {4, 7}, {8, 9}, {8, 10}, {8, 11}}},
		{5, []Edge{{5, 8}, {5, 0}, {5, 12}, {5, 4}, {5, 6}, {5, 7},
			{8, 9}, {8, 10}, {8, 11}, {0, 1}, {0, 2}, {0, 3}, {12, 13}, {12, 14}, {12, 15}}},
	} {
		got := NUMATree(topo, c.root, topo.All()).Edges()
		if !slices.Equal(got, c.want) {
			t.Errorf("from %d: %v, want %v", c.root, got, c.want)
		}
	}
}

// TestTreeFromParents checks that a parent array as the monitor builds it
// from the SKB's edges gives back the same tree, sends in the same order.
func TestTreeFromParents(t *testing.T) {
	topo := square()
	for _, root := range []int{0, 6, 15} {
		want := NUMATree(topo, root, topo.All())
		var parent [64]uint8
		for i := range parent {
			parent[i] = 0xff
		}
		for _, e := range want.Edges() {
			parent[e.To] = uint8(e.From)
		}
		got, err := TreeFromParents(root, parent[:], 0xff, topo)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Edges(), want.Edges()) {
			t.Errorf("from %d: %v, want %v", root, got.Edges(), want.Edges())
		}
		fromEdges, err := TreeFromEdges(root, want.Edges())
		if err != nil || !slices.Equal(fromEdges.Edges(), want.Edges()) {
			t.Errorf("from %d, from its edges: %v (%v)", root, fromEdges, err)
		}
	}
}

// TestTreeShapeErrors checks that what is not a tree of at most two
// levels is refused.
func TestTreeShapeErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		root  int
		edges []Edge
	}{
		{"twice", 0, []Edge{{0, 1}, {0, 2}, {2, 1}}},
		{"root reached", 0, []Edge{{0, 1}, {1, 0}}},
		{"three levels", 0, []Edge{{0, 1}, {1, 2}, {2, 3}}},
		{"detached", 0, []Edge{{0, 1}, {2, 3}}},
		{"cycle", 0, []Edge{{0, 1}, {2, 3}, {3, 2}}},
		{"out of range", 0, []Edge{{0, 64}}},
		{"negative", 0, []Edge{{-1, 2}}},
	} {
		if _, err := TreeFromEdges(c.root, c.edges); !errors.Is(err, ErrTree) {
			t.Errorf("%s: %v, want ErrTree", c.name, err)
		}
	}
}

// TestNodeTree checks the plain multicast tree: nodes in ascending
// order, the lowest target of each its aggregator.
func TestNodeTree(t *testing.T) {
	got := NodeTree(square(), 5, spread(8)).Edges()
	// spread(8) = {0,1,4,5,8,9,12,13}; from 5 (node 1).
	want := []Edge{{5, 0}, {5, 4}, {5, 8}, {5, 12}, {0, 1}, {8, 9}, {12, 13}}
	if !slices.Equal(got, want) {
		t.Errorf("%v, want %v", got, want)
	}
}
