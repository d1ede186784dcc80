package skb

import (
	"strings"
	"testing"
)

// builtinCase is a goal and its answers, one per line ("false" for none,
// "error" for an exception).
type builtinCase struct {
	goal, want string
}

// builtinCases has at least one case for every builtin, control construct
// and library predicate; TestEveryBuiltinTested checks that.
var builtinCases = []builtinCase{
	// control
	{"true", "true"}, {"otherwise", "true"}, {"fail", "false"}, {"false", "false"},
	{"(X = 1, !, X = 1 ; X = 2)", "X = 1"}, {"(X = 1, Y = 2)", "X = 1, Y = 2"},
	{"(X = 1 ; X = 2)", "X = 1\nX = 2"}, {"(X = 1 | X = 2)", "X = 1\nX = 2"},
	{"(true -> X = y)", "X = y"}, {"(member(X, [1,2]) *-> true ; X = 0)", "X = 1\nX = 2"},
	{"\\+ fail", "true"}, {"call(=, X, 1)", "X = 1"}, {"call(=(X), 1)", "X = 1"},
	{"call(format, \"\", [])", "true"}, {"call(between, 1, 2, X)", "X = 1\nX = 2"},
	{"call(plus, 1, 2, X)", "X = 3"}, {"call(atom_concat(a), b, X)", "X = ab"},
	{"call(foldl, plus, [1], 0, S)", "S = 1"}, {"call(true)", "true"},
	{"call(foldl, [A,B,C,D]>>true, [1], [2], 0, S)", "error"}, {"foldl([X,Y,A0,A]>>true, [], [], 0, S)", "S = 0"},
	{"call(sort, 0, @<, [b,a], L)", "L = [a,b]"},
	{"call(maplist, plus, [1], [2], [X])", "X = 3"},
	{"call(maplist, [A,B,C,D]>>true, [1], [2], [3], [4])", "error"},
	{"call(call, call, call, call, call, call, true)", "true"}, {"call(call, call, call, call, call, call, call, true)", "true"},
	{"catch(throw(x), B, true)", "B = x"}, {"findall(X, member(X, [a,b]), L)", "L = [a,b]"},
	{"throw(oops)", "error"},
	// type tests
	{"var(_)", "true"}, {"nonvar(a)", "true"}, {"atom(a)", "true"}, {"atom([])", "false"},
	{"integer(1)", "true"}, {"number(1)", "true"}, {"string(\"s\")", "true"}, {"atomic(\"s\")", "true"},
	{"compound(f(x))", "true"}, {"callable(f)", "true"}, {"is_list([a])", "true"}, {"ground(f(_))", "false"},
	// unification and comparison
	{"f(X) = f(1)", "X = 1"}, {"a \\= b", "true"}, {"a == a", "true"}, {"a \\== b", "true"},
	{"a @< b", "true"}, {"b @> a", "true"}, {"a @=< a", "true"}, {"a @>= b", "false"},
	{"compare(O, 1, 2)", "O = <"},
	// arithmetic
	{"X is 2 + 3 * 4", "X = 14"}, {"1 =:= 1", "true"}, {"1 =\\= 1", "false"}, {"1 < 2", "true"},
	{"2 > 1", "true"}, {"1 =< 1", "true"}, {"1 >= 2", "false"}, {"succ(X, 3)", "X = 2"}, {"plus(2, X, 5)", "X = 3"},
	{"X is 9223372036854775807 + 1", "error"}, {"X is -9223372036854775807 - 1", "X = -9223372036854775808"},
	// terms
	{"functor(f(a), N, A)", "N = f, A = 1"}, {"arg(1, f(a), X)", "X = a"}, {"f(a) =.. L", "L = [f,a]"},
	{"copy_term(f(X, X), f(A, B)), A == B", "true"}, {"term_variables(f(X, Y, X), L), length(L, 2)", "L = [_G0,_G1]"},
	// atoms and strings
	{"atom_codes(ab, L)", "L = [97,98]"}, {"atom_chars(ab, L)", "L = [a,b]"}, {"atom_string(a, S)", "S = \"a\""},
	{"string_codes(S, [97])", "S = \"a\""}, {"string_chars(S, [a])", "S = \"a\""}, {"string_to_atom(S, a)", "S = \"a\""},
	{"number_codes(N, \"12\")", "N = 12"}, {"atom_number('7', N)", "N = 7"}, {"char_code(C, 0'a)", "C = a"},
	{"atom_length(abc, N)", "N = 3"}, {"string_length(\"ab\", N)", "N = 2"}, {"atom_concat(a, b, X)", "X = ab"},
	{"string_concat(S1, S2, \"a\")", "S1 = \"\", S2 = \"a\"\nS1 = \"a\", S2 = \"\""},
	{"upcase_atom(ab, X)", "X = 'AB'"}, {"downcase_atom('AB', X)", "X = ab"},
	{"atomic_list_concat([a, 1], X)", "X = a1"}, {"atomic_list_concat(L, '.', 'a.b')", "L = [a,b]"},
	{"term_to_atom(f(X), A)", "A = 'f(_G0)'"},
	// lists
	{"length([a], N)", "N = 1"}, {"msort([b, a, b], L)", "L = [a,b,b]"}, {"sort([b, a, b], L)", "L = [a,b]"},
	{"sort(0, @>=, [1, 2, 1], L)", "L = [2,1,1]"}, {"keysort([b-1, a-2], L)", "L = [a-2,b-1]"},
	{"between(1, 2, X)", "X = 1\nX = 2"}, {"repeat, !", "true"},
	{"append([a], [b], L)", "L = [a,b]"}, {"append([[a], [b]], L)", "L = [a,b]"}, {"member(X, [a])", "X = a"},
	{"memberchk(a, [a, a])", "true"}, {"reverse([a, b], L)", "L = [b,a]"}, {"nth0(0, [a], X)", "X = a"},
	{"nth1(1, [a], X)", "X = a"}, {"last([a, b], X)", "X = b"}, {"sum_list([1, 2], S)", "S = 3"},
	{"sumlist([1, 2], S)", "S = 3"}, {"max_list([1, 3, 2], M)", "M = 3"}, {"min_list([2, 1], M)", "M = 1"},
	{"max_member(M, [a, c, b])", "M = c"}, {"min_member(M, [b, a])", "M = a"}, {"numlist(1, 3, L)", "L = [1,2,3]"},
	{"select(a, [a, b], L)", "L = [b]"}, {"selectchk(b, [a, b], L)", "L = [a]"}, {"nextto(a, X, [a, b])", "X = b"},
	{"delete([a, b, a], a, L)", "L = [b]"}, {"exclude(==(a), [a, b], L)", "L = [b]"},
	{"include(==(a), [a, b], L)", "L = [a]"}, {"partition(==(a), [a, b], I, E)", "I = [a], E = [b]"},
	{"subtract([a, b], [a], L)", "L = [b]"}, {"intersection([a, b], [b], L)", "L = [b]"},
	{"union([a], [b], L)", "L = [a,b]"}, {"list_to_set([a, b, a], L)", "L = [a,b]"},
	{"flatten([a, [b]], L)", "L = [a,b]"}, {"pairs_keys_values(P, [a], [1])", "P = [a-1]"},
	{"pairs_keys([a-1], K)", "K = [a]"}, {"pairs_values([a-1], V)", "V = [1]"},
	{"maplist(atom, [a, b])", "true"}, {"maplist(succ, [1], L)", "L = [2]"},
	{"maplist(plus, [1], [2], L)", "L = [3]"}, {"foldl(plus, [1, 2], 0, S)", "S = 3"},
	{"predsort([O, A, B]>>compare(O, A, B), [b, a], L)", "error"},
	{"once(member(X, [a, b]))", "X = a"}, {"ignore(fail)", "true"}, {"not(fail)", "true"},
	{"forall(member(X, [1, 2]), X > 0)", "true"}, {"aggregate_all(count, member(_, [a, b]), N)", "N = 2"},
	// database
	{"assert(t1(a)), t1(X)", "X = a"}, {"assertz(t2(a)), assertz(t2(b)), t2(X)", "X = a\nX = b"},
	{"asserta(t3(a)), asserta(t3(b)), t3(X)", "X = b\nX = a"}, {"assert(t4(a)), retract(t4(X))", "X = a"},
	{"assert(t5(a)), retractall(t5(_)), \\+ t5(_)", "true"}, {"assert((t6(X) :- X = 1)), clause(t6(Y), B)", "B = _G1=1"},
	{"dynamic(t7/1), \\+ t7(_)", "true"}, {"discontiguous(t8/1)", "true"}, {"ensure_loaded(library(lists))", "true"},
	{"use_module(library(lists))", "true"}, {"use_module(library(lists), [append/3])", "true"},
	{"set_prolog_flag(double_quotes, codes)", "true"}, {"garbage_collect", "true"},
	{"op(700, xfx, ===>), term_to_atom(T, 'a ===> b'), T =.. L", "T = a===>b, L = [===>,a,b]"},
	{"statistics(inferences, N)", "N = 1"},
	// output
	{"format(atom(A), \"~w ~q ~a ~d~n\", [x, 'Y', z, 3])", "A = 'x \\'Y\\' z 3\\n'"},
	{"format(\"\")", "true"}, {"write(a)", "true"}, {"print(a)", "true"}, {"writeq(a)", "true"},
	{"write_canonical(a)", "true"}, {"writeln(a)", "true"}, {"nl", "true"}, {"tab(2)", "true"},
}

