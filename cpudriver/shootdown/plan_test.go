package shootdown

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// counts is a plan's figures in one row: requests, acks, cross-node
// requests, cross-node acks.
type counts [4]int

func countsOf(c Counts) counts { return counts{c.Requests, c.Acks, c.CrossRequests, c.CrossAcks} }

// TestPlanCounts checks every protocol's figures for a shootdown by core
// 0 of a program on 2, 4, 8 and 16 cores of the square, packed and
// spread (worked by hand).
func TestPlanCounts(t *testing.T) {
	topo := square()
	want := map[string]map[int][numProtocols]counts{
		"packed": {
			2:  {{1, 1, 0, 0}, {1, 1, 0, 0}, {1, 1, 0, 0}, {1, 1, 0, 0}},
			4:  {{3, 3, 0, 0}, {1, 3, 0, 0}, {3, 3, 0, 0}, {3, 3, 0, 0}},
			8:  {{7, 7, 4, 4}, {1, 7, 4, 4}, {7, 7, 1, 1}, {7, 7, 1, 1}},
			16: {{15, 15, 12, 12}, {1, 15, 12, 12}, {15, 15, 3, 3}, {15, 15, 3, 3}},
		},
		"spread": {
			2:  {{1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}},
			4:  {{3, 3, 3, 3}, {1, 3, 3, 3}, {3, 3, 3, 3}, {3, 3, 3, 3}},
			8:  {{7, 7, 6, 6}, {1, 7, 6, 6}, {7, 7, 3, 3}, {7, 7, 3, 3}},
			16: {{15, 15, 12, 12}, {1, 15, 12, 12}, {15, 15, 3, 3}, {15, 15, 3, 3}},
		},
	}
	for _, pl := range placements {
		for _, n := range sizes {
			for _, proto := range Protocols {
				t.Run(fmt.Sprintf("%s/%d/%v", pl.name, n, proto), func(t *testing.T) {
					p, err := NewPlan(proto, 0, pl.of(n), topo, nil)
					if err != nil {
						t.Fatal(err)
					}
					if got := countsOf(p.Count(topo)); got != want[pl.name][n][proto] {
						t.Errorf("requests, acks, cross-node requests, acks: %v, want %v", got, want[pl.name][n][proto])
					}
				})
			}
		}
	}
}

// TestNUMAMulticastCrossNode checks the goal: at 16 cores
// NUMA-aware multicast sends at least 3x fewer cross-node messages than
// unicast, from every initiator (24 against 6).
func TestNUMAMulticastCrossNode(t *testing.T) {
	topo := square()
	for root := range 16 {
		uni, err := NewPlan(Unicast, root, topo.All(), topo, nil)
		if err != nil {
			t.Fatal(err)
		}
		numa, err := NewPlan(NUMAMulticast, root, topo.All(), topo, nil)
		if err != nil {
			t.Fatal(err)
		}
		u, m := uni.Count(topo).CrossNode(), numa.Count(topo).CrossNode()
		if u != 24 || m != 6 || u < 3*m {
			t.Errorf("from %d: unicast %d cross-node messages, NUMA-aware multicast %d; want 24 and 6", root, u, m)
		}
	}
}

// TestNUMAOrderIsFaster checks that sending costliest first does not
// lose to the plain multicast's order in the latency model, and wins from
// a core whose diagonal node would otherwise be sent to last.
func TestNUMAOrderIsFaster(t *testing.T) {
	topo := square()
	for root := range 16 {
		mc, _ := NewPlan(Multicast, root, topo.All(), topo, nil)
		numa, _ := NewPlan(NUMAMulticast, root, topo.All(), topo, nil)
		a, b := mc.Latency(topo, 5), numa.Latency(topo, 5)
		if b > a {
			t.Errorf("from %d: NUMA-aware %d, plain %d", root, b, a)
		}
	}
	mc, _ := NewPlan(Multicast, 0, topo.All(), topo, nil)
	numa, _ := NewPlan(NUMAMulticast, 0, topo.All(), topo, nil)
	if a, b := mc.Latency(topo, 5), numa.Latency(topo, 5); b >= a {
		t.Errorf("from 0: NUMA-aware %d, plain %d: want faster", b, a)
	}
}

// TestPlanProperties checks, against the definition, random plans of
// every protocol on the square: each target but the initiator gets
// exactly one request, from a core that got one before it (or the
// initiator); the acks are the requests reversed; only the targets
// invalidate; and no protocol sends more cross-node messages than
// unicast, nor multicast more than one request per node it reaches.
func TestPlanProperties(t *testing.T) {
	topo := square()
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		targets := CoreSet(r.Uint64()) & topo.All()
		root := r.IntN(16)
		uni, err := NewPlan(Unicast, root, targets, topo, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, proto := range Protocols {
			p, err := NewPlan(proto, root, targets, topo, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := planOK(p, topo); err != nil {
				t.Fatalf("%v from %d over %v: %v", proto, root, targets, err)
			}
			if p.Count(topo).CrossNode() > uni.Count(topo).CrossNode() {
				t.Fatalf("%v from %d over %v: more cross-node messages than unicast", proto, root, targets)
			}
		}
	}
}

// planOK is the definition TestPlanProperties checks.
func planOK(p *Plan, topo *Topology) error {
	reached := SetOf(p.Initiator)
	for _, e := range p.Requests {
		if !reached.Has(e.From) || reached.Has(e.To) {
			return fmt.Errorf("request %v", e)
		}
		reached = reached.With(e.To)
	}
	if reached.Without(p.Initiator) != p.Targets.Without(p.Initiator) {
		return fmt.Errorf("requests reach %v", reached)
	}
	if len(p.Acks) != len(p.Requests) {
		return fmt.Errorf("%d acks for %d requests", len(p.Acks), len(p.Requests))
	}
	for i, e := range p.Requests {
		if a := p.Acks[len(p.Acks)-1-i]; a != (Edge{e.To, e.From}) {
			return fmt.Errorf("ack %v for request %v", a, e)
		}
	}
	if p.Invalidators() != p.Targets {
		return fmt.Errorf("invalidators %v", p.Invalidators())
	}
	if p.Protocol == Multicast || p.Protocol == NUMAMulticast {
		perNode := map[int]int{}
		for _, e := range p.Requests {
			if topo.Remote(e.From, e.To) {
				perNode[topo.Node[e.To]]++
			}
		}
		for n, k := range perNode {
			if k > 1 {
				return fmt.Errorf("%d cross-node requests into node %d", k, n)
			}
		}
	}
	return nil
}

// TestPlanErrors checks what NewPlan refuses.
func TestPlanErrors(t *testing.T) {
	topo := square()
	bad := NUMATree(topo, 1, topo.All())
	for _, c := range []struct {
		name    string
		proto   Protocol
		root    int
		targets CoreSet
		tree    *Tree
	}{
		{"unknown protocol", 9, 0, topo.All(), nil},
		{"initiator out of range", Unicast, 16, topo.All(), nil},
		{"targets beyond the machine", Unicast, 0, SetOf(16), nil},
		{"tree for unicast", Unicast, 0, topo.All(), bad},
		{"tree of another root", NUMAMulticast, 0, topo.All(), bad},
		{"tree over other cores", NUMAMulticast, 1, packed(8), bad},
	} {
		if _, err := NewPlan(c.proto, c.root, c.targets, topo, c.tree); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}
