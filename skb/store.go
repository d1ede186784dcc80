package skb

import "math"

// What stored things cost, for the bound on a client's scope (scope.go):
// round estimates, in bytes, of the Go structures that hold them
// (compile.go, db.go, ops.go) with their allocation overhead.
const (
	clauseBytes   = 128 // a clause: its struct, argument and body slices
	predBytes     = 160 // a predicate: its struct and map entry, plus its name
	opBytes       = 64  // an operator: its entry and map entry, plus its name
	cellBytes     = 16  // an argument or list element: an interface value
	compoundBytes = 48  // a compound or template, plus its functor's name
)

// noLimit is the storeBytes limit of the system, whose stores only the
// step budget bounds.
const noLimit = math.MaxInt64

// storeBytes estimates what storing clause t takes. It walks t without
// recursion, a step a cell, so that a term whose tree is far larger than
// its memory (shared subterms) or infinite (a cyclic term) ends in the
// step limit rather than in a compiler that never returns. It stops once
// the estimate passes limit. ok is false when the step budget ran out
// (m.err says so).
func (m *machine) storeBytes(t Term, limit int64) (n int64, ok bool) {
	n = clauseBytes
	stack := []Term{t}
	for len(stack) > 0 && n <= limit {
		if !m.charge(1) {
			return n, false
		}
		x := deref(stack[len(stack)-1])
		stack = stack[:len(stack)-1]
		n += cellBytes
		switch x := x.(type) {
		case Atom:
			n += int64(len(x))
		case String:
			n += int64(len(x))
		case *Compound:
			n += compoundBytes + int64(len(x.Functor))
			stack = append(stack, x.Args...)
		}
	}
	return n, true
}
