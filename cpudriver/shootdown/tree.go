package shootdown

import (
	"errors"
	"fmt"
	"slices"
)

// Edge is one message from core From to core To.
type Edge struct{ From, To int }

// Tree is a multicast tree: a root (the initiator), and for every other
// member the core it receives its request from (its parent) and acks to.
// A core's children are kept in the order it sends to them. A tree is at
// most two levels deep: the root's children are leaves or aggregators,
// and an aggregator's children are leaves. The request names the cores its
// receiver answers for (its subtree) and nothing of their shape, so an
// aggregator takes every other core of its subtree as a leaf (doc.go),
// and sends to them costliest first by its own topology whatever order
// the tree lists them in (within a node, by core number: the SKB's order
// when its costs are the distances).
type Tree struct {
	root   int
	parent [MaxCores]int8
	kids   [MaxCores][]int
}

// ErrTree is wrapped by every error about a tree's shape.
var ErrTree = errors.New("shootdown: not a multicast tree")

func newTree(root int) *Tree {
	t := &Tree{root: root}
	for i := range t.parent {
		t.parent[i] = -1
	}
	return t
}

// add makes to a child of from, sent to after the children it has.
func (t *Tree) add(from, to int) {
	t.parent[to] = int8(from)
	t.kids[from] = append(t.kids[from], to)
}

// Root returns the tree's root.
func (t *Tree) Root() int { return t.root }

// Parent returns core c's parent; ok is false for the root and for cores
// outside the tree.
func (t *Tree) Parent(c int) (p int, ok bool) {
	if c < 0 || c >= MaxCores || t.parent[c] < 0 {
		return 0, false
	}
	return int(t.parent[c]), true
}

// Children returns core c's children in send order (the slice is the
// tree's own: do not modify it).
func (t *Tree) Children(c int) []int { return t.kids[c] }

// Members returns every core of the tree but the root.
func (t *Tree) Members() CoreSet {
	var s CoreSet
	for c, p := range t.parent {
		if p >= 0 {
			s = s.With(c)
		}
	}
	return s
}

// Subtree returns core c and every core below it.
func (t *Tree) Subtree(c int) CoreSet {
	s := SetOf(c)
	for _, k := range t.kids[c] {
		s |= t.Subtree(k)
	}
	return s
}

// Edges returns the tree's messages in the order of the SKB's
// multicast_edges: a core's own sends in order, then its children's,
// depth first.
func (t *Tree) Edges() []Edge {
	var out []Edge
	var walk func(c int)
	walk = func(c int) {
		for _, k := range t.kids[c] {
			out = append(out, Edge{c, k})
		}
		for _, k := range t.kids[c] {
			walk(k)
		}
	}
	walk(t.root)
	return out
}

// check verifies the shape: every member reaches the root, within two
// levels.
func (t *Tree) check() error {
	for c, p := range t.parent {
		if p < 0 {
			continue
		}
		if int(p) != t.root && t.parent[p] < 0 {
			return fmt.Errorf("%w: core %d's parent %d is not reached from root %d", ErrTree, c, p, t.root)
		}
		if int(p) != t.root && int(t.parent[p]) != t.root {
			return fmt.Errorf("%w: core %d is more than two levels below root %d", ErrTree, c, t.root)
		}
	}
	return nil
}

// TreeFromEdges builds the tree rooted at root from its edges in send
// order, as the SKB's multicast_edges/2 gives them. Each core other than
// the root must be the target of exactly one edge.
func TreeFromEdges(root int, edges []Edge) (*Tree, error) {
	if root < 0 || root >= MaxCores {
		return nil, fmt.Errorf("%w: root %d out of range", ErrTree, root)
	}
	t := newTree(root)
	for _, e := range edges {
		switch {
		case e.From < 0 || e.From >= MaxCores || e.To < 0 || e.To >= MaxCores:
			return nil, fmt.Errorf("%w: edge %d-%d out of range", ErrTree, e.From, e.To)
		case e.To == root || t.parent[e.To] >= 0:
			return nil, fmt.Errorf("%w: core %d reached twice", ErrTree, e.To)
		}
		t.add(e.From, e.To)
	}
	return t, t.check()
}

