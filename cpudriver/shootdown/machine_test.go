package shootdown

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

// sim runs Cores on the square with FIFO channels, delivering messages
// in a random order, and records what the effects did.
type sim struct {
	t     *testing.T
	topo  *Topology
	cores []Core
	ch    map[Edge][]Msg
	r     *rand.Rand
	dup   float64        // the chance that a delivered message stays for a second delivery
	inv   map[Op]CoreSet // the cores that invalidated each operation's flush
	sent  map[Op][]Edge  // each operation's messages, requests and acks
	flush map[Flush]Op   // each operation's flush (one page of its own)
	plans map[Op]*Plan   // each operation's plan
	kinds map[Op]map[Edge]Kind
}

func newSim(t *testing.T, seed uint64, dup float64) *sim {
	s := &sim{t: t, topo: square(), ch: map[Edge][]Msg{}, r: rand.New(rand.NewPCG(seed, 9)), dup: dup,
		inv: map[Op]CoreSet{}, sent: map[Op][]Edge{}, flush: map[Flush]Op{}, plans: map[Op]*Plan{}, kinds: map[Op]map[Edge]Kind{}}
	for c := range 16 {
		s.cores = append(s.cores, NewCore(c, 1, s.topo))
	}
	return s
}

// apply carries out core c's effects.
func (s *sim) apply(c int, effs []Effect) {
	for _, e := range effs {
		switch e.Kind {
		case Invalidate:
			o := s.flush[e.Flush]
			s.inv[o] = s.inv[o].With(c)
		case Send:
			if e.Msg.Kind == Ack && !s.inv[e.Msg.Op].Has(c) {
				s.t.Fatalf("core %d acks %v before it invalidated", c, e.Msg.Op)
			}
			if e.Msg.Kind == Ack {
				for _, k := range e.Msg.Sub.Cores() {
					if !s.inv[e.Msg.Op].Has(k) {
						s.t.Fatalf("core %d acks %v for %v before core %d invalidated", c, e.Msg.Op, e.Msg.Sub, k)
					}
				}
			}
			edge := Edge{c, e.To}
			s.ch[edge] = append(s.ch[edge], e.Msg)
			s.sent[e.Msg.Op] = append(s.sent[e.Msg.Op], edge)
		}
	}
}

