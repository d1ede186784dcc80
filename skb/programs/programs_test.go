package programs

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"multikernel/skb"
)

// engineFor returns an engine with the programs and a topology's facts.
func engineFor(t *testing.T, topology string) *skb.Engine {
	t.Helper()
	e := skb.New(skb.Options{})
	if err := Load(e); err != nil {
		t.Fatal(err)
	}
	facts, err := os.ReadFile("testdata/" + topology)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Consult(topology, string(facts)); err != nil {
		t.Fatal(err)
	}
	return e
}

// answers runs goal and returns its answers, one per line.
func answers(t *testing.T, e *skb.Engine, goal string) string {
	t.Helper()
	out, err := e.Answers(goal)
	if err != nil {
		t.Fatalf("%s: %v", goal, err)
	}
	return out
}

type policyCase struct {
	topology, goal, want string
}

var policyCases = []policyCase{
	// The 4x4 Opteron square: from core 0, node 3 (two hops, 22) first,
	// then nodes 1 and 2 (one hop, 16), then the local cores.
	{"opteron4x4.pl", "multicast_tree(0, T), multicast_edges(T, E)",
		"T = tree(0,[tree(12,[tree(13,[]),tree(14,[]),tree(15,[])]),tree(4,[tree(5,[]),tree(6,[]),tree(7,[])]),tree(8,[tree(9,[]),tree(10,[]),tree(11,[])]),tree(1,[]),tree(2,[]),tree(3,[])]), " +
			"E = [0-12,0-4,0-8,0-1,0-2,0-3,12-13,12-14,12-15,4-5,4-6,4-7,8-9,8-10,8-11]"},
	// From core 5 on node 1: node 2 is two hops away, nodes 0 and 3 one.
	{"opteron4x4.pl", "multicast_tree(5, T), multicast_edges(T, E)",
		"T = tree(5,[tree(8,[tree(9,[]),tree(10,[]),tree(11,[])]),tree(0,[tree(1,[]),tree(2,[]),tree(3,[])]),tree(12,[tree(13,[]),tree(14,[]),tree(15,[])]),tree(4,[]),tree(6,[]),tree(7,[])]), " +
			"E = [5-8,5-0,5-12,5-4,5-6,5-7,8-9,8-10,8-11,0-1,0-2,0-3,12-13,12-14,12-15]"},
	// A subset: only the cores taking part get messages.
	{"opteron4x4.pl", "multicast_tree(0, [1,5,6,15], T)",
		"T = tree(0,[tree(15,[]),tree(5,[tree(6,[])]),tree(1,[])])"},
	{"opteron4x4.pl", "core_alloc_order(Cs)", "Cs = [0,4,8,12,1,5,9,13,2,6,10,14,3,7,11,15]"},
	{"opteron4x4.pl", "alloc_cores(6, Cs)", "Cs = [0,4,8,12,1,5]"},
	{"opteron4x4.pl", "alloc_cores(17, Cs)", "false"},
	{"opteron4x4.pl", "local_memory(0, B, S)", "B = 0, S = 651264\nB = 1048576, S = 1072693248"},
	{"opteron4x4.pl", "local_memory(13, B, S)", "B = 4294967296, S = 1073741824"},
	{"opteron4x4.pl", "nearest_memory(5, B, S), !", "B = 1073741824, S = 1073741824"},
	{"opteron4x4.pl", "findall(B, nearest_memory(12, B, _), Bs)", "Bs = [4294967296,1073741824,2147483648,0,1048576]"},
	{"opteron4x4.pl", "node_memory(2, M)", "M = 1073741824"},
	{"opteron4x4.pl", "node_order(0, Ns)", "Ns = [0,1,2,3]"},
	{"opteron4x4.pl", "node_order(5, Ns)", "Ns = [1,0,3,2]"},
	{"opteron4x4.pl", "node_order(12, Ns)", "Ns = [3,1,2,0]"},
	{"opteron4x4.pl", "nearest_core(0, 2, 0, C)", "C = 12"},
	{"opteron4x4.pl", "nearest_core(0, 31, 2, C)", "C = 0"},
	{"opteron4x4.pl", "device_cores(0, 2, 0, Cs)", "Cs = [12,13,14,15,4,5,6,7,8,9,10,11,0,1,2,3]"},
	{"opteron4x4.pl", "core_distance(0, 15, D), core_distance(6, 9, D2)", "D = 22, D2 = 22"},
	{"opteron4x4.pl", "findall(N, node(N), Ns)", "Ns = [0,1,2,3]"},
	{"opteron4x4.pl", "cpu(V, F, _), cpu_feature(sse4a)", "V = 'AuthenticAMD', F = 16"},
	{"opteron4x4.pl", "device_class(0x020000, B, D, F)", "B = 0, D = 2, F = 0"},
	// The dual Xeon: measured round trips pick core 6 as node 1's leader
	// and order the local fan-out by cost.
	{"dual_xeon.pl", "multicast_tree(0, T)",
		"T = tree(0,[tree(6,[tree(4,[]),tree(5,[]),tree(7,[])]),tree(3,[]),tree(1,[]),tree(2,[])])"},
	{"dual_xeon.pl", "core_alloc_order(Cs)", "Cs = [0,4,1,5,2,6,3,7]"},
	{"dual_xeon.pl", "nearest_core(0x80, 0, 0, C)", "C = 4"},
	{"dual_xeon.pl", "local_memory(7, B, S)", "B = 4294967296, S = 2147483648"},
	{"dual_xeon.pl", "message_cost(0, 5, C), message_cost(5, 0, C2)", "C = 880, C2 = 21"},
}

