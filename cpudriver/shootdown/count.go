package shootdown

import "slices"

// Counts are a plan's message figures. A message is a line its sender
// writes for another core; a cross-node message is one whose line moves
// between nodes. For Broadcast the initiator writes one line and every
// target reads it, so Requests is 1 while CrossRequests counts the reads
// from other nodes: each pulls the line across.
type Counts struct {
	Requests, Acks           int // messages
	CrossRequests, CrossAcks int // of those, line transfers between nodes
}

// Messages returns requests and acks together.
func (c Counts) Messages() int { return c.Requests + c.Acks }

// CrossNode returns the cross-node requests and acks together.
func (c Counts) CrossNode() int { return c.CrossRequests + c.CrossAcks }

// Count returns the plan's message figures on topo.
func (p *Plan) Count(topo *Topology) Counts {
	var c Counts
	for _, e := range p.Requests {
		if topo.Remote(e.From, e.To) {
			c.CrossRequests++
		}
	}
	for _, e := range p.Acks {
		if topo.Remote(e.From, e.To) {
			c.CrossAcks++
		}
	}
	c.Requests, c.Acks = len(p.Requests), len(p.Acks)
	if p.Shared() && c.Requests > 0 {
		c.Requests = 1
	}
	return c
}

// Latency estimates when the initiator has taken the last ack, in
// distance units: a message from a to b takes Cost(a, b); a core's sends
// leave one after another, each taking the sender sendCost, and so do a
// broadcast line's reads by the targets (the line's home serves them in
// turn); a core takes the acks that reach it one at a time, sendCost
// each; a leaf acks on receipt (its invalidation is not counted) and an
// aggregator once it has taken its last child's ack. It is a model for
// ordering sends (costliest first lets the long trips overlap the short
// ones) and for the cost of many acks at one core, not a measurement.
func (p *Plan) Latency(topo *Topology, sendCost int) int {
	var done func(c, at int) int
	done = func(c, at int) int { // when c has taken every ack of its subtree, reached at time at
		kids := p.Tree.Children(c)
		arrive := make([]int, len(kids))
		for i, k := range kids {
			leave := at + sendCost*(i+1)
			arrive[i] = done(k, leave+topo.Cost(c, k)) + sendCost + topo.Cost(k, c)
		}
		slices.Sort(arrive)
		t := at
		for _, a := range arrive {
			t = max(t, a) + sendCost
		}
		return t
	}
	return done(p.Initiator, 0)
}