// start begins a shootdown of one page by core c, to targets, with proto.
func (s *sim) start(c int, proto Protocol, targets CoreSet, page uint64) {
	p, err := NewPlan(proto, c, targets, s.topo, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	f := Flush{N: 1, R: [3]Range{pg(page, page+1)}}
	next := s.cores[c].Current()
	next.ID++
	s.flush[f], s.plans[next] = next, p
	effs, op, err := s.cores[c].Start(nil, p, f)
	if err != nil || op != next {
		s.t.Fatalf("start on %d: %v %v", c, op, err)
	}
	s.apply(c, effs)
}

// step delivers the first message of a random non-empty channel; it
// returns false when every channel is empty.
func (s *sim) step() bool {
	var live []Edge
	for e, q := range s.ch {
		if len(q) > 0 {
			live = append(live, e)
		}
	}
	if len(live) == 0 {
		return false
	}
	slices.SortFunc(live, func(a, b Edge) int { return (a.From*64 + a.To) - (b.From*64 + b.To) })
	e := live[s.r.IntN(len(live))]
	m := s.ch[e][0]
	if s.r.Float64() >= s.dup {
		s.ch[e] = s.ch[e][1:]
	}
	effs, err := s.cores[e.To].Handle(nil, &m)
	if err != nil {
		s.t.Fatalf("%v at %d: %v", &m, e.To, err)
	}
	s.apply(e.To, effs)
	return true
}

// TestConcurrentInitiators runs shootdowns of several initiators at
// once, of every protocol and random target sets, in random delivery
// orders, with and without duplicated messages, and checks each against
// its plan: it is done exactly when every target invalidated, and
// without duplicates it sends exactly the plan's messages.
func TestConcurrentInitiators(t *testing.T) {
	for seed := range uint64(300) {
		dup := 0.0
		if seed%2 == 1 {
			dup = 0.2
		}
		s := newSim(t, seed, dup)
		var page uint64
		rounds := 3
		for range rounds {
			for _, c := range s.r.Perm(16)[:4] {
				if !s.cores[c].Done() {
					continue
				}
				targets := (CoreSet(s.r.Uint64()) & s.topo.All()).With(c)
				page++
				s.start(c, Protocols[s.r.IntN(len(Protocols))], targets, page)
			}
			for s.r.IntN(20) != 0 && s.step() {
				s.checkDone()
			}
		}
		for s.step() {
			s.checkDone()
		}
		for c := range s.cores {
			if !s.cores[c].Done() {
				t.Fatalf("seed %d: core %d's shootdown %v never finished", seed, c, s.cores[c].Current())
			}
		}
		for op, p := range s.plans {
			if s.inv[op] != p.Targets {
				t.Fatalf("seed %d: %v invalidated on %v, targets %v", seed, op, s.inv[op], p.Targets)
			}
			if dup == 0 {
				want := append(slices.Clone(p.Requests), p.Acks...)
				got := s.sent[op]
				slices.SortStableFunc(want, func(a, b Edge) int { return a.From - b.From })
				slices.SortStableFunc(got, func(a, b Edge) int { return a.From - b.From })
				if !slices.EqualFunc(requestsOnly(got, p), requestsOnly(want, p), func(a, b Edge) bool { return a == b }) ||
					len(got) != len(want) {
					t.Fatalf("seed %d: %v sent %v, plan %v", seed, op, s.sent[op], want)
				}
			}
		}
	}
}

// requestsOnly keeps the edges that go down p's tree, in their order.
func requestsOnly(es []Edge, p *Plan) []Edge {
	return slices.DeleteFunc(slices.Clone(es), func(e Edge) bool {
		parent, ok := p.Tree.Parent(e.To)
		return !ok || parent != e.From
	})
}

// checkDone checks that no initiator is done before all its targets
// invalidated.
func (s *sim) checkDone() {
	for c := range s.cores {
		op := s.cores[c].Current()
		if p := s.plans[op]; p != nil && s.cores[c].Done() && s.inv[op] != p.Targets {
			s.t.Fatalf("%v done with %v invalidated of %v", op, s.inv[op], p.Targets)
		}
	}
}

// TestStartErrors checks what Start and Handle refuse.
func TestStartErrors(t *testing.T) {
	topo := square()
	c := NewCore(0, 1, topo)
	p, _ := NewPlan(Unicast, 0, topo.All(), topo, nil)
	f, _ := FlushOf(pg(1, 2))
	if _, _, err := c.Start(nil, p, Flush{}); !errors.Is(err, ErrRange) {
		t.Errorf("empty flush: %v", err)
	}
	if _, _, err := c.Start(nil, p, f); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Start(nil, p, f); !errors.Is(err, ErrBusy) {
		t.Errorf("second start: %v", err)
	}
	other, _ := NewPlan(Unicast, 1, topo.All(), topo, nil)
	d := NewCore(0, 1, topo)
	if _, _, err := d.Start(nil, other, f); err == nil {
		t.Error("a plan of core 1 started on core 0")
	}
	req := Msg{Kind: Request, Proto: Unicast, Op: Op{1, 1, 1}, From: 1, Sub: SetOf(2), Flush: f}
	if effs, err := c.Handle(nil, &req); err == nil || len(effs) != 0 {
		t.Errorf("a request for core 2 at core 0: %v %v", effs, err)
	}
	req.Sub = SetOf(0)
	if effs, err := c.Handle(nil, &req); err != nil || len(effs) != 2 {
		t.Errorf("a request for core 0: %v %v", effs, err)
	}
	if effs, err := c.Handle(nil, &req); err != nil || len(effs) != 0 {
		t.Errorf("its duplicate: %v %v", effs, err)
	}
	req.Op.Gen = 0
	req.Op.ID = 5
	if effs, err := c.Handle(nil, &req); err != nil || len(effs) != 0 {
		t.Errorf("a request of an older generation: %v %v", effs, err)
	}
	req.Flush = Flush{}
	if _, err := c.Handle(nil, &req); !errors.Is(err, ErrMsg) {
		t.Errorf("a request without a flush: %v", err)
	}
}

// TestNoTargets checks that a shootdown with no other target is done at
// once and sends nothing.
func TestNoTargets(t *testing.T) {
	topo := square()
	c := NewCore(3, 1, topo)
	for _, proto := range Protocols {
		p, _ := NewPlan(proto, 3, SetOf(3), topo, nil)
		f, _ := FlushOf(pg(1, 2))
		effs, _, err := c.Start(nil, p, f)
		if err != nil || !c.Done() || len(effs) != 1 || effs[0].Kind != Invalidate {
			t.Errorf("%v: %v %v done %v", proto, effs, err, c.Done())
		}
	}
}

// TestBroadcastIsOneLine checks that a broadcast's requests are one
// message, marked shared, so that the transport can write one line.
func TestBroadcastIsOneLine(t *testing.T) {
	topo := square()
	c := NewCore(5, 1, topo)
	p, _ := NewPlan(Broadcast, 5, topo.All(), topo, nil)
	f, _ := FlushOf(pg(1, 2))
	effs, _, err := c.Start(nil, p, f)
	if err != nil {
		t.Fatal(err)
	}
	var sends []Effect
	for _, e := range effs {
		if e.Kind == Send {
			sends = append(sends, e)
		}
	}
	if len(sends) != 15 {
		t.Fatalf("%d sends", len(sends))
	}
	for _, e := range sends {
		if !e.Shared || e.Msg != sends[0].Msg {
			t.Fatalf("%v is not the one shared line %v", e, sends[0])
		}
	}
}
