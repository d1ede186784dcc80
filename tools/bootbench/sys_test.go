package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseResult(t *testing.T) {
	for _, tc := range []struct {
		line, key, detail string
		ns                float64
		ok                bool
	}{
		{"sysbench: getpid 610.2 ns/op (50000 ops, median of 3)", "getpid", "50000 ops, median of 3", 610.2, true},
		{"[core 0 sysbench] sysbench: pagefault 34412.0 ns/op (16384 ops, median of 3)\r", "pagefault", "16384 ops, median of 3", 34412, true},
		{"sysbench: futexwake 10900 ns/op", "futexwake", "", 10900, true},
		{"sysbench: start", "", "", 0, false},
		{"sysbench: gomaxprocs 1 numcpu 1 pid 2", "", "", 0, false},
		{"sysbench: getpid x ns/op", "", "", 0, false},
		{"getpid 12 ns/op", "", "", 0, false},
	} {
		key, ns, detail, ok := parseResult(strings.TrimRight(tc.line, "\r"))
		if key != tc.key || ns != tc.ns || detail != tc.detail || ok != tc.ok {
			t.Errorf("parseResult(%q) = %q, %v, %q, %v; want %q, %v, %q, %v", tc.line, key, ns, detail, ok, tc.key, tc.ns, tc.detail, tc.ok)
		}
	}
}

// console feeds lines to a sysRun as watchConsole would, one millisecond
// apart, and returns the index of the line that ended it (-1 for none).
func console(r *sysRun, lines ...string) int {
	for i, l := range lines {
		if r.see(readyMarker, l, time.Duration(i+1)*time.Millisecond) {
			return i
		}
	}
	return -1
}

func TestSysRunOurs(t *testing.T) {
	var r sysRun
	end := console(&r,
		"core 0 apic 0 node 0 up",
		"[core 0 monitor] monitor 0 up",
		"multikernel: 1 cores up on 1 NUMA nodes, 1 monitors (85 ms)",
		"multikernel: ready in 120 ms",
		"[core 0 sysbench] sysbench: start",
		"[core 0 sysbench] sysbench: gomaxprocs 1 numcpu 1 pid 2",
		"[core 0 sysbench] unimplemented system call 234 (ENOSYS)",
		"[core 0 sysbench] sysbench: getpid 22704.5 ns/op (50000 ops, median of 3)",
		"[core 0 sysbench] sysbench: pagefault 31578.7 ns/op (16384 ops, median of 3)",
		"[core 0 sysbench] unimplemented system call 234 (ENOSYS)",
		"[core 0 sysbench] sysbench: futexwake 91205.0 ns/op (10000 ops, median of 3)",
		"[core 0 sysbench] sysbench: done",
		"[core 0 sysbench] exited status 0",
	)
	if end != 11 {
		t.Fatalf("ended at line %d, want 11", end)
	}
	if err := r.finish(); err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"getpid": 22704.5, "pagefault": 31578.7, "futexwake": 91205, "start": 1e6, "boot": 5e6}
	for k, v := range want {
		if r.ns[k] != v {
			t.Errorf("%s = %v, want %v", k, r.ns[k], v)
		}
	}
	if r.info != "gomaxprocs 1 numcpu 1 pid 2" {
		t.Errorf("info %q", r.info)
	}
	if !slices.Equal(r.missing, []int{234}) {
		t.Errorf("missing %v, want [234]", r.missing)
	}
	if len(r.details) != 3 || r.details[0] != "getpid: 50000 ops, median of 3" {
		t.Errorf("details %q", r.details)
	}
}

func TestSysRunLinux(t *testing.T) {
	var r sysRun
	lines := []string{
		"[    1.2] Freeing unused kernel image (initmem) memory: 2920K",
		"[    1.3] Run /init as init process",
		"sysbench: start",
		"sysbench: getpid 610.2 ns/op (50000 ops, median of 3)",
		"sysbench: pagefault 14100.0 ns/op (16384 ops, median of 3)",
		"sysbench: futexwake 10900.0 ns/op (10000 ops, median of 3)",
		"sysbench: done",
	}
	for i, l := range lines {
		if r.see(linuxInitMarker, l, time.Duration(10*(i+1))*time.Millisecond) {
			break
		}
	}
	if err := r.finish(); err != nil {
		t.Fatal(err)
	}
	if r.ns["start"] != 10e6 || r.ns["boot"] != 30e6 {
		t.Errorf("start %v boot %v", r.ns["start"], r.ns["boot"])
	}
}

