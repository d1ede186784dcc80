//go:build integration

package test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// TestSKBQueries: programs on cores other than 0 query the SKB in core 0's
// monitor over URPC (through their own monitor) and get the topology
// QEMU was configured with (-numa: cores 4n..4n+3 on node n, the Opteron
// square's distances) and a NUMA-aware multicast tree for 16 cores.
func TestSKBQueries(t *testing.T) {
	skbq := filepath.Join(root(t), "build/apps/skbq")
	out, code := boot(t, qemuargs.Config{SMP: 16, Nodes: 4, MemMiB: 4096, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			skbq + " @5 'core(C, _, N)'",
			skbq + " @9 'findall(A-B-D, node_distance(A, B, D), L)'",
			skbq + " @14 'multicast_tree(0, T), multicast_edges(T, E)'",
		}}, 5*time.Minute)
	mustContain(t, out, "[core 0 monitor] skb: up with")

	// core/3: every core on its node.
	cores := regexp.MustCompile(`(?m)^\[core 5 skbq\] C = (\d+), N = (\d+)$`).FindAllStringSubmatch(out, -1)
	if len(cores) != 16 {
		t.Errorf("%d core facts, want 16", len(cores))
	}
	for _, m := range cores {
		c, _ := strconv.Atoi(m[1])
		if n, _ := strconv.Atoi(m[2]); n != qemuargs.NodeOf(16, 4, c) {
			t.Errorf("core %d on node %d, QEMU put it on node %d", c, n, qemuargs.NodeOf(16, 4, c))
		}
	}

	// node_distance/3: the SLIT QEMU was given.
	want := "L = ["
	for a := 0; a < 4; a++ {
		for b := 0; b < 4; b++ {
			if a+b > 0 {
				want += ","
			}
			want += fmt.Sprintf("%d-%d-%d", a, b, qemuargs.Distance(4, a, b))
		}
	}
	mustContain(t, out, "[core 9 skbq] "+want+"]")

	// The multicast tree: one message from core 0 to a leader on each
	// other node and to each core of its own; each leader sends to the
	// rest of its node; every core is reached once.
	m := regexp.MustCompile(`(?m)^\[core 14 skbq\] T = .*, E = \[(.*)\]$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no multicast tree in the output")
	}
	edges := regexp.MustCompile(`(\d+)-(\d+)`).FindAllStringSubmatch(m[1], -1)
	node := func(c int) int { return qemuargs.NodeOf(16, 4, c) }
	reached := map[int]bool{0: true}
	leaders := map[int]int{} // node -> leader
	for _, e := range edges {
		from, _ := strconv.Atoi(e[1])
		to, _ := strconv.Atoi(e[2])
		if !reached[from] {
			t.Errorf("edge %d-%d: %d sends before it was reached", from, to, from)
		}
		if reached[to] {
			t.Errorf("edge %d-%d: %d reached twice", from, to, to)
		}
		reached[to] = true
		switch {
		case from == 0 && node(to) != 0:
			if l, ok := leaders[node(to)]; ok {
				t.Errorf("core 0 sends to node %d twice (%d and %d)", node(to), l, to)
			}
			leaders[node(to)] = to
		case node(from) != node(to):
			t.Errorf("edge %d-%d crosses nodes below the root", from, to)
		case from != 0 && leaders[node(from)] != from:
			t.Errorf("edge %d-%d: %d is not its node's leader", from, to, from)
		}
	}
	if len(reached) != 16 || len(edges) != 15 || len(leaders) != 3 {
		t.Errorf("the tree reaches %d cores with %d edges and %d remote leaders, want 16, 15, 3: %s", len(reached), len(edges), len(leaders), m[1])
	}
	for _, c := range []int{5, 9, 14} {
		mustContain(t, out, fmt.Sprintf("[core %d skbq] exited status 0", c))
	}
	wantExit(t, code, exitSuccess)
}

// TestSKBErrors: a goal the SKB rejects comes back to the program as an
// error, and the SKB keeps answering the next query.
func TestSKBErrors(t *testing.T) {
	skbq := filepath.Join(root(t), "build/apps/skbq")
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			skbq + " @1 'no_such_predicate(X)'",
			skbq + " @1 'X is 6 * 7'",
		}}, 3*time.Minute)
	mustContain(t, out, "[core 1 skbq] skbq: remote: ", "no_such_predicate/1",
		"[core 1 skbq] exited status 1", "[core 1 skbq] X = 42", "[core 1 skbq] exited status 0")
	wantExit(t, code, exitFailure)
}

// TestSKBReadOnly: the machine facts are read-only to programs. Programs
// on core 1 (the SKB's node) and core 2 (the other node) try to retract
// and forge node distances and round trips and get a permission error;
// the multicast tree, the memory service's node order and the SLIT come
// out as before. Two programs on core 3 each assert a fact of their own
// and see only their own.
func TestSKBReadOnly(t *testing.T) {
	const smp, nodes = 4, 2
	skbq := filepath.Join(root(t), "build/apps/skbq")
	tree := "'multicast_tree(0, T), multicast_edges(T, E)'"
	out, code := boot(t, qemuargs.Config{SMP: smp, Nodes: nodes, MemMiB: 1024, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			skbq + " @1 -each " + tree + " 'retractall(node_distance(_, _, _))' 'assert(node_distance(0, 1, 99))' " +
				tree + " 'node_order(1, Ns)' 'findall(A-B-D, node_distance(A, B, D), L)'",
			skbq + " @2 -each 'retractall(message_rtt(_, _, _))' 'asserta(node_distance(1, 0, 1))' 'node_order(2, Ns)'",
			skbq + " @3 -each 'assert(mine(p))' 'findall(X, mine(X), L)'",
			skbq + " @3 -each 'assert(mine(q))' 'findall(X, mine(X), L)'",
		}}, 3*time.Minute)
	mustContain(t, out, "[core 0 monitor] skb: up with",
		"[core 1 skbq] skbq: remote: No permission to modify static procedure `node_distance/3'",
		"[core 2 skbq] skbq: remote: No permission to modify static procedure `message_rtt/3'",
		"[core 2 skbq] skbq: remote: No permission to modify static procedure `node_distance/3'",
		"[core 1 skbq] Ns = [0,1]", "[core 2 skbq] Ns = [1,0]",
		"[core 3 skbq] L = [p]", "[core 3 skbq] L = [q]")
	if n := strings.Count(out, "No permission to modify static procedure"); n != 4 {
		t.Errorf("%d permission errors, want 4", n)
	}
	slit := "L = ["
	for a := 0; a < nodes; a++ {
		for b := 0; b < nodes; b++ {
			if a+b > 0 {
				slit += ","
			}
			slit += fmt.Sprintf("%d-%d-%d", a, b, qemuargs.Distance(nodes, a, b))
		}
	}
	mustContain(t, out, "[core 1 skbq] "+slit+"]")

	// The tree before and after the attempts: the same, and a NUMA tree.
	trees := regexp.MustCompile(`(?m)^\[core 1 skbq\] T = .*, E = \[(.*)\]$`).FindAllStringSubmatch(out, -1)
	if len(trees) != 2 || trees[0][0] != trees[1][0] {
		t.Fatalf("multicast trees before and after: %q", trees)
	}
	reached, cross := map[int]bool{0: true}, 0
	for _, e := range regexp.MustCompile(`(\d+)-(\d+)`).FindAllStringSubmatch(trees[0][1], -1) {
		from, _ := strconv.Atoi(e[1])
		to, _ := strconv.Atoi(e[2])
		if !reached[from] || reached[to] {
			t.Errorf("edge %d-%d out of order", from, to)
		}
		reached[to] = true
		if qemuargs.NodeOf(smp, nodes, from) != qemuargs.NodeOf(smp, nodes, to) {
			cross++
		}
	}
	if len(reached) != smp || cross != 1 {
		t.Errorf("the tree reaches %d cores with %d messages between nodes, want %d and 1: %s", len(reached), cross, smp, trees[0][1])
	}
	if strings.Contains(out, "L = [p,q]") || strings.Contains(out, "L = [q,p]") {
		t.Errorf("one program saw the other's fact")
	}
	mustContain(t, out, "[core 1 skbq] exited status 1", "[core 2 skbq] exited status 1", "[core 3 skbq] exited status 0")
	wantExit(t, code, exitFailure)
}
