package shootdown

import (
	"fmt"
	"testing"
	"time"

	"multikernel/tools/modelcheck"
)

// explorer visits every state reachable from a scenario's initial state
// by any interleaving of touches, unmaps, effects, deliveries and
// deliveries again of a delivered message, depth first (package
// tools/modelcheck; with some 10^5 states per scenario the chance that
// two share a hash is below 1e-9 per scenario).
type explorer struct {
	*modelcheck.DFS[world, string]
	s     *scenario
	ends  int
	cover coverage
}

// coverage counts the transitions the scenarios are there for.
type coverage struct {
	faults   int // the fault mapping the page
	races    int // a fault while an unmap's shootdown runs
	both     int // an unmap started while the other one runs
	dupDeliv int // messages delivered again
}

func (c *coverage) add(o coverage) {
	c.faults += o.faults
	c.races += o.races
	c.both += o.both
	c.dupDeliv += o.dupDeliv
}

func newExplorer(s *scenario) *explorer {
	return &explorer{DFS: modelcheck.New[world, string](s, (*world).key), s: s}
}

func (e *explorer) run() error { return e.Run(e.s.initial(), e.visit) }

// visit checks w and explores its successors.
func (e *explorer) visit(w *world) error {
	if err := checkAlways(w); err != nil {
		return e.Fail(err)
	}
	moved := false
	try := func(label string, f func(next *world) error) error {
		moved = true
		next := e.Successor(w)
		err := f(next)
		if err == nil {
			next.settle(e.s)
		}
		return e.Step(next, err, label, e.visit)
	}
	for c := range mCores {
		if next := e.Successor(w); next.touch(c) {
			if !w.fault && next.fault {
				e.cover.faults++
				if w.un[0].phase == running || w.un[1].phase == running {
					e.cover.races++
				}
			}
			if err := try(fmt.Sprintf("core %d touches", c), func(n *world) error { n.touch(c); return nil }); err != nil {
				return err
			}
		}
	}
	for u := range mUnmaps {
		if w.canUnmap(e.s, u) {
			if w.un[1-u].phase == running {
				e.cover.both++
			}
			if err := try(fmt.Sprintf("core %d unmaps (%d)", e.s.by[u], u), func(n *world) error { return n.unmap(e.s, u) }); err != nil {
				return err
			}
		}
	}
	for c := range mCores {
		if w.core[c].n > 0 {
			label := fmt.Sprintf("core %d: %v", c, w.core[c].q[0])
			if err := try(label, func(n *world) error { return n.effect(c) }); err != nil {
				return err
			}
		}
	}
	for from := range mCores {
		for to := range mCores {
			f := &w.ch[from][to]
			if f.n == 0 {
				continue
			}
			if w.core[to].n != 0 {
				continue
			}
			label := fmt.Sprintf("%d→%d %v", from, to, &f.msg[0])
			if err := try(label, func(n *world) error { return n.deliver(from, to, false) }); err != nil {
				return err
			}
			if w.dupped < e.s.dups && !w.replay.set {
				if err := try(label+", kept to deliver again", func(n *world) error { return n.deliver(from, to, true) }); err != nil {
					return err
				}
			}
		}
	}
	if w.replay.set {
		e.cover.dupDeliv++
		label := fmt.Sprintf("%d→%d again: %v", w.replay.from, w.replay.to, &w.replay.msg)
		if err := try(label, func(n *world) error { return n.resend() }); err != nil {
			return err
		}
	}
	if !moved {
		e.ends++
		if err := checkEnd(w); err != nil {
			return e.Fail(err)
		}
	}
	return nil
}

// scenarios returns the model's configurations: every protocol; cores on
// nodes {0,1,1} (from core 0 the multicasts aggregate at core 1) and
// {0,0,1} (from core 2 they aggregate at core 0); every pair of cores
// running the two unmaps (the same core twice: one after the other,
// different cores: concurrently); with no message delivered twice and
// with one (at once, a duplicate, or later, a stale message). With short set, the duplicates only with the unmaps on cores 0
// and 2 (either way round) or twice on core 0.
func scenarios(short bool) []scenario {
	var out []scenario
	for _, proto := range Protocols {
		for _, nodes := range [][mCores]int{{0, 1, 1}, {0, 0, 1}} {
			for a := range mCores {
				for b := range mCores {
					for dups := range uint8(2) {
						if short && dups > 0 && !(a == 0 && b == 0 || a+b == 2 && a != b) {
							continue
						}
						out = append(out, scenario{proto: proto, nodes: nodes, by: [mUnmaps]int{a, b}, dups: dups})
					}
				}
			}
		}
	}
	return out
}

// modelStats are the explorer's totals.
type modelStats struct {
	scenarios, states, ends, most, deepest int
	cover                                  coverage
}

// explore runs the explorer over the scenarios and reports the first
// failure and the totals.
func explore(list []scenario) (st modelStats, err error) {
	for i := range list {
		s := &list[i]
		if err := s.prepare(); err != nil {
			return st, err
		}
		e := newExplorer(s)
		if err := e.run(); err != nil {
			return st, err
		}
		st.scenarios++
		st.states += e.States()
		st.most = max(st.most, e.States())
		st.ends += e.ends
		st.deepest = max(st.deepest, e.Deepest)
		st.cover.add(e.cover)
	}
	return st, nil
}

// TestModelCheck runs the explorer over every scenario and reports how
// many distinct states it checked. Under the race detector with short
// set, every raceStride-th scenario.
func TestModelCheck(t *testing.T) {
	list := scenarios(testing.Short())
	if testing.Short() && raceEnabled {
		list = sample(list, raceStride)
	}
	t0 := time.Now()
	st, err := explore(list)
	if err != nil {
		t.Fatal(err)
	}
	c := st.cover
	t.Logf("%d scenarios, %d distinct states (at most %d in one), %d final states, longest run %d steps, in %v; "+
		"%d faults (%d during a shootdown), %d unmaps during the other's shootdown, %d messages delivered again",
		st.scenarios, st.states, st.most, st.ends, st.deepest, time.Since(t0).Round(time.Millisecond),
		c.faults, c.races, c.both, c.dupDeliv)
	if c.faults == 0 || c.races == 0 || c.both == 0 || c.dupDeliv == 0 {
		t.Error("the scenarios miss what they are there for")
	}
}

// raceStride thins the scenarios under the race detector (prime, so that
// the sample does not follow the nesting).
const raceStride = 5

func sample(list []scenario, stride int) []scenario {
	var out []scenario
	for i := 0; i < len(list); i += stride {
		out = append(out, list[i])
	}
	return out
}
