package skb

import (
	"fmt"
	"strings"
	"testing"
)

// scopeFacts stand for the system's machine facts and a policy over them.
const scopeFacts = `
:- dynamic core/3.
:- dynamic node_distance/3.
:- dynamic device_node/4.
core(0, 0, 0). core(1, 1, 1).
node_distance(0, 0, 10). node_distance(0, 1, 16).
node_distance(1, 0, 16). node_distance(1, 1, 10).
far(A, B) :- node_distance(A, B, D), D > 10.
`

// systemView is what the system answers before and after the clients'
// queries: nothing a client does may change it.
var systemView = []struct{ goal, want string }{
	{"findall(A-B-D, node_distance(A, B, D), L)", "L = [0-0-10,0-1-16,1-0-16,1-1-10]"},
	{"findall(C-N, core(C, _, N), L)", "L = [0-0,1-1]"},
	{"findall(A-B, far(A, B), L)", "L = [0-1,1-0]"},
	{"device_node(B, D, F, N)", "false"},
	{"X = 1-2", "X = 1-2"},
	{"catch(mine(X), error(E, _), true)", "E = existence_error(procedure,mine/1)"},
}

const denied = "error: No permission to modify static procedure `"

// scopeSteps run in order on one Engine, in client scopes "a" and "b" or
// (scope "") as the system. want is the answers, one a line, or "error: "
// and the start of the error's message.
var scopeSteps = []struct{ scope, goal, want string }{
	// Machine facts and policies are read-only to a client.
	{"a", "retractall(node_distance(_, _, _))", denied + "node_distance/3'"},
	{"a", "assert(node_distance(0, 1, 99))", denied + "node_distance/3'"},
	{"a", "asserta(node_distance(0, 1, 99))", denied + "node_distance/3'"},
	{"a", "assertz(node_distance(0, 1, 99))", denied + "node_distance/3'"},
	{"a", "assert((node_distance(0, 1, 99) :- true))", denied + "node_distance/3'"},
	{"a", "retract(node_distance(0, 1, _))", denied + "node_distance/3'"},
	{"a", "retract(node_distance(7, 7, _))", denied + "node_distance/3'"},
	{"a", "dynamic(node_distance/3)", denied + "node_distance/3'"},
	{"a", "assert(device_node(0, 2, 0, 1))", denied + "device_node/4'"}, // declared, no facts
	{"a", "retractall(core(_, _, _))", denied + "core/3'"},
	{"a", "assert(far(0, 5))", denied + "far/2'"},
	{"a", "retract((far(_, _) :- _))", denied + "far/2'"},
	{"a", "dynamic(far/2)", denied + "far/2'"},
	{"a", "assert(member(x, y))", denied + "member/2'"},
	{"a", "assert(atom(x))", denied + "atom/1'"},
	{"a", "catch(retractall(core(_, _, _)), error(E, _), true)", "E = permission_error(modify,static_procedure,core/3)"},
	{"a", "maplist(assert, [core(9, 9, 9)])", denied + "core/3'"},
	{"a", "findall(X, (member(X, [1, 2]), assert(node_distance(X, X, 1))), _)", denied + "node_distance/3'"},
	// Reading them is fine.
	{"a", "clause(far(0, _), (node_distance(0, _, _), _ > 10))", "true"},
	{"a", "far(0, X)", "X = 1"},
	// A client's own predicates live in its scope.
	{"a", "assert(mine(1)), assertz(mine(2)), asserta(mine(0))", "true"},
	{"a", "findall(X, mine(X), L)", "L = [0,1,2]"},
	{"b", "mine(X)", "error: Unknown procedure: mine/1"},
	{"b", "assert(mine(b)), mine(X)", "X = b"},
	{"a", "retract(mine(0)), findall(X, mine(X), L)", "L = [1,2]"},
	{"b", "findall(X, mine(X), L)", "L = [b]"},
	{"", "catch(mine(X), error(E, _), true)", "E = existence_error(procedure,mine/1)"},
	{"a", "dynamic(empty/1), empty(X)", "false"},
	{"b", "empty(X)", "error: Unknown procedure: empty/1"},
	// Client rules over system facts, and clauses that try to write.
	{"a", "assert((near(A, B) :- node_distance(A, B, D), D =< 10)), findall(A-B, near(A, B), L)", "L = [0-0,1-1]"},
	{"a", "assert((evil :- retractall(node_distance(_, _, _)))), catch(evil, error(E, _), true)",
		"E = permission_error(modify,static_procedure,node_distance/3)"},
	{"a", "assert((later :- mine2(X), X > 0)), assert(mine2(3)), later", "true"},
	{"b", "later", "error: Unknown procedure: later/0"},
	// Operators are the scope's own.
	{"a", "op(700, xfx, ===>)", "true"},
	{"a", "X = (a ===> b)", "X = a===>b"},
	{"b", "X = (a ===> b)", "error: "},
	{"", "X = (a ===> b)", "error: "},
	{"a", "op(0, yfx, -)", "true"},
	{"a", "X = -(1, 2)", "X = -(1,2)"},
	{"b", "X = -(1, 2)", "X = 1-2"},
	// The system itself may still change its facts.
	{"", "assert(node_distance(5, 5, 10)), retract(node_distance(5, 5, 10))", "true"},
}

