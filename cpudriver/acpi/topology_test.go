package acpi

import (
	"reflect"
	"testing"
)

const (
	gib = 1 << 30
	mib = 1 << 20
)

// topo16 is the reference machine (docs/decisions.md): 16 processors (APIC ids 0-15)
// in 4 nodes of 4, 1 GiB per node (node 0 minus the legacy hole), and the
// SLIT of a 4x4 Opteron square. It also carries a disabled hot-plug memory
// entry and the interrupt entries a PC has.
func topo16() machine {
	var lapics, cpus [][]byte
	for i := 0; i < 16; i++ {
		lapics = append(lapics, lapicE(byte(i), byte(i), lapicEnabled))
		cpus = append(cpus, cpuAffE(byte(i), uint32(i/4), affEnabled))
	}
	mems := [][]byte{
		memAffE(0, 0xA0000, 0, affEnabled),
		memAffE(mib, gib-mib, 0, affEnabled),
		memAffE(gib, gib, 1, affEnabled),
		memAffE(4*gib, gib, 2, affEnabled),
		memAffE(5*gib, gib, 3, affEnabled),
		memAffE(6*gib, 0, 0, memHotPluggable), // disabled: must be ignored
	}
	intr := [][]byte{ioapicE(0, 0xFEC00000, 0), isoE(0, 2, 0), isoE(9, 9, 0xD), nmiE(0xFF, 0, 1)}
	return machine{rev: 2, tables: [][]byte{
		madt(0xFEE00000, append(lapics, intr...)...),
		srat(3, append(cpus, mems...)...),
		slit(4, square4...),
	}}
}

func TestTopology16CPUs4Nodes(t *testing.T) {
	tb := mustParse(t, topo16().mem())
	if len(tb.Problems) != 0 {
		t.Fatalf("problems: %v", tb.Problems)
	}
	checkSquareTopology(t, tb.Topology)
	if got := tb.Topology.NodeMemory(0); len(got) != 2 || got[1].Base != mib || got[1].Length != gib-mib {
		t.Errorf("node 0 memory = %+v", got)
	}
	if got := tb.Topology.NodeMemory(3); len(got) != 1 || got[0].Base != 5*gib {
		t.Errorf("node 3 memory = %+v", got)
	}
	if tb.Topology.NodeMemory(4) != nil || tb.Topology.NodeMemory(-1) != nil {
		t.Error("NodeMemory of a node out of range is not nil")
	}
}

// checkSquareTopology checks the facts docs/decisions.md states about the
// reference machine: APIC id i on node i/4 and Linux's distance matrix.
func checkSquareTopology(t *testing.T, top *Topology) {
	t.Helper()
	if len(top.Nodes) != 4 || len(top.CPUs) != 16 {
		t.Fatalf("%d nodes, %d CPUs; want 4, 16", len(top.Nodes), len(top.CPUs))
	}
	for i, c := range top.CPUs {
		node, dom, ok := top.NodeOfAPIC(uint32(i))
		if c.APICID != uint32(i) || !ok || node != i/4 || dom != uint32(i/4) || c.Node != node {
			t.Errorf("CPU %d = %+v, NodeOfAPIC = %d, %d, %v; want APIC %d on node %d", i, c, node, dom, ok, i, i/4)
		}
	}
	for n, node := range top.Nodes {
		want := []uint32{uint32(4 * n), uint32(4*n + 1), uint32(4*n + 2), uint32(4*n + 3)}
		if !reflect.DeepEqual(node.APICIDs, want) {
			t.Errorf("node %d APIC ids = %v, want %v", n, node.APICIDs, want)
		}
		for m := range top.Nodes {
			if got, want := top.Distance(n, m), int(square4[4*n+m]); got != want {
				t.Errorf("Distance(%d, %d) = %d, want %d", n, m, got, want)
			}
		}
	}
	if _, _, ok := top.NodeOfAPIC(16); ok {
		t.Error("NodeOfAPIC(16) found a processor that does not exist")
	}
}

func TestTopologyRenumbersDomains(t *testing.T) {
	// Domains appear as 7, 9, 3 (memory first): nodes 0, 1, 2.
	d := make([]byte, 100)
	for i := 0; i < 10; i++ {
		for j := 0; j < 10; j++ {
			d[10*i+j] = byte(20 + i + j)
		}
		d[11*i] = 10
	}
	mc := machine{tables: [][]byte{
		madt(0xFEE00000, lapicE(0, 0, 1), lapicE(1, 2, 1), lapicE(2, 4, 1)),
		srat(3, memAffE(0, gib, 7, 1), cpuAffE(4, 9, 1), cpuAffE(0, 3, 1), x2AffE(2, 7, 1)),
		slit(10, d...),
	}}
	tb := mustParse(t, mc.mem())
	if len(tb.Problems) != 0 {
		t.Fatalf("problems: %v", tb.Problems)
	}
	top := tb.Topology
	var doms []uint32
	for _, n := range top.Nodes {
		doms = append(doms, n.Domain)
	}
	if !reflect.DeepEqual(doms, []uint32{7, 9, 3}) {
		t.Fatalf("node domains = %v, want [7 9 3]", doms)
	}
	want := []CPU{{0, 0, 2, 3}, {2, 1, 0, 7}, {4, 2, 1, 9}}
	if !reflect.DeepEqual(top.CPUs, want) {
		t.Errorf("CPUs = %+v, want %+v", top.CPUs, want)
	}
	if got := top.Distance(0, 2); got != 20+7+3 {
		t.Errorf("Distance(0, 2) = %d, want the SLIT's entry for domains 7 and 3, %d", got, 20+7+3)
	}
}

func TestTopologyDefaults(t *testing.T) {
	// No SRAT, no SLIT: one node with every CPU, distances 10/20.
	mc := machine{tables: [][]byte{madt(0xFEE00000, lapicE(0, 1, 1), lapicE(1, 0, 1), lapicE(2, 3, 0))}}
	top := mustParse(t, mc.mem()).Topology
	if len(top.Nodes) != 1 || !reflect.DeepEqual(top.Nodes[0].APICIDs, []uint32{1, 0}) || top.Nodes[0].Memory != nil {
		t.Fatalf("nodes = %+v", top.Nodes)
	}
	for _, c := range []struct{ a, b, want int }{{0, 0, 10}, {0, 1, 20}, {1, 1, 20}, {-1, -1, 20}} {
		if got := top.Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%d, %d) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	// SRAT without SLIT: distances 10/20 between real nodes.
	mc = topo16()
	mc.tables = mc.tables[:2]
	top = mustParse(t, mc.mem()).Topology
	if top.Distance(1, 1) != 10 || top.Distance(1, 2) != 20 {
		t.Errorf("without SLIT: Distance(1,1) = %d, Distance(1,2) = %d", top.Distance(1, 1), top.Distance(1, 2))
	}
}

func mustParse(t *testing.T, m Memory) *Tables {
	t.Helper()
	tb, err := Parse(m)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return tb
}