func TestPolicies(t *testing.T) {
	for _, c := range policyCases {
		e := engineFor(t, c.topology)
		if got := answers(t, e, c.goal); got != c.want {
			t.Errorf("%s: %s:\ngot  %s\nwant %s", c.topology, c.goal, got, c.want)
		}
	}
}

// TestMulticastCoversEveryCore checks the tree's shape on the 4x4 machine
// from every root: each other core gets exactly one message, and exactly
// one message crosses to each remote node.
func TestMulticastCoversEveryCore(t *testing.T) {
	e := engineFor(t, "opteron4x4.pl")
	for root := 0; root < 16; root++ {
		goal := fmt.Sprintf("multicast_tree(%d, T), multicast_edges(T, E), findall(To, member(_-To, E), Tos), msort(Tos, S), "+
			"findall(x, (member(A-B, E), core_node(A, NA), core_node(B, NB), NA \\== NB), Cross), length(Cross, NC)", root)
		got := answers(t, e, goal)
		var want []string
		for c := 0; c < 16; c++ {
			if c != root {
				want = append(want, fmt.Sprint(c))
			}
		}
		if !strings.Contains(got, "S = ["+strings.Join(want, ",")+"]") || !strings.Contains(got, "NC = 3") {
			t.Errorf("root %d: %s", root, got)
		}
	}
}

// swiHelper prints the answers of a goal given as text in the host
// command's format.
const swiHelper = `
run(Text) :-
    term_string(G, Text, [variable_names(Vs)]),
    ( \+ \+ call(G) -> forall(G, show(Vs)) ; writeln(false) ).
show(Vs) :-
    include(visible, Vs, Ss),
    ( Ss == [] -> writeln(true) ; pairs(Ss), nl ).
visible(N=V) :- nonvar(V), \+ sub_atom(N, 0, 1, _, '_').
pairs([N=V]) :- !, format("~w = ", [N]), print(V).
pairs([N=V|T]) :- format("~w = ", [N]), print(V), write(', '), pairs(T).
`

// TestPoliciesSWI runs the same goals with SWI-Prolog, when installed, to
// keep the programs portable and the expected answers honest.
func TestPoliciesSWI(t *testing.T) {
	swipl, err := exec.LookPath("swipl")
	if err != nil {
		t.Skip("swipl not installed")
	}
	helper := filepath.Join(t.TempDir(), "helper.pl")
	if err := os.WriteFile(helper, []byte(swiHelper), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range policyCases {
		args := []string{"-q"}
		for _, f := range append(append([]string{helper}, Order...), "testdata/"+c.topology) {
			args = append(args, "-g", fmt.Sprintf("load_files('%s', [silent(true)])", f))
		}
		goal := strings.ReplaceAll(strings.ReplaceAll(c.goal, `\`, `\\`), `"`, `\"`)
		args = append(args, "-g", fmt.Sprintf(`run("%s")`, goal), "-g", "halt")
		out, err := exec.Command(swipl, args...).Output()
		if err != nil {
			t.Fatalf("swipl %s: %v", c.goal, err)
		}
		if got := strings.TrimSpace(string(out)); got != c.want {
			t.Errorf("swipl: %s: %s:\ngot  %s\nwant %s", c.topology, c.goal, got, c.want)
		}
	}
}