func TestSysRunIncomplete(t *testing.T) {
	for _, tc := range []struct {
		lines []string
		err   string
	}{
		{[]string{"sysbench: start", "sysbench: done"}, "no kernel line"},
		{[]string{"multikernel: ready in 9 ms", "sysbench: done"}, "no line"},
		{[]string{"sysbench: start", "multikernel: ready in 9 ms", "sysbench: done"}, "before the kernel's line"},
		{[]string{"multikernel: ready in 9 ms", "sysbench: start", "sysbench: getpid 1 ns/op", "sysbench: done"}, "no figure for pagefault"},
	} {
		var r sysRun
		console(&r, tc.lines...)
		if err := r.finish(); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%q: error %v, want one containing %q", tc.lines, err, tc.err)
		}
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		610 * time.Nanosecond:    "610 ns",
		9999 * time.Nanosecond:   "9999 ns",
		26600 * time.Nanosecond:  "26.6 us",
		47980 * time.Microsecond: "47.98 ms",
		8073 * time.Millisecond:  "8.073 s",
	} {
		if got := duration(d); got != want {
			t.Errorf("duration(%v) = %q, want %q", d, got, want)
		}
	}
	if got := cell(stats{N: 3, Median: 2 * time.Microsecond, Min: time.Microsecond, Max: 3 * time.Microsecond}); got != "2000 ns (1000 ns-3000 ns)" {
		t.Errorf("cell: %q", got)
	}
	if got := cell(stats{N: 1, Median: 5 * time.Millisecond}); got != "5.00 ms" {
		t.Errorf("cell: %q", got)
	}
}

func TestSysMarkdown(t *testing.T) {
	run := func(scale float64) sysRun {
		r := sysRun{ns: map[string]float64{}, info: "gomaxprocs 1 numcpu 1 pid 2", details: []string{"getpid: 3 ops, median of 1"}}
		for _, m := range sysMeasures {
			r.ns[m.key] = 1000 * scale
		}
		return r
	}
	ours := &sysSide{side: &side{name: "multikernel"}, runs: []sysRun{run(1), run(3), run(2)}}
	ours.runs[0].missing = []int{234}
	lx := &sysSide{side: &side{name: "Linux 6.1"}, runs: []sysRun{run(4), run(4), run(5)}}
	ours.runs[2].ns["getpid"] = 9000 // the median moves to 3000 ns: ratio 0.75
	md := sysMarkdown(config{append: sysAppend, cpu: "Opteron_G3", smp: 1, nodes: 1, mem: 1024, command: "go run ./tools/bootbench -sys"},
		"today", "host", "build/linux/vmlinuz-6.1.0-56-amd64", []*sysSide{ours, lx})
	for _, want := range []string{
		sysHeading + "\n",
		"| measure | multikernel | Linux 6.1 | multikernel / Linux | goal: at most 1 |\n|---|---:|---:|---:|---|\n",
		"| null system call (getpid), per call | 3000 ns (1000 ns-9000 ns) | 4000 ns (4000 ns-5000 ns) | 0.75 | met |\n",
		"| thread wake-up through futex, per wake-up | 2000 ns (1000 ns-3000 ns) | 4000 ns (4000 ns-5000 ns) | 0.50 | met |\n",
		"| 0.50 | (no goal) |\n",
		"* Command: `go run ./tools/bootbench -sys`\n",
		"* Linux: Debian's `vmlinuz-6.1.0-56-amd64`",
		"system calls the multikernel logged as unimplemented (ENOSYS): [234]\n",
		"\nGoal, each at most Linux's cost: met for 4 of 4 (getpid, pagefault, futexwake, start).\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("section lacks %q:\n%s", want, md)
		}
	}
	if r := sysRatio([]*sysSide{ours, lx}, "pagefault"); r != 0.5 {
		t.Errorf("ratio %v, want 0.5", r)
	}
	lx.runs[0].ns["getpid"] = 1000
	lx.runs[1].ns["getpid"] = 1000 // Linux's median 1000 ns: ours 3x
	if md := sysMarkdown(config{}, "", "", "", []*sysSide{ours, lx}); !strings.Contains(md, "| 3.00 | not met |") ||
		!strings.Contains(md, "met for 3 of 4 (pagefault, futexwake, start); not met for getpid.") {
		t.Errorf("a miss is not reported:\n%s", md)
	}
}

func TestLinuxInitMarker(t *testing.T) {
	if !linuxInitMarker.MatchString("[    1.234567] Run /init as init process\r") {
		t.Error("Linux's line")
	}
	if !progStart.MatchString("[core 0 sysbench] sysbench: start") || progStart.MatchString("sysbench: started") {
		t.Error("start line")
	}
}
