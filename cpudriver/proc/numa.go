package proc

// The machine's NUMA nodes as programs see them (get_mempolicy,
// package linux): how many there are and the node of a physical page, by
// the bootstrap core's reading of ACPI's SRAT. Set once by package main
// before any program starts, read-only afterwards.
var (
	numNodes   = 1
	nodeOfAddr func(pa uint64) int
)

// SetNodeMemory gives the programs the node of each physical address
// (f returns -1 for an address no node holds; nil: all memory is node
// 0's).
func SetNodeMemory(f func(pa uint64) int) { nodeOfAddr = f }

// Nodes returns the machine's NUMA node count (at least 1), as the
// cores' nodes say (SetTopology).
func Nodes() int { return numNodes }

// NodeOfAddr returns the NUMA node of physical address pa, -1 if no
// node holds it.
func NodeOfAddr(pa uint64) int {
	if nodeOfAddr == nil {
		return 0
	}
	return nodeOfAddr(pa)
}

// Node returns the NUMA node of the core the thread runs on (a proxy's:
// the core of the thread whose calls it runs).
func (t *Thread) Node() int { return max(nodeOf(t.Core()), 0) }
