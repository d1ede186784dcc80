//go:build integration

package test

import (
	"fmt"
	"math"
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
// core 0 reports the one-way latency to the nearest core (core 1, on its
// node) and to the last core of the other node (core 3), with the
// receiver polling and blocked. The set of figures must be complete and
// well formed (checkBench), and plausible (plausibleBench). A host busy
// with other work can deschedule a polling virtual CPU for longer than a
// wake-up takes, which no guest can help: a boot whose figures are well
// formed but implausible is logged and the benchmark run again, three
// boots at most.
func TestURPCBench(t *testing.T) {
	const boots = 3
	for i := 1; ; i++ {
		out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff urpc-bench"}, 3*time.Minute)
		wantExit(t, code, exitSuccess)
		figs, errs := checkBench(out)
		for _, e := range errs {
			t.Error(e)
		}
		if len(errs) > 0 {
			return
		}
		bad := plausibleBench(figs)
		if len(bad) == 0 {
			return
		}
		if i == boots {
			for _, e := range bad {
				t.Error(e)
			}
			t.Errorf("no plausible figures in %d boots", boots)
			return
		}
		t.Logf("boot %d: implausible figures (a busy host?), running the benchmark again:\n%s", i, strings.Join(bad, "\n"))
	}
}

// benchFigure is one line of the URPC benchmark: the one-way latencies
// to a peer, the receiver polling and blocked, in TSC cycles and
// microseconds, and the line.
type benchFigure struct {
	polled, blocked     int64
	polledUS, blockedUS float64
	line                string
}

// checkBench parses the benchmark's lines and checks that they are
// complete and well formed: exactly two, against core 1 (node 0) and core
// 3 (node 1), medians of 400 probes, cycles and microseconds agreeing
// with the TSC rate the CPU driver reported, the ratio the two latencies
// make, and every count positive except a blocked figure below zero
// (monitor/bench.go subtracts the polled one-way trip from a blocked
// round trip, which a busy host can make the shorter): that one
// plausibleBench reports.
func checkBench(out string) ([]benchFigure, []string) {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	m := regexp.MustCompile(`cpudriver: CPU .*, TSC (\d+) MHz`).FindStringSubmatch(out)
	if m == nil {
		return nil, []string{"no TSC rate on the console"}
	}
	mhz, _ := strconv.ParseFloat(m[1], 64)
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "urpc-bench:") {
			lines = append(lines, l)
		}
	}
	line := regexp.MustCompile(`^\[core 0 monitor\] urpc-bench: core 0 -> core (\d+) \(node (\d+) -> (\d+)\), median of (\d+): ` +
		`one-way polling (\d+) cycles \(([0-9.]+) us\), blocked (-?\d+) cycles \((-?[0-9.]+) us\), blocked/polling (-?[0-9.]+)x$`)
	want := []string{"1 0 0", "3 0 1"} // the peer, core 0's node and the peer's
	if len(lines) != len(want) {
		return nil, []string{fmt.Sprintf("%d benchmark lines, want %d (a peer on node 0 and one on node 1): %q", len(lines), len(want), lines)}
	}
	var figs []benchFigure
	for i, l := range lines {
		g := line.FindStringSubmatch(l)
		if g == nil {
			bad("malformed benchmark line %q", l)
			continue
		}
		if peer := g[1] + " " + g[2] + " " + g[3]; peer != want[i] {
			bad("line %d measures core %s (node %s -> %s), want core %s: %q", i, g[1], g[2], g[3], want[i][:1], l)
		}
		if g[4] != "400" {
			bad("median of %s probes, want 400: %q", g[4], l)
		}
		f := benchFigure{line: l}
		var err1, err2 error
		f.polled, err1 = strconv.ParseInt(g[5], 10, 64)
		f.blocked, err2 = strconv.ParseInt(g[7], 10, 64)
		if err1 != nil || err2 != nil || f.polled <= 0 || f.blocked == 0 {
			bad("a figure is not a positive count: %q", l)
			continue
		}
		f.polledUS, _ = strconv.ParseFloat(g[6], 64)
		f.blockedUS, _ = strconv.ParseFloat(g[8], 64)
		ratio, _ := strconv.ParseFloat(g[9], 64)
		for _, c := range []struct {
			name   string
			cycles int64
			us     float64
		}{{"polling", f.polled, f.polledUS}, {"blocked", f.blocked, f.blockedUS}} {
			exp := float64(c.cycles) / mhz // a blocked figure may be below zero
			if math.Abs(c.us-exp) > 0.05*math.Abs(exp)+0.01 {
				bad("%s: %d cycles at %.0f MHz are %.2f us, not %.2f: %q", c.name, c.cycles, mhz, exp, c.us, l)
			}
		}
		if exp := float64(f.blocked) / float64(f.polled); math.Abs(ratio-exp) > 0.05+0.001*math.Abs(exp) {
			bad("blocked/polling is %.1f, not %.1f: %q", exp, ratio, l)
		}
		figs = append(figs, f)
	}
	return figs, errs
}

// plausibleBench checks the figures against what emulation can give, even
// on a loaded host: a polled one-way trip takes at least 50 ns (a cache
// line between two cores) and at most a millisecond, and less than a
// blocked one, which needs an IPI and a wake-up and stays below 100 ms.
func plausibleBench(figs []benchFigure) []string {
	var bad []string
	for _, f := range figs {
		switch {
		case f.blocked < 0:
			bad = append(bad, fmt.Sprintf("the blocked figure is below zero (the blocked round trip was shorter than the polled one-way trip): %q", f.line))
		case f.polledUS < 0.05 || f.polledUS > 1000:
			bad = append(bad, fmt.Sprintf("polled one-way latency %.2f us is outside 0.05 us .. 1 ms: %q", f.polledUS, f.line))
		case f.blockedUS <= f.polledUS:
			bad = append(bad, fmt.Sprintf("blocked one-way latency %.2f us is not above the polled %.2f us: %q", f.blockedUS, f.polledUS, f.line))
		case f.blockedUS > 100_000:
			bad = append(bad, fmt.Sprintf("blocked one-way latency %.2f us is above 100 ms: %q", f.blockedUS, f.line))
		}
	}
	return bad
}
