//go:build integration

package test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// checkMatrix checks core 0's round-trip matrix (urpc-matrix): n rows of
// n entries, "-" on the diagonal and a positive cycle count everywhere
// else, so every ordered pair of monitors answered.
func checkMatrix(t *testing.T, out string, n int) {
	t.Helper()
	mustContain(t, out, "[core 0 monitor] mesh: "+strconv.Itoa(n)+" monitors connected",
		"[core 0 monitor] urpc-matrix: "+strconv.Itoa(n)+" cores, round trip from row to column in TSC cycles",
		"[core 0 monitor] urpc-matrix: end")
	rows := regexp.MustCompile(`(?m)^\[core 0 monitor\] urpc-matrix: +(\d+)((?: +(?:-|\?|\d+))+)$`).FindAllStringSubmatch(out, -1)
	if len(rows) != n {
		t.Fatalf("%d matrix rows, want %d", len(rows), n)
	}
	for i, r := range rows {
		if r[1] != strconv.Itoa(i) {
			t.Errorf("row %d is labelled %s", i, r[1])
		}
		cells := strings.Fields(r[2])
		if len(cells) != n {
			t.Errorf("row %d has %d entries, want %d", i, len(cells), n)
			continue
		}
		for j, c := range cells {
			v, err := strconv.Atoi(c)
			switch {
			case i == j && c != "-":
				t.Errorf("row %d column %d: %q on the diagonal", i, j, c)
			case i != j && (err != nil || v <= 0):
				t.Errorf("core %d -> core %d did not answer (%q)", i, j, c)
			}
		}
	}
}

// TestURPCBench runs the guest latency benchmark on 4 cores in 2 nodes:
// core 0 reports the one-way latency to a core of its node and to one of
// the other node, with the receiver polling and blocked.
func TestURPCBench(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff urpc-bench"}, 3*time.Minute)
	line := regexp.MustCompile(`urpc-bench: core 0 -> core (\d+) \(node (\d) -> (\d)\), median of \d+: one-way polling (\d+) cycles \([0-9.]+ us\), blocked (\d+) cycles`)
	got := line.FindAllStringSubmatch(out, -1)
	if len(got) != 2 {
		t.Fatalf("%d benchmark lines, want 2 (same node and other node)", len(got))
	}
	if got[0][2] != got[0][3] || got[1][2] == got[1][3] {
		t.Errorf("peers: %q and %q, want one on node 0 and one on node 1", got[0][0], got[1][0])
	}
	for _, g := range got {
		polled, _ := strconv.Atoi(g[4])
		blocked, _ := strconv.Atoi(g[5])
		if polled <= 0 || blocked <= 0 {
			t.Errorf("latencies must be positive: %q", g[0])
		}
	}
	wantExit(t, code, exitSuccess)
}
