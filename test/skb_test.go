//go:build integration

package test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
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
