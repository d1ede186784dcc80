package skb

import (
	"errors"
	"strings"
	"testing"
)

func TestSyntaxErrorPosition(t *testing.T) {
	cases := []struct{ text, want string }{
		{"a.\nb(.\n", "2:3"},
		{"foo :- bar,\n  baz(1,\n   ]).", "3:4"},
		{"x('unterminated).", "1:3"},
		{"a :- b\nc.", "2:1"},
		{"/* open", "1:1"},
		{"f(a b).", "1:5"},
		{"X = 0.5.", "1:5"},
	}
	for _, c := range cases {
		err := New(Options{}).Consult("t", c.text)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: got %v, want a syntax error", c.text, err)
			continue
		}
		if got := strings.Split(se.Error(), ": ")[1]; got != c.want {
			t.Errorf("%q: error at %s, want %s (%v)", c.text, got, c.want, err)
		}
	}
}

func TestStepLimit(t *testing.T) {
	e := New(Options{MaxSteps: 10000})
	if err := e.Consult("loop", "loop :- loop.\nloop2(X) :- loop2(f(X)).\n"); err != nil {
		t.Fatal(err)
	}
	for _, g := range []string{"loop", "loop2(a)", "repeat, fail", "length(L, N), fail", "between(1, inf, _), fail",
		"atom_length(A, 3)", "catch(loop, _, true)"} {
		_, err := e.Run(g, func(string) bool { return true })
		if g == "atom_length(A, 3)" {
			continue // an instantiation error, not a loop
		}
		if !errors.Is(err, ErrStepLimit) {
			t.Errorf("%s: got %v, want the step limit", g, err)
		}
	}
}

func TestCyclicTerms(t *testing.T) {
	e := New(Options{MaxSteps: 100000, MaxDepth: 1000})
	for _, g := range []string{"X = f(X), Y = f(Y), X = Y", "X = [a|X], length(X, N)", "X = f(X), copy_term(X, Y)",
		"X = f(X, a), Y = f(Y, b), X == Y", "X = f(X)", "X = f(X, 1), format(\"~w\", [X])"} {
		_, err := e.Run(g, func(string) bool { return true })
		if err == nil {
			t.Errorf("%s: no error", g)
		}
	}
}

func TestDeepTerms(t *testing.T) {
	e := New(Options{})
	// a 200,000-element list is built, unified, copied, sorted and printed
	// without deep Go recursion.
	goal := "numlist(1, 200000, L), copy_term(L, L2), L == L2, msort(L2, L3), length(L3, N), last(L3, X), format(atom(A), \"~w\", [L3]), atom_length(A, Len)"
	found, err := e.Run(goal, func(a string) bool {
		if !strings.Contains(a, "N = 200000") || !strings.Contains(a, "X = 200000") {
			t.Errorf("got %.80s", a)
		}
		return true
	})
	if err != nil || !found {
		t.Fatal(found, err)
	}
}

func TestUnknownPredicate(t *testing.T) {
	e := New(Options{})
	_, err := e.Run("nope(1)", func(string) bool { return true })
	if err == nil || err.Error() != "Unknown procedure: nope/1" {
		t.Errorf("got %v", err)
	}
	if err := e.Consult("d", ":- dynamic known/1."); err != nil {
		t.Fatal(err)
	}
	if found, err := e.Run("known(_)", func(string) bool { return true }); found || err != nil {
		t.Errorf("dynamic predicate with no clauses: %v %v", found, err)
	}
}

func TestInterleavedQueries(t *testing.T) {
	e := New(Options{})
	q1, _ := e.Query("member(X, [1,2,3])")
	q2, _ := e.Query("member(Y, [a,b])")
	var got []string
	for i := 0; i < 3; i++ {
		for _, q := range []*Query{q1, q2} {
			if ok, err := q.Next(); ok && err == nil {
				a, _ := q.Answer()
				got = append(got, a)
			}
		}
	}
	if want := "X = 1,Y = a,X = 2,Y = b,X = 3"; strings.Join(got, ",") != want {
		t.Errorf("got %v", got)
	}
}

func TestAssertAPI(t *testing.T) {
	e := New(Options{})
	for i := 0; i < 4; i++ {
		if err := e.Assert(NewCompound("core", Int(i), Int(i*2), Int(i/2))); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Assert(NewCompound("atom", Atom("x"))); err == nil {
		t.Error("asserting to a builtin succeeded")
	}
	var got []string
	e.Run("core(C, A, 1)", func(a string) bool { got = append(got, a); return true })
	if strings.Join(got, ";") != "C = 2, A = 4;C = 3, A = 6" {
		t.Errorf("got %v", got)
	}
	q := e.QueryTerm(NewCompound("core", Int(3), &Var{}, &Var{}))
	if ok, err := q.Next(); !ok || err != nil {
		t.Errorf("QueryTerm: %v %v", ok, err)
	}
	s, _ := e.Format(NewList(Atom("a b"), String("s"), NewCompound("-", Int(1))))
	if s != "['a b',\"s\",- 1]" {
		t.Errorf("Format: %s", s)
	}
}

func TestOutput(t *testing.T) {
	var b strings.Builder
	e := New(Options{Out: &b})
	e.Run("write(a), nl, format(\"~w-~a~n\", [1, b]), print('C'), nl", func(string) bool { return true })
	if b.String() != "a\n1-b\n'C'\n" {
		t.Errorf("got %q", b.String())
	}
}

func TestLibraryOverride(t *testing.T) {
	e := New(Options{})
	if err := e.Consult("p", "append(_, _, mine).\n"); err != nil {
		t.Fatal(err)
	}
	if got := answersIn(e, "append(a, b, X)"); got != "X = mine" {
		t.Errorf("got %s", got)
	}
	if err := e.Consult("p", "atom(_).\n"); err == nil {
		t.Error("redefining a builtin succeeded")
	}
}

func answersIn(e *Engine, goal string) string {
	var out []string
	if _, err := e.Run(goal, func(a string) bool { out = append(out, a); return true }); err != nil {
		return "error: " + err.Error()
	}
	return strings.Join(out, "\n")
}
