package dist

import (
	"fmt"
	"testing"

	"multikernel/tools/modelcheck"
)

// explorer visits every state reachable from a scenario's initial state
// by any order of operation starts (first attempts and retries) and
// message deliveries, depth first (package modelcheck; with at most some
// 15,000 states per scenario the chance that two of them share a hash
// is below 1e-11 per scenario, 1e-8 over all of them).
type explorer struct {
	*modelcheck.DFS[world, transition]
	s     scenario
	ends  int // states without a successor
	cover coverage
}

// coverage counts the explored transitions of the kinds the scenarios are
// there for, so that the test can check that they happen.
type coverage struct {
	retries   int // starts of a retry after busy
	forwarded int // deliveries of a broadcast a core forwarded
	kept      int // a deleting coordinator's yes vote: it keeps another copy
	last      int // a deleting coordinator's yes vote: its last copy goes
}

func (c *coverage) add(o coverage) {
	c.retries += o.retries
	c.forwarded += o.forwarded
	c.kept += o.kept
	c.last += o.last
}

// transition is one step: the start of an attempt of operation op (msg
// zero) or the delivery of msg on the channel from→to.
type transition struct {
	op       int
	from, to int
	msg      Msg
}

func (t transition) String() string {
	m := t.msg
	var s string
	switch m.Kind {
	case 0:
		return fmt.Sprintf("start op %d", t.op)
	case Vote:
		s = fmt.Sprintf("%d→%d vote %v for %v", t.from, t.to, m.Vote, m.Op.ID)
	case Commit:
		s = fmt.Sprintf("%d→%d commit %v (owner %d, holders %b)", t.from, t.to, m.Op.ID, m.Owner, m.Holders)
	default:
		s = fmt.Sprintf("%d→%d %s %v", t.from, t.to, kindName(m.Kind), m.Op.ID)
	}
	if int(m.From) != t.from {
		s += fmt.Sprintf(" forwarded for %d", m.From)
	}
	return s
}

func newExplorer(s scenario) *explorer {
	return &explorer{DFS: modelcheck.New[world, transition](s, (*world).key), s: s}
}

// run explores the scenario from its initial state.
func (e *explorer) run() error { return e.Run(e.s.initial(), e.visit) }

// visit checks w and explores its successors.
func (e *explorer) visit(w *world) error {
	if err := checkAlways(w); err != nil {
		return e.Fail(err)
	}
	moved := false
	for i := range nOps {
		if w.phase[i] == pending {
			moved = true
			if w.tries[i] > 0 {
				e.cover.retries++
			}
			next := e.Successor(w)
			if err := e.Step(next, next.start(e.s, i), transition{op: i}, e.visit); err != nil {
				return err
			}
		}
	}
	for from := range nCores {
		for to := range nCores {
			if w.ch[from][to].n == 0 {
				continue
			}
			moved = true
			next := e.Successor(w)
			label := transition{from: from, to: to, msg: w.ch[from][to].msg[0]}
			e.count(label)
			if err := e.Step(next, next.deliver(e.s, from, to), label, e.visit); err != nil {
				return err
			}
		}
	}
	if !moved {
		e.ends++
		if err := checkEnd(e.s, w); err != nil {
			return e.Fail(err)
		}
	}
	return nil
}

// count adds a delivery to the coverage.
func (e *explorer) count(t transition) {
	m := t.msg
	if int(m.From) != t.from {
		e.cover.forwarded++
	}
	if m.Kind == Vote && m.Vote == OK && m.From == m.Op.ID.Core {
		if i := e.s.index(m.Op.ID); i >= 0 && e.s.ops[i].Kind == Delete {
			if m.HasCopy {
				e.cover.kept++
			} else {
				e.cover.last++
			}
		}
	}
}

func kindName(k MsgKind) string {
	return [...]string{"?", "prepare", "vote", "commit", "abort"}[k]
}

// The operations the scenarios race.
var (
	retypeLow  = Op{Kind: Retype, Range: Range{0, 4}}
	retypeMid  = Op{Kind: Retype, Range: Range{2, 4}} // overlaps retypeLow
	retypeHigh = Op{Kind: Retype, Range: Range{6, 2}} // overlaps the pre-existing descendant
	revoke     = Op{Kind: Revoke}
	deleteOp   = Op{Kind: Delete}
)

// pairs returns every ordered pair of kinds started on any two cores
// (the same core included), operation 0 the older, with the given routes,
// holdings and pre-existing descendant.
func pairs(kinds []Op, routes [nOps]route, hold uint8, pre bool) []scenario {
	var out []scenario
	for _, a := range kinds {
		for _, b := range kinds {
			for ca := range uint8(nCores) {
				for cb := range uint8(nCores) {
					a.ID, b.ID = OpID{Stamp: 1, Core: ca}, OpID{Stamp: 2, Core: cb}
					out = append(out, scenario{ops: [nOps]Op{a, b}, route: routes, hold: hold, pre: pre})
				}
			}
		}
	}
	return out
}

