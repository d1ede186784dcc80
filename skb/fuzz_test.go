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
		back, _, err := m.parseGoal(s)
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

// FuzzScope checks that nothing a client runs in its scope changes what
// the system or another client sees, and that the scope keeps within its
// bound.
func FuzzScope(f *testing.F) {
	f.Add("retractall(node_distance(_, _, _))", "assert(node_distance(0, 1, 99))")
	f.Add("assert((far(A, B) :- true))", "op(0, yfx, -)")
	f.Add("dynamic(core/3), assert(core(5, 5, 5))", "catch(retract(core(_, _, _)), _, true), mine(X)")
	f.Add("assert(mine(1)), op(200, xfx, mine)", "between(1, 100, N), assert(mine(N)), fail")
	f.Fuzz(func(t *testing.T, first, second string) {
		e := New(Options{MaxSteps: 20000, MaxDepth: 2000})
		if err := e.Consult("facts", scopeFacts); err != nil {
			t.Fatal(err)
		}
		const bound = 2048
		s := e.NewScope(ScopeOptions{MaxBytes: bound})
		for _, g := range []string{first, second} {
			n := 0
			s.Run(g, func(string) bool { n++; return n < 20 })
			if s.Used() > bound {
				t.Fatalf("%q: the scope holds %d bytes, over %d", g, s.Used(), bound)
			}
		}
		other := e.NewScope(ScopeOptions{})
		for _, v := range systemView {
			for who, run := range map[string]func(string) (string, error){"system": e.Answers, "another client": other.Answers} {
				out, err := run(v.goal)
				if err != nil || out != v.want {
					t.Fatalf("after %q, %q: %s: %s gets %q, %v; want %q", first, second, v.goal, who, out, err, v.want)
				}
			}
		}
	})
}
