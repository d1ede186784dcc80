package main

import (
	"fmt"

	"multikernel/skb/programs"
)

// workload is one benchmark: a program, a goal to time, and optionally a
// nominal inference count to compute LIPS from.
type workload struct {
	name     string
	program  string
	goal     string
	nominal  int64 // inferences per run of goal, 0 to use each system's count
	describe string
}

const nrevProgram = `
app([], L, L).
app([H|T], L, [H|R]) :- app(T, L, R).
nrev([], []).
nrev([H|T], R) :- nrev(T, RT), app(RT, [H], R).
range(N, N, [N]) :- !.
range(I, N, [I|T]) :- I1 is I + 1, range(I1, N, T).
bench_nrev(N) :- range(1, 30, L), ( between(1, N, _), nrev(L, _), fail ; true ).
`

// closureProgram is a 200-node graph: a ring plus chords i -> i*7 mod
// 200, closed by a depth-first search from every node with a visited set.
const closureProgram = `
reach(X, Seen0, Seen) :- findall(Y, e(X, Y), Ys), visit(Ys, Seen0, Seen).
visit([], S, S).
visit([Y|Ys], S0, S) :- ( in(Y, S0) -> S1 = S0 ; reach(Y, [Y|S0], S1) ), visit(Ys, S1, S).
in(X, [X|_]) :- !.
in(X, [_|T]) :- in(X, T).
closure(N) :- findall(X-S, ( between(0, 199, X), reach(X, [X], S) ), Ps), count(Ps, 0, N).
count([], N, N).
count([_-S|T], N0, N) :- len(S, 0, L), N1 is N0 + L, count(T, N1, N).
len([], N, N).
len([_|T], N0, N) :- N1 is N0 + 1, len(T, N1, N).
bench_closure(K) :- ( between(1, K, _), closure(_), fail ; true ).
`

// closureFacts lists the edges as facts, so both systems index them.
func closureFacts() string {
	s := ""
	for i := 0; i < 200; i++ {
		s += fmt.Sprintf("e(%d, %d).\ne(%d, %d).\n", i, (i+1)%200, i, (i*7)%200)
	}
	return s
}

// multicastProgram is the SKB's policies with the 4x4 Opteron facts.
func multicastProgram() (string, error) {
	text := ""
	for _, name := range programs.Order {
		t, err := programs.Text(name)
		if err != nil {
			return "", err
		}
		text += t + "\n"
	}
	text += `
core(0, 0, 0).   core(1, 1, 0).   core(2, 2, 0).   core(3, 3, 0).
core(4, 4, 1).   core(5, 5, 1).   core(6, 6, 1).   core(7, 7, 1).
core(8, 8, 2).   core(9, 9, 2).   core(10, 10, 2). core(11, 11, 2).
core(12, 12, 3). core(13, 13, 3). core(14, 14, 3). core(15, 15, 3).
node_distance(0, 0, 10). node_distance(0, 1, 16). node_distance(0, 2, 16). node_distance(0, 3, 22).
node_distance(1, 0, 16). node_distance(1, 1, 10). node_distance(1, 2, 22). node_distance(1, 3, 16).
node_distance(2, 0, 16). node_distance(2, 1, 22). node_distance(2, 2, 10). node_distance(2, 3, 16).
node_distance(3, 0, 22). node_distance(3, 1, 16). node_distance(3, 2, 16). node_distance(3, 3, 10).
bench_multicast(K) :- ( between(1, K, _), between(0, 15, R), multicast_tree(R, T), multicast_edges(T, _), fail ; true ).
`
	return text, nil
}

// workloads returns the benchmarks, scaled by scale.
func workloads(scale int) ([]workload, error) {
	mc, err := multicastProgram()
	if err != nil {
		return nil, err
	}
	n := 20000 * scale
	return []workload{
		{name: "nrev30", program: nrevProgram, goal: fmt.Sprintf("bench_nrev(%d)", n), nominal: 496 * int64(n),
			describe: fmt.Sprintf("naive reverse of a 30-element list, %d times", n)},
		{name: "closure200", program: closureProgram + closureFacts(), goal: fmt.Sprintf("bench_closure(%d)", 2*scale),
			describe: fmt.Sprintf("transitive closure of a 200-node, 400-edge graph, %d times", 2*scale)},
		{name: "multicast16", program: mc, goal: fmt.Sprintf("bench_multicast(%d)", 20*scale),
			describe: fmt.Sprintf("16-core multicast tree from each of 16 roots, %d times", 20*scale)},
	}, nil
}
