package shootdown

import (
	"cmp"
	"fmt"
	"slices"
)

// Topology is what the plans need to know of the machine: the NUMA node
// of each core and the distance between nodes (ACPI's SLIT, 10 for a
// node to itself; or any cost with the same meaning, such as the SKB's
// message_cost/3).
type Topology struct {
	Node []int   // Node[c]: the node of core c
	Dist [][]int // Dist[a][b]: the distance from node a to node b
}

// Validate checks that every core's node has a row and column of
// distances and that there are at most MaxCores cores.
func (t *Topology) Validate() error {
	if len(t.Node) == 0 || len(t.Node) > MaxCores {
		return fmt.Errorf("shootdown: %d cores, want 1 to %d", len(t.Node), MaxCores)
	}
	for c, n := range t.Node {
		if n < 0 || n >= len(t.Dist) {
			return fmt.Errorf("shootdown: core %d on node %d, which has no distances", c, n)
		}
	}
	for a, row := range t.Dist {
		if len(row) != len(t.Dist) {
			return fmt.Errorf("shootdown: distance row %d has %d entries, want %d", a, len(row), len(t.Dist))
		}
	}
	return nil
}

// Cores returns the number of cores.
func (t *Topology) Cores() int { return len(t.Node) }

// All returns the set of every core.
func (t *Topology) All() CoreSet { return FirstN(len(t.Node)) }

// Cost returns the distance between the nodes of cores a and b.
func (t *Topology) Cost(a, b int) int { return t.Dist[t.Node[a]][t.Node[b]] }

// Remote reports whether cores a and b are on different nodes.
func (t *Topology) Remote(a, b int) bool { return t.Node[a] != t.Node[b] }

// byCostDesc orders cores by their cost from core from, costliest first,
// then by ascending core number (the SKB's by_cost_desc). A nil topology
// orders by core number alone.
func byCostDesc(t *Topology, from int, cores []int) {
	slices.SortFunc(cores, func(a, b int) int {
		if t != nil {
			if c := cmp.Compare(t.Cost(from, b), t.Cost(from, a)); c != 0 {
				return c
			}
		}
		return cmp.Compare(a, b)
	})
}
