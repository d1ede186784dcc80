package shootdown

import (
	"fmt"
	"slices"
)

// Protocol is how an initiator's request reaches the targets.
type Protocol uint8

// The protocols (Baumann et al., "The Multikernel", SOSP 2009, §5.1).
const (
	// Unicast: one message from the initiator to each target.
	Unicast Protocol = iota
	// Broadcast: one channel line written by the initiator and read by
	// every target; each target acks on its own channel.
	Broadcast
	// Multicast: one message per node to an aggregator on that node (the
	// lowest numbered target), nodes in ascending order; the aggregator
	// forwards it to the node's other targets and acks once they all
	// acked.
	Multicast
	// NUMAMulticast: multicast along the SKB's NUMA-aware tree, the
	// costliest node first (NUMATree).
	NUMAMulticast
	numProtocols
)

// Protocols lists every protocol.
var Protocols = []Protocol{Unicast, Broadcast, Multicast, NUMAMulticast}

// Default is the protocol the spanning programs use unless told
// otherwise: the fastest measured in the guest (BENCHMARKS.md, "Shootdown
// protocols at 16 cores"). Under QEMU's emulation, which models no
// interconnect, unicast's one hop beat the multicasts' two in every
// pair; NUMAMulticast has the fewest cross-node messages at every size
// on the target machine (docs/shootdown.md) and is the choice to measure
// again where crossing a node costs.
const Default = Unicast

// String returns the protocol's name.
func (p Protocol) String() string {
	switch p {
	case Unicast:
		return "unicast"
	case Broadcast:
		return "broadcast"
	case Multicast:
		return "multicast"
	case NUMAMulticast:
		return "numa-multicast"
	}
	return fmt.Sprintf("protocol(%d)", uint8(p))
}

// Plan is one shootdown's messages: who sends a request to whom in which
// order (Requests, each core's sends in order, depth first), who acks to
// whom (Acks: every request edge reversed, deepest first) and which cores
// invalidate (Invalidators). For Broadcast the requests are the targets'
// reads of the one line the initiator writes.
type Plan struct {
	Protocol  Protocol
	Initiator int
	Targets   CoreSet // the cores that may cache the mapping
	Tree      *Tree   // requests go down it, acks up
	Requests  []Edge
	Acks      []Edge
}

// NewPlan returns the plan of protocol proto for a shootdown by initiator
// of the cores in targets (the initiator may be one: it then invalidates
// locally, without a message). tree, for NUMAMulticast only, is the SKB's
// tree (TreeFromParents, TreeFromEdges); when nil the tree is computed
// from topo's distances (NUMATree). Other protocols take a nil tree.
func NewPlan(proto Protocol, initiator int, targets CoreSet, topo *Topology, tree *Tree) (*Plan, error) {
	if err := topo.Validate(); err != nil {
		return nil, err
	}
	if initiator < 0 || initiator >= topo.Cores() {
		return nil, fmt.Errorf("shootdown: initiator %d out of range", initiator)
	}
	if targets&^topo.All() != 0 {
		return nil, fmt.Errorf("shootdown: targets %v beyond the %d cores", targets, topo.Cores())
	}
	if tree != nil && proto != NUMAMulticast {
		return nil, fmt.Errorf("shootdown: %v takes no tree", proto)
	}
	switch proto {
	case Unicast, Broadcast:
		tree = StarTree(initiator, targets)
	case Multicast:
		tree = NodeTree(topo, initiator, targets)
	case NUMAMulticast:
		if tree == nil {
			tree = NUMATree(topo, initiator, targets)
		}
	default:
		return nil, fmt.Errorf("shootdown: unknown protocol %d", proto)
	}
	if tree.Root() != initiator || tree.Members() != targets.Without(initiator) {
		return nil, fmt.Errorf("%w: tree from %d over %v, want from %d over %v",
			ErrTree, tree.Root(), tree.Members(), initiator, targets.Without(initiator))
	}
	req := tree.Edges()
	acks := make([]Edge, len(req))
	for i, e := range req {
		acks[len(req)-1-i] = Edge{e.To, e.From}
	}
	return &Plan{Protocol: proto, Initiator: initiator, Targets: targets, Tree: tree, Requests: req, Acks: acks}, nil
}

// Invalidators returns the cores that invalidate: every target.
func (p *Plan) Invalidators() CoreSet { return p.Targets }

// Shared reports whether the requests are reads of one shared line.
func (p *Plan) Shared() bool { return p.Protocol == Broadcast }

// Sends returns the requests core c sends, in order.
func (p *Plan) Sends(c int) []Edge {
	return slices.DeleteFunc(slices.Clone(p.Requests), func(e Edge) bool { return e.From != c })
}
