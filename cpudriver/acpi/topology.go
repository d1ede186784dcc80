package acpi

import "fmt"

// Topology is the NUMA view of the machine the kernel works with, derived
// from the MADT, SRAT and SLIT. NUMA nodes are numbered densely 0..n-1 in
// the order their proximity domains first appear in the SRAT; the raw
// domain is kept in Node.Domain. Without a usable SRAT there is one node,
// node 0, holding every processor and (implicitly) all memory.
type Topology struct {
	Nodes []Node
	// CPUs are the usable processors (enabled Processor Local APIC
	// entries, each APIC id once) in MADT order, which need not start with
	// the bootstrap processor. Empty without a MADT: the caller then runs
	// on the bootstrap processor alone.
	CPUs []CPU

	slit *SLIT // nil: default distances
}

// Node is one NUMA node.
type Node struct {
	Domain  uint32           // the SRAT proximity domain
	APICIDs []uint32         // usable processors on the node, in MADT order
	Memory  []MemoryAffinity // its memory ranges in SRAT order; nil without SRAT
}

// CPU is a usable processor and the node it belongs to.
type CPU struct {
	APICID       uint32
	ProcessorUID uint32
	Node         int    // dense node number, an index into Topology.Nodes
	Domain       uint32 // the raw proximity domain of Node
}

// newTopology builds the Topology from whichever tables exist and reports
// inconsistencies between them.
func newTopology(md *MADT, srat *SRAT, slit *SLIT) (*Topology, []error) {
	var probs []error
	if srat != nil && len(srat.Domains) == 0 {
		probs = append(probs, &Problem{Table: "SRAT", Addr: srat.Addr, Offset: -1,
			Msg: "no enabled entries; all processors and memory are treated as one NUMA node"})
		srat = nil
	}
	t := &Topology{Nodes: []Node{{}}}
	if srat != nil {
		t.Nodes = make([]Node, len(srat.Domains))
		for i, d := range srat.Domains {
			t.Nodes[i].Domain = d
		}
		for _, ma := range srat.Memory {
			n := t.nodeOfDomain(ma.Domain)
			t.Nodes[n].Memory = append(t.Nodes[n].Memory, ma)
		}
		probs = append(probs, t.checkSLIT(slit)...)
	}
	if md != nil {
		probs = append(probs, t.placeCPUs(md, srat)...)
	}
	return t, probs
}

// placeCPUs fills t.CPUs and each node's APICIDs from the MADT, looking
// each processor up in the SRAT. A processor the SRAT does not mention is
// reported and placed on node 0, as Linux does.
func (t *Topology) placeCPUs(md *MADT, srat *SRAT) []error {
	var probs []error
	uid := map[uint8]uint8{}
	for _, l := range md.LocalAPICs {
		if _, ok := uid[l.APICID]; !ok && l.Enabled {
			uid[l.APICID] = l.ProcessorUID
		}
	}
	for _, id := range md.UsableCPUs() {
		node := 0
		if srat != nil {
			dom, ok := processorDomain(srat, uint32(id))
			if ok {
				node = t.nodeOfDomain(dom)
			} else {
				probs = append(probs, &Problem{Table: "SRAT", Addr: srat.Addr, Offset: -1,
					Msg: fmt.Sprintf("no affinity entry for the processor with APIC id %d; placed on node 0", id)})
			}
		}
		t.CPUs = append(t.CPUs, CPU{APICID: uint32(id), ProcessorUID: uint32(uid[id]), Node: node, Domain: t.Nodes[node].Domain})
		t.Nodes[node].APICIDs = append(t.Nodes[node].APICIDs, uint32(id))
	}
	return probs
}

// processorDomain returns the proximity domain of the processor with the
// given APIC id, preferring a Processor Local APIC Affinity entry.
func processorDomain(srat *SRAT, apicID uint32) (uint32, bool) {
	var dom uint32
	found := false
	for _, p := range srat.Processors {
		if p.APICID != apicID {
			continue
		}
		if !p.X2APIC {
			return p.Domain, true
		}
		if !found {
			dom, found = p.Domain, true
		}
	}
	return dom, found
}

// checkSLIT keeps slit if it covers every node's proximity domain and
// reports each domain it does not cover; those fall back to defaults.
func (t *Topology) checkSLIT(slit *SLIT) []error {
	if slit == nil {
		return nil
	}
	t.slit = slit
	var probs []error
	for _, n := range t.Nodes {
		if n.Domain >= uint32(slit.Localities) {
			probs = append(probs, &Problem{Table: "SLIT", Addr: slit.Addr, Offset: -1,
				Msg: fmt.Sprintf("proximity domain %d is not among its %d localities; its distances default to 10/20", n.Domain, slit.Localities)})
		}
	}
	return probs
}

// nodeOfDomain returns the dense node number of a proximity domain that
// the SRAT names; 0 if it names no such domain.
func (t *Topology) nodeOfDomain(dom uint32) int {
	for i, n := range t.Nodes {
		if n.Domain == dom {
			return i
		}
	}
	return 0
}

// NodeOfAPIC returns the node and raw proximity domain of the usable
// processor with the given APIC id; ok is false if there is no such usable
// processor.
func (t *Topology) NodeOfAPIC(apicID uint32) (node int, domain uint32, ok bool) {
	for _, c := range t.CPUs {
		if c.APICID == apicID {
			return c.Node, c.Domain, true
		}
	}
	return 0, 0, false
}

// NodeMemory returns the memory ranges of node n in SRAT order. It returns
// nil for a node number out of range and on a machine without SRAT, where
// the memory map alone describes memory.
func (t *Topology) NodeMemory(n int) []MemoryAffinity {
	if n < 0 || n >= len(t.Nodes) {
		return nil
	}
	return t.Nodes[n].Memory
}

// Distance returns the relative distance between nodes a and b: the SLIT's
// entry for their proximity domains when it has one, otherwise 10 for a
// node to itself and 20 between different nodes (the SLIT's own scale,
// 5.2.17). Node numbers out of range count as remote.
func (t *Topology) Distance(a, b int) int {
	valid := a >= 0 && a < len(t.Nodes) && b >= 0 && b < len(t.Nodes)
	if valid && t.slit != nil {
		if d, ok := t.slit.Distance(t.Nodes[a].Domain, t.Nodes[b].Domain); ok {
			return int(d)
		}
	}
	if valid && a == b {
		return localDistance
	}
	return remoteDistance
}
