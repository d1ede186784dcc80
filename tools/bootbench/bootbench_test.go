package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"multikernel/tools/internal/vmbench"
)

func TestSummarize(t *testing.T) {
	s := func(ms ...int) []time.Duration {
		var d []time.Duration
		for _, m := range ms {
			d = append(d, time.Duration(m)*time.Millisecond)
		}
		return d
	}
	for _, tc := range []struct {
		in               []time.Duration
		median, min, max time.Duration
	}{
		{s(5), 5 * time.Millisecond, 5 * time.Millisecond, 5 * time.Millisecond},
		{s(9, 1, 5), 5 * time.Millisecond, time.Millisecond, 9 * time.Millisecond},
		{s(4, 1, 2, 10), 3 * time.Millisecond, time.Millisecond, 10 * time.Millisecond},
		{nil, 0, 0, 0},
	} {
		in := append([]time.Duration(nil), tc.in...)
		got := summarize(tc.in)
		if got.N != len(tc.in) || got.Median != tc.median || got.Min != tc.min || got.Max != tc.max {
			t.Errorf("summarize(%v) = %+v, want median %v min %v max %v", tc.in, got, tc.median, tc.min, tc.max)
		}
		for i := range in {
			if in[i] != tc.in[i] {
				t.Errorf("summarize reordered its argument")
			}
		}
	}
}

func TestCoresUpLine(t *testing.T) {
	m := coresUpLine.FindStringSubmatch("multikernel: 16 cores up on 4 NUMA nodes, 15 monitors (185 ms)\r")
	if m == nil || m[1] != "16" || m[2] != "15" {
		t.Errorf("cores up: %q", m)
	}
	if coresUpLine.MatchString("core 3 apic 3 node 0 up") {
		t.Error("a per-core line matched")
	}
}

// bootConsole feeds lines to a bootRun 100 ms apart and returns the index
// of the line that ended it (-1 for none).
func bootConsole(r *bootRun, lines ...string) int {
	first := regexp.MustCompile("hello from ring 3$")
	for i, l := range lines {
		if r.see(first, strings.TrimRight(l, "\r"), time.Duration(i+1)*100*time.Millisecond) {
			return i
		}
	}
	return -1
}

func TestBootRunOurs(t *testing.T) {
	var r bootRun
	end := bootConsole(&r,
		"core 0 apic 0 node 0 up",
		"[core 1 monitor] monitor 1 up",
		"multikernel: 2 cores up on 1 NUMA nodes, 2 monitors (300 ms)",
		"[core 0 monitor] skb: up with 80 lines of machine facts (61 ms)",
		"multikernel: ready in 400 ms\r",
		"[core 0 hello] hello from ring 3\r",
		"[core 0 hello] goroutines sum 14",
	)
	if end != 5 {
		t.Fatalf("ended at line %d, want 5", end)
	}
	if r.coresUp != 300*time.Millisecond || r.ready != 500*time.Millisecond || r.first != 600*time.Millisecond {
		t.Errorf("cores up %v, ready %v, first %v", r.coresUp, r.ready, r.first)
	}
	if err := r.check(2); err != nil {
		t.Error(err)
	}
	if err := r.check(16); err == nil || !strings.Contains(err.Error(), "want 16") {
		t.Errorf("16 cores: %v", err)
	}
	var lx bootRun
	if end := bootConsole(&lx, "[    0.000000] Linux version 6.1", "hello from ring 3"); end != 1 || lx.first != 200*time.Millisecond {
		t.Errorf("Linux: ended at %d, first %v", end, lx.first)
	}
	if err := lx.check(1); err == nil {
		t.Error("a run without the multikernel's lines passes its check")
	}
}

func TestBootMarkdown(t *testing.T) {
	run := func(first, up, ready time.Duration, load string) bootRun {
		return bootRun{first: first, coresUp: up, ready: ready, load: load}
	}
	ms := time.Millisecond
	ours := &bootSide{side: &side{name: "multikernel"}, runs: []bootRun{
		run(900*ms, 500*ms, 800*ms, "2.00, 1.00, 1.00"), run(1100*ms, 600*ms, 1000*ms, "3.50, 1.00, 1.00"), run(1000*ms, 550*ms, 900*ms, "1.00, 1.00, 1.00")}}
	lx := &bootSide{side: &side{name: "Linux 6.1"}, runs: []bootRun{run(11*time.Second, 0, 0, "2.00, 1.00, 1.00"), run(9*time.Second, 0, 0, "2.00, 1.00, 1.00"), run(10*time.Second, 0, 0, "2.00, 1.00, 1.00")}}
	c := config{prog: "build/apps/hello", first: "hello from ring 3$", append: "console=ttyS0 quiet panic=-1", cpu: "Opteron_G3",
		smp: 16, nodes: 4, mem: 4096, command: "go run ./tools/bootbench", load: vmbench.LoadText("1.00, 1.00, 1.00", "2.00, 1.00, 1.00")}
	md := bootMarkdown(c, "today", "host", "build/linux/vmlinuz-6.1.0-57-amd64", []*bootSide{ours, lx})
	for _, want := range []string{
		bootHeading + "\n",
		"| multikernel: `hello`'s first line | 3 | 1.000 s | 0.900 s | 1.100 s |\n",
		"| Linux 6.1: `hello`'s first line | 3 | 10.000 s | 9.000 s | 11.000 s |\n",
		"| multikernel: every CPU driver and monitor up (`multikernel: N cores up`) | 3 | 0.550 s | 0.500 s | 0.600 s |\n",
		"| multikernel: mesh connected, SKB up, programs start (`multikernel: ready`) | 3 | 0.900 s | 0.800 s | 1.000 s |\n",
		"Ratio of the medians to the first line, multikernel / Linux: **0.100** (goal: at most 0.10, met).\n",
		"* multikernel: 0.900 s (load 2.00), 1.100 s (load 3.50), 1.000 s (load 1.00)\n",
		"* Host load (`uptime` before the first run and after the last): load average 1.00, 1.00, 1.00 before",
		"* Linux: Debian's `vmlinuz-6.1.0-57-amd64`",
		"* Command: `go run ./tools/bootbench`\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("section lacks %q:\n%s", want, md)
		}
	}
	ours.runs[2].first = 1200 * ms
	if md := bootMarkdown(c, "", "", "", []*bootSide{ours, lx}); !strings.Contains(md, "**0.110** (goal: at most 0.10, not met)") {
		t.Errorf("a miss is not reported:\n%s", md)
	}
}
