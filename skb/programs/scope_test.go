package programs

import (
	"strings"
	"testing"

	"multikernel/skb"
)

// TestClientsCannotChangePolicies: a client's attempts on the machine
// facts and the policies are refused, a client rule named like nothing of
// the system's stays its own, and the memory service's node order and the
// multicast tree come out as before.
func TestClientsCannotChangePolicies(t *testing.T) {
	e := engineFor(t, "opteron4x4.pl")
	policies := []string{"node_order(5, Ns)", "multicast_tree(0, T), multicast_edges(T, E)", "core_alloc_order(Cs)",
		"findall(A-B-D, node_distance(A, B, D), L)", "nearest_core(0, 2, 0, C)"}
	before := map[string]string{}
	for _, g := range policies {
		before[g] = answers(t, e, g)
	}
	client := e.NewScope(skb.ScopeOptions{})
	for _, g := range []string{
		"retractall(node_distance(_, _, _))", "assert(node_distance(1, 0, 99))", "asserta(node_distance(0, 1, 1))",
		"retract(message_rtt(_, _, _))", "assert(message_rtt(0, 4, 1))", "retractall(core(_, _, _))",
		"assert(core(16, 16, 0))", "assert((distance(_, _, 1) :- true))", "retract((node_order(_, _) :- _))",
		"assert(device_node(0, 2, 0, 0))", "dynamic(memory_region/3)", "assert(member(_, _))",
	} {
		_, err := client.Answers(g)
		if err == nil || !strings.HasPrefix(err.Error(), "No permission to modify static procedure `") {
			t.Errorf("%s: got %v, want a permission error", g, err)
		}
	}
	if out, err := client.Answers("assert(my_order(5, [3])), my_order(5, Ns)"); err != nil || out != "Ns = [3]" {
		t.Errorf("a client's own fact: %q, %v", out, err)
	}
	for _, g := range policies {
		if got := answers(t, e, g); got != before[g] {
			t.Errorf("%s: the system now answers %q, was %q", g, got, before[g])
		}
		if got, err := client.Answers(g); err != nil || got != before[g] {
			t.Errorf("%s: the client now gets %q, %v, was %q", g, got, err, before[g])
		}
	}
}