// scenarioGroup is a family of scenarios with one concern.
type scenarioGroup struct {
	name string
	list []scenario
}

// scenarios returns the groups the explorer runs:
//   - races: every pair of {retype of pages 0-3, of pages 2-5 (they
//     overlap), of pages 6-7 (where core 2 may hold a descendant already),
//     revoke, delete}, sent unicast, every core holding one copy, with
//     and without the pre-existing descendant;
//   - copies: every pair of {retype of pages 0-3, revoke, delete}, sent
//     unicast, with cores 0 and 1 (the owner) holding two copies each and
//     core 2 none (a delete that keeps another copy, by the owner or not;
//     a retype or delete that finds no copy), and with cores 0 (the
//     owner) and 2 holding one copy each (the owner's last copy goes to a
//     higher core; the last copy of all goes);
//   - trees: the races with no pre-existing descendant, broadcast along
//     chains (each broadcast forwarded by the middle core), for both
//     operations or for one.
//
// With short set, the races without the pre-existing descendant, the
// copies of the first holding, and the trees with both operations along
// chains of opposite directions.
func scenarios(short bool) []scenarioGroup {
	all := []Op{retypeLow, retypeMid, retypeHigh, revoke, deleteOp}
	few := []Op{retypeLow, revoke, deleteOp}
	uni := [nOps]route{unicast, unicast}
	races := pairs(all, uni, 0, false)
	copies := pairs(few, uni, 1, false)
	trees := append(pairs(all, [nOps]route{chainUp, chainDown}, 0, false),
		pairs(all, [nOps]route{chainDown, chainUp}, 0, false)...)
	if !short {
		races = append(races, pairs(all, uni, 0, true)...)
		copies = append(copies, pairs(few, uni, 2, false)...)
		for _, r := range [][nOps]route{{chainUp, chainUp}, {chainDown, chainDown}, {chainUp, unicast}, {unicast, chainDown}} {
			trees = append(trees, pairs(all, r, 0, false)...)
		}
	}
	return []scenarioGroup{{"races", races}, {"copies", copies}, {"trees", trees}}
}

// raceStride thins the short scenarios under the race detector, which
// slows the explorer some tenfold. It is prime, so that the sample does
// not follow the scenarios' nesting of kinds and cores (25 and 9 pairs).
const raceStride = 7

// sample returns every stride-th scenario of list, from the first.
func sample(list []scenario, stride int) []scenario {
	var out []scenario
	for i := 0; i < len(list); i += stride {
		out = append(out, list[i])
	}
	return out
}

// explore runs the explorer over every scenario of the groups and reports
// the first failure and the totals.
func explore(groups []scenarioGroup) (stats exploreStats, err error) {
	for _, g := range groups {
		for _, s := range g.list {
			e := newExplorer(s)
			if err := e.run(); err != nil {
				return stats, fmt.Errorf("%s: %w", g.name, err)
			}
			stats.scenarios++
			stats.states += e.States()
			stats.most = max(stats.most, e.States())
			stats.ends += e.ends
			stats.deepest = max(stats.deepest, e.Deepest)
			stats.cover.add(e.cover)
		}
	}
	return stats, nil
}

// exploreStats are the explorer's totals: scenarios, distinct states,
// final states, the most states of one scenario and the longest run.
type exploreStats struct {
	scenarios, states, ends, most, deepest int
	cover                                  coverage
}

// TestExploreAllInterleavings runs the explorer over every scenario and
// reports how many distinct states it checked.
// With short set under the race detector, every raceStride-th scenario.
func TestExploreAllInterleavings(t *testing.T) {
	defer setMaxTries(testing.Short())()
	for _, g := range scenarios(testing.Short()) {
		if testing.Short() && raceEnabled {
			g.list = sample(g.list, raceStride)
		}
		stats, err := explore([]scenarioGroup{g})
		if err != nil {
			t.Fatal(err)
		}
		c := stats.cover
		t.Logf("%s: %d scenarios, %d distinct states (at most %d in one), %d final states, longest run %d steps; "+
			"%d retries, %d forwarded deliveries, %d deletes keeping another copy, %d of the last copy",
			g.name, stats.scenarios, stats.states, stats.most, stats.ends, stats.deepest, c.retries, c.forwarded, c.kept, c.last)
		if c.retries == 0 || g.name == "trees" && c.forwarded == 0 || g.name == "copies" && (c.kept == 0 || c.last == 0) {
			t.Errorf("%s: the scenarios miss what they are there for", g.name)
		}
	}
}

// setMaxTries bounds the attempts of an operation refused as busy: three
// (two retries), or two with short set. It returns the function that
// restores the bound.
func setMaxTries(short bool) func() {
	old := maxTries
	maxTries = 3
	if short {
		maxTries = 2
	}
	return func() { maxTries = old }
}
