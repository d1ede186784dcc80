// Package modelcheck is the depth-first state-space explorer under the
// project's model checks (cap/dist's two-phase capability protocol,
// cpudriver/shootdown's TLB shootdown). A model supplies its state type
// W, copied by value, a key that identifies a state, and a visit function
// that checks a state and tries each of its steps; the explorer keeps
// the states seen, the labels of the steps that led to the current
// state (for the report of a failure), and one copy of the state per
// depth to make successors in.
//
// States are recognised by a 64-bit hash of their key (hash compaction,
// as in SPIN's -DHC): with N states explored the chance that two collide
// is about N²/2⁶⁵, below 1e-8 for the millions the model checks reach.
//
// It is a library for tests and tools, not part of the kernel.
package modelcheck

import (
	"fmt"
	"hash/maphash"
	"strings"
)

// DFS explores a model's states depth first. L is the type of a step's
// label (printed with %v when a step fails).
type DFS[W, L any] struct {
	name   any                         // the model or scenario, for reports
	key    func(w *W, b []byte) []byte // appends w's key to b
	seen   map[uint64]struct{}
	seed   maphash.Seed
	buf    []byte
	frames []*W // frames[d]: the successor being made at depth d
	path   []L  // the labels of the steps to the current state
	// Deepest is the longest path to a state visited.
	Deepest int
}

// New returns an explorer of the model named name (printed in failure
// reports) whose states key writes.
func New[W, L any](name any, key func(w *W, b []byte) []byte) *DFS[W, L] {
	return &DFS[W, L]{name: name, key: key, seen: make(map[uint64]struct{}), seed: maphash.MakeSeed()}
}

// Run explores from initial: it records it as seen and calls visit with
// it. visit checks a state and, for each step it can take, makes the
// successor in Successor(w) and passes it to Step.
func (e *DFS[W, L]) Run(initial W, visit func(w *W) error) error {
	e.Fresh(&initial)
	return visit(&initial)
}

// Fresh records w as seen and reports whether it was new.
func (e *DFS[W, L]) Fresh(w *W) bool {
	e.buf = e.key(w, e.buf[:0])
	h := maphash.Bytes(e.seed, e.buf)
	if _, ok := e.seen[h]; ok {
		return false
	}
	e.seen[h] = struct{}{}
	return true
}

// Successor returns a copy of w, the state at the current depth, to make
// one of its successors in. The copies are reused, one per depth: a heap
// allocation per step would be most of an explorer's time.
func (e *DFS[W, L]) Successor(w *W) *W {
	d := len(e.path)
	for len(e.frames) <= d {
		e.frames = append(e.frames, new(W))
	}
	next := e.frames[d]
	*next = *w
	return next
}

// Step follows the step labelled label to next, the successor it made
// (err: the step's own failure, reported as a failure of the model), and
// visits next if it is a state not seen before.
func (e *DFS[W, L]) Step(next *W, err error, label L, visit func(w *W) error) error {
	e.path = append(e.path, label)
	defer func() { e.path = e.path[:len(e.path)-1] }()
	if err != nil {
		return e.Fail(err)
	}
	if !e.Fresh(next) {
		return nil
	}
	e.Deepest = max(e.Deepest, len(e.path))
	return visit(next)
}

// Fail reports err as a failure of the model at the current state, with
// the steps that led there.
func (e *DFS[W, L]) Fail(err error) error {
	steps := make([]string, len(e.path))
	for i, l := range e.path {
		steps[i] = fmt.Sprint(l)
	}
	return fmt.Errorf("%v: %w\n  after: %s", e.name, err, strings.Join(steps, "\n         "))
}

// States returns the number of distinct states seen.
func (e *DFS[W, L]) States() int { return len(e.seen) }

// Depth returns the length of the path to the current state.
func (e *DFS[W, L]) Depth() int { return len(e.path) }