// TreeFromParents builds the tree rooted at root from a parent array, as
// monitor/capbench.go's multicastTree returns it: parent[c] is core c's
// parent, or noParent for the root and for cores outside the tree. A
// parent array does not keep the order of the sends; each core's
// children are ordered costliest first by topo (the SKB's order when its
// costs are the distances), by core number when topo is nil.
func TreeFromParents(root int, parent []uint8, noParent uint8, topo *Topology) (*Tree, error) {
	var edges []Edge
	for c, p := range parent {
		if p == noParent || c == root {
			continue
		}
		edges = append(edges, Edge{int(p), c})
	}
	t, err := TreeFromEdges(root, edges)
	if err != nil {
		return nil, err
	}
	for c := range t.kids {
		byCostDesc(topo, c, t.kids[c])
	}
	return t, nil
}

// StarTree returns the tree in which root sends to every core of targets
// itself (unicast and broadcast), in ascending order.
func StarTree(root int, targets CoreSet) *Tree {
	t := newTree(root)
	for _, c := range targets.Without(root).Cores() {
		t.add(root, c)
	}
	return t
}

// NUMATree returns the NUMA-aware multicast tree from root over targets
// that the SKB's multicast_tree/3 computes with the distances as costs
// (skb/programs/multicast.pl): one aggregator on each other node holding
// targets, the one cheapest to reach from root (lowest number on a tie),
// sent to costliest first; then root's own node's targets, costliest
// first; each aggregator sends to the other targets of its node.
// targets must lie within topo (NewPlan checks).
func NUMATree(topo *Topology, root int, targets CoreSet) *Tree {
	t := newTree(root)
	cores := targets.Without(root).Cores()
	var leaders []int
	for _, n := range nodesOf(topo, cores) {
		if n == topo.Node[root] {
			continue
		}
		members := onNode(topo, n, cores)
		leader := slices.MinFunc(members, func(a, b int) int {
			if c := topo.Cost(root, a) - topo.Cost(root, b); c != 0 {
				return c
			}
			return a - b
		})
		leaders = append(leaders, leader)
	}
	byCostDesc(topo, root, leaders)
	for _, l := range leaders {
		t.add(root, l)
		addLeaves(t, topo, l, slices.DeleteFunc(onNode(topo, topo.Node[l], cores), func(c int) bool { return c == l }))
	}
	addLeaves(t, topo, root, onNode(topo, topo.Node[root], cores))
	return t
}

// NodeTree returns the plain multicast tree from root over targets: one
// message per node, nodes in ascending order, to the node's lowest
// numbered target (root sends to its own node's targets itself), which
// sends to the node's other targets.
func NodeTree(topo *Topology, root int, targets CoreSet) *Tree {
	t := newTree(root)
	cores := targets.Without(root).Cores()
	for _, n := range nodesOf(topo, cores) {
		members := onNode(topo, n, cores)
		if n == topo.Node[root] {
			for _, c := range members {
				t.add(root, c)
			}
			continue
		}
		t.add(root, members[0])
		for _, c := range members[1:] {
			t.add(members[0], c)
		}
	}
	return t
}

// addLeaves makes cores children of from, costliest first.
func addLeaves(t *Tree, topo *Topology, from int, cores []int) {
	byCostDesc(topo, from, cores)
	for _, c := range cores {
		t.add(from, c)
	}
}

// nodesOf returns the nodes of cores, ascending, each once.
func nodesOf(topo *Topology, cores []int) []int {
	var ns []int
	for _, c := range cores {
		ns = append(ns, topo.Node[c])
	}
	slices.Sort(ns)
	return slices.Compact(ns)
}

// onNode returns the cores of cores on node n, in their order.
func onNode(topo *Topology, n int, cores []int) []int {
	var out []int
	for _, c := range cores {
		if topo.Node[c] == n {
			out = append(out, c)
		}
	}
	return out
}
