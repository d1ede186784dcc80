package dist

import (
	"fmt"
	"hash/maphash"
	"strings"
	"testing"
)

// explorer visits every state reachable from a scenario's initial state
// by any order of operation starts and message deliveries, depth first.
// States are recognised by a 64-bit hash of the world (hash compaction,
// as in SPIN's -DHC): with a few thousand states per scenario the chance
// of a collision is below 1e-12.
type explorer struct {
	s      scenario
	seen   map[uint64]struct{}
	seed   maphash.Seed
	path   []transition // the transitions that led to the current state
	ends   int          // states without a successor
	deepst int
}

// transition is one step: the start of an operation (msg zero) or the
// delivery of msg.
type transition struct {
	op  int
	msg Msg
}

func (t transition) String() string {
	if t.msg.Kind == 0 {
		return fmt.Sprintf("start op %d", t.op)
	}
	return fmt.Sprintf("%d→%d %s %v", t.msg.From, t.msg.To, kindName(t.msg.Kind), t.msg.Op.ID)
}

func newExplorer(s scenario) *explorer {
	return &explorer{s: s, seen: make(map[uint64]struct{}), seed: maphash.MakeSeed()}
}

func (e *explorer) fresh(w *world) bool {
	h := maphash.Comparable(e.seed, *w)
	if _, ok := e.seen[h]; ok {
		return false
	}
	e.seen[h] = struct{}{}
	return true
}

// visit checks w and explores its successors.
func (e *explorer) visit(w *world) error {
	if err := checkAlways(w); err != nil {
		return e.fail(err)
	}
	e.deepst = max(e.deepst, len(e.path))
	moved := false
	for i := range nOps {
		if !w.started[i] {
			moved = true
			next := *w
			if err := e.step(&next, next.start(e.s, i), transition{op: i}); err != nil {
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
			next := *w
			label := transition{msg: w.ch[from][to].msg[0]}
			if err := e.step(&next, next.deliver(e.s, from, to), label); err != nil {
				return err
			}
		}
	}
	if !moved {
		e.ends++
		if err := checkEnd(e.s, w); err != nil {
			return e.fail(err)
		}
	}
	return nil
}

func (e *explorer) step(next *world, err error, label transition) error {
	e.path = append(e.path, label)
	defer func() { e.path = e.path[:len(e.path)-1] }()
	if err != nil {
		return e.fail(err)
	}
	if !e.fresh(next) {
		return nil
	}
	return e.visit(next)
}

func (e *explorer) fail(err error) error {
	steps := make([]string, len(e.path))
	for i, t := range e.path {
		steps[i] = t.String()
	}
	return fmt.Errorf("%v: %w\n  after: %s", e.s, err, strings.Join(steps, "\n         "))
}

func kindName(k MsgKind) string {
	return [...]string{"?", "prepare", "vote", "commit", "abort"}[k]
}

// scenarios races every pair of operations started on any cores: two
// retypes of overlapping pages, a retype of a page that already has a
// descendant elsewhere, revokes and deletes. Operation 0 is the older.
// With short set, only without the pre-existing descendant.
func scenarios(short bool) []scenario {
	kinds := []Op{
		{Kind: Retype, Range: Range{0, 4}},
		{Kind: Retype, Range: Range{2, 4}},
		{Kind: Retype, Range: Range{6, 2}},
		{Kind: Revoke},
		{Kind: Delete},
	}
	var out []scenario
	pres := []bool{false, true}
	if short {
		pres = pres[:1]
	}
	for _, pre := range pres {
		for _, a := range kinds {
			for _, b := range kinds {
				for ca := range uint8(nCores) {
					for cb := range uint8(nCores) {
						a.ID, b.ID = OpID{Stamp: 1, Core: ca}, OpID{Stamp: 2, Core: cb}
						out = append(out, scenario{ops: [nOps]Op{a, b}, pre: pre})
					}
				}
			}
		}
	}
	return out
}

// TestExploreAllInterleavings runs the explorer over every scenario and
// reports how many distinct states it checked.
func TestExploreAllInterleavings(t *testing.T) {
	total, ends, deepest := 0, 0, 0
	list := scenarios(testing.Short())
	for _, s := range list {
		e := newExplorer(s)
		w := s.initial()
		e.fresh(&w)
		if err := e.visit(&w); err != nil {
			t.Fatal(err)
		}
		total += len(e.seen)
		ends += e.ends
		deepest = max(deepest, e.deepst)
	}
	t.Logf("explored %d scenarios: %d distinct states, %d final states, longest run %d steps",
		len(list), total, ends, deepest)
}
