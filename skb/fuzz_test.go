package skb

import (
	"strings"
	"testing"
)

// FuzzRead checks that the reader never panics, and that a term it reads
// is written back (writeq) as text that reads as the same term.
func FuzzRead(f *testing.F) {
	for _, s := range []string{"f(X, [a|T], \"s\", 'q w', 0'c, -1, - 1, a- -1).", "X = (a :- b, c ; d -> e).",
		"[1,2|X].", "{a,b}.", "- (-).", "f(;, '|', [], {}).", "a = \\+b.", "0x1F + 0b1 * 0o7."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		e := New(Options{})
		m := e.newMachine()
		r, err := newReader(text, e.ops, m.newVar)
		if err != nil {
			return
		}
		term, _, err := r.next()
		if err != nil || term == nil {
			return
		}
		s, err := writeTerm(term, e.ops, true, 1<<20)
		if err != nil {
			return
		}
		back, _, err := e.parseGoal(s, m)
		if err != nil {
			t.Fatalf("%q was written as %q, which does not read: %v", text, s, err)
		}
		if s2, _ := writeTerm(back, e.ops, true, 1<<20); normalise(s2) != normalise(s) {
			t.Fatalf("%q: written %q, reread and written %q", text, s, s2)
		}
	})
}

// FuzzQuery checks that no program and query makes the engine panic or run
// past its step limit.
func FuzzQuery(f *testing.F) {
	f.Add("p(X) :- q(X). q(1). q(2).", "p(X), X > 1")
	f.Add("a :- a.", "catch(a, E, true)")
	f.Add("", "X = f(X), copy_term(X, Y)")
	f.Add("r([H|T]) :- r(T).", "length(L, 3), r(L)")
	f.Fuzz(func(t *testing.T, program, goal string) {
		var out strings.Builder
		e := New(Options{MaxSteps: 20000, MaxDepth: 2000, Out: &out})
		if e.Consult("fuzz", program) != nil {
			return
		}
		n := 0
		e.Run(goal, func(string) bool { n++; return n < 50 })
	})
}