// runStep returns a query's answers, or "error: " and the message.
func runStep(t *testing.T, run func(string) (string, error), goal string) string {
	t.Helper()
	out, err := run(goal)
	if err != nil {
		return "error: " + err.Error()
	}
	return out
}

func TestScopes(t *testing.T) {
	e := New(Options{})
	if err := e.Consult("facts", scopeFacts); err != nil {
		t.Fatal(err)
	}
	scopes := map[string]*Scope{"a": e.NewScope(ScopeOptions{}), "b": e.NewScope(ScopeOptions{})}
	for _, s := range scopeSteps {
		run := e.Answers
		if s.scope != "" {
			run = scopes[s.scope].Answers
		}
		got := runStep(t, run, s.goal)
		if strings.HasPrefix(s.want, "error: ") && strings.HasPrefix(got, s.want) || got == s.want {
			continue
		}
		t.Errorf("%s: %s: got %q, want %q", or(s.scope, "system"), s.goal, got, s.want)
	}
	for _, v := range systemView {
		if got := runStep(t, e.Answers, v.goal); got != v.want {
			t.Errorf("system, afterwards: %s: got %q, want %q", v.goal, got, v.want)
		}
		if got := runStep(t, e.NewScope(ScopeOptions{}).Answers, v.goal); got != v.want {
			t.Errorf("a new client, afterwards: %s: got %q, want %q", v.goal, got, v.want)
		}
	}
	for _, name := range []Atom{"mine", "mine2", "near", "evil", "later", "empty"} {
		for arity := 0; arity < 2; arity++ {
			if e.systemOwns(name, arity) {
				t.Errorf("a client's %s/%d reached the system's database", name, arity)
			}
		}
	}
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// TestScopeBound: a client stores at most ScopeOptions.MaxBytes; past it
// assert and op/3 raise resource_error(client_database), which leaves
// what was stored; retracting gives room back.
func TestScopeBound(t *testing.T) {
	e := New(Options{MaxSteps: 1_000_000})
	if err := e.Consult("facts", scopeFacts); err != nil {
		t.Fatal(err)
	}
	const bound = 4096
	s := e.NewScope(ScopeOptions{MaxBytes: bound})
	full := "error: Not enough resources: client_database"
	steps := []struct{ goal, want string }{
		{"between(1, 1000, N), assert(big(N)), fail", full},
		{"aggregate_all(count, big(_), _N), (_N > 10, _N < 40 -> R = ok ; R = _N)", "R = ok"},
		{"catch(assert(big(x)), error(resource_error(R), _), true)", "R = client_database"},
		{"length(L, 100000), assert(huge(L))", full},
		{"numlist(1, 20, L), atomic_list_concat(L, A), atom_length(A, N), length(As, 200), maplist(=(A), As), assert(wide(As))", full},
		{"X = [a|X], assert(cyclic(X))", full},
		{"between(1, 1000, N), atom_concat(op, N, Op), op(700, xfx, Op), fail", full},
		{"retractall(big(_))", "true"},
		{"assert(big(1)), big(X)", "X = 1"},
	}
	for _, st := range steps {
		got := runStep(t, s.Answers, st.goal)
		if got != st.want && !(strings.HasPrefix(st.want, "error: ") && strings.HasPrefix(got, st.want)) {
			t.Errorf("%s: got %q, want %q", st.goal, got, st.want)
		}
		if s.Used() > bound {
			t.Errorf("%s: the scope holds %d bytes, over its bound %d", st.goal, s.Used(), bound)
		}
	}
	if got := runStep(t, e.Answers, "findall(A-B-D, node_distance(A, B, D), L)"); got != systemView[0].want {
		t.Errorf("system: got %q", got)
	}
	// Terms far larger than their memory, in an empty scope: the walk stops
	// at the bound, before the compiler sees them.
	for _, g := range []string{"X = [a|X], assert(cyclic(X))", "X = f(X), assert(cyclic(X))",
		"X = f(X, X), assert(cyclic(X))", doubling(40) + ", assert(shared(X40))"} {
		if got := runStep(t, e.NewScope(ScopeOptions{MaxBytes: bound}).Answers, g); !strings.HasPrefix(got, full) {
			t.Errorf("%.60s: got %q, want %q", g, got, full)
		}
		if got := runStep(t, e.Answers, g); got != "error: "+ErrStepLimit.Error() {
			t.Errorf("system: %.60s: got %q, want the step limit", g, got)
		}
	}
}

// doubling returns a goal binding X0 = a and each Xi to f(Xi-1, Xi-1) up
// to Xn: a term of n+1 cells in memory and 2^(n+1)-1 as a tree.
func doubling(n int) string {
	var b strings.Builder
	b.WriteString("X0 = a")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, ", X%d = f(X%d, X%d)", i, i-1, i-1)
	}
	return b.String()
}