// answersOf runs goal on a fresh engine and returns its answers.
func answersOf(goal string) string {
	e := New(Options{MaxSteps: 100000})
	var out []string
	found, err := e.Run(goal, func(a string) bool { out = append(out, a); return true })
	switch {
	case err != nil:
		return "error"
	case !found:
		return "false"
	}
	return strings.Join(out, "\n")
}

func TestBuiltins(t *testing.T) {
	for _, c := range builtinCases {
		if got := answersOf(c.goal); got != c.want {
			t.Errorf("%s:\ngot  %s\nwant %s", c.goal, got, c.want)
		}
	}
}

// TestEveryBuiltinTested checks that every predicate an Engine starts with
// (controls, builtins and the library, less its '$' helpers) is called by
// some case above.
func TestEveryBuiltinTested(t *testing.T) {
	e := New(Options{})
	for k, p := range e.db.preds {
		if strings.HasPrefix(string(k.name), "$") || !p.defined() {
			continue
		}
		if !caseMentions(k.name, k.arity) {
			t.Errorf("no test case for %s/%d", k.name, k.arity)
		}
	}
}

// caseMentions reports whether some case calls name/arity, by parsing the
// goals and walking them.
func caseMentions(name Atom, arity int) bool {
	e := New(Options{})
	for _, c := range builtinCases {
		g, _, err := e.Parse(c.goal)
		if err == nil && termMentions(g, name, arity) {
			return true
		}
	}
	return false
}

func termMentions(t Term, name Atom, arity int) bool {
	switch x := deref(t).(type) {
	case Atom:
		return x == name && arity == 0
	case *Compound:
		if x.Functor == name && len(x.Args) == arity {
			return true
		}
		if x.Functor == "call" && len(x.Args) > 1 { // call(F, A...) calls F with more arguments
			if f, args, ok := functorOf(deref(x.Args[0])); ok && f == name && len(args)+len(x.Args)-1 == arity {
				return true
			}
		}
		for _, a := range x.Args {
			if termMentions(a, name, arity) {
				return true
			}
		}
	}
	return false
}
