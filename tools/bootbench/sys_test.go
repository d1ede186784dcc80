package main

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"multikernel/tools/internal/vmbench"
)

func TestParseResult(t *testing.T) {
	for _, tc := range []struct {
		line, key, detail string
		ns                float64
		ok                bool
	}{
		{"sysbench: getpid-fastpath 610.2 ns/op (50000 ops, median of 3)", "getpid-fastpath", "50000 ops, median of 3", 610.2, true},
		{"[core 0 sysbench] sysbench: pagefault 34412.0 ns/op (16384 ops, median of 3)\r", "pagefault", "16384 ops, median of 3", 34412, true},
		{"sysbench: futex-roundtrip 10900 ns/op", "futex-roundtrip", "", 10900, true},
		{"sysbench: clock-gettime-syscall 1.5 ns/op", "clock-gettime-syscall", "", 1.5, true},
		{"sysbench: -bad 1 ns/op", "", "", 0, false},
		{"sysbench: start", "", "", 0, false},
		{"sysbench: gomaxprocs 1 numcpu 1 pid 2", "", "", 0, false},
		{"sysbench: getpid-fastpath x ns/op", "", "", 0, false},
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

// programLines returns the result lines apps/sysbench prints for every
// measure it prints, prefixed as a console shows them; measure i takes
// base+i ns.
func programLines(prefix string, base float64) (lines []string, want map[string]float64) {
	want = map[string]float64{}
	for i, m := range sysMeasures {
		if m.key == "start" || m.key == "boot" {
			continue
		}
		want[m.key] = base + float64(i)
		lines = append(lines, fmt.Sprintf("%ssysbench: %s %.1f ns/op (5000 ops, median of 3)", prefix, m.key, want[m.key]))
	}
	return lines, want
}

func TestSysRunOurs(t *testing.T) {
	var r sysRun
	results, want := programLines("[core 0 sysbench] ", 22704.5)
	lines := []string{
		"core 0 apic 0 node 0 up",
		"[core 0 monitor] monitor 0 up",
		"multikernel: 1 cores up on 1 NUMA nodes, 1 monitors (85 ms)",
		"multikernel: ready in 120 ms",
		"[core 0 sysbench] sysbench: start",
		"[core 0 sysbench] sysbench: gomaxprocs 1 numcpu 1 pid 2",
		"[core 0 sysbench] unimplemented system call 234 (ENOSYS)",
	}
	lines = append(lines, results[:3]...)
	lines = append(lines, "[core 0 sysbench] unimplemented system call 234 (ENOSYS)")
	lines = append(lines, results[3:]...)
	// The start line is the 5th (5 ms), the done line 1 ms after the last
	// result: its 15.5 ms by the program's clock are a clock ratio of 1.
	lines = append(lines, "[core 0 sysbench] sysbench: done in 15.500 ms", "[core 0 sysbench] exited status 0")
	wantClock := 15.5 / float64(len(lines)-1-5)
	if end := console(&r, lines...); end != len(lines)-2 {
		t.Fatalf("ended at line %d, want %d", end, len(lines)-2)
	}
	if err := r.finish(); err != nil {
		t.Fatal(err)
	}
	want["start"], want["boot"] = 1e6, 5e6
	if math.Abs(r.clock-wantClock) > 1e-9 {
		t.Errorf("clock %v, want %v", r.clock, wantClock)
	}
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
	if len(r.details) != len(results) || r.details[0] != "getpid-fastpath: 5000 ops, median of 3" {
		t.Errorf("details %q", r.details)
	}
}

func TestSysRunLinux(t *testing.T) {
	var r sysRun
	results, _ := programLines("", 610.2)
	lines := append([]string{
		"[    1.2] Freeing unused kernel image (initmem) memory: 2920K",
		"[    1.3] Run /init as init process",
		"sysbench: start",
	}, results...)
	lines = append(lines, "sysbench: done")
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
	if r.clock != 0 || clockCheck(r.clock) == nil {
		t.Errorf("a done line without the program's time: clock %v passes the check", r.clock)
	}
}

func TestOpsText(t *testing.T) {
	if got, want := opsText([]string{"a: 5 ops, median of 3", "b-c: 7 ops, median of 3"}), "a 5, b-c 7 (each figure the median of 3 repetitions)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := opsText([]string{"a: 5 ops, median of 3", "b: 7 ops, median of 5"}), "a: 5 ops, median of 3; b: 7 ops, median of 5"; got != want {
		t.Errorf("mixed repetitions: got %q, want %q", got, want)
	}
	if got := opsText(nil); got != "not reported" {
		t.Errorf("none: %q", got)
	}
}

func TestClockCheck(t *testing.T) {
	for clock, ok := range map[float64]bool{1: true, 0.96: true, 1.049: true, 1.06: false, 0.9: false, 7.9: false, 0: false} {
		if err := clockCheck(clock); (err == nil) != ok {
			t.Errorf("clockCheck(%v) = %v", clock, err)
		}
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
		{[]string{"multikernel: ready in 9 ms", "sysbench: start", "sysbench: getpid-fastpath 1 ns/op", "sysbench: done"}, "no figure for read-ebadf"},
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
		r := sysRun{ns: map[string]float64{}, info: "gomaxprocs 1 numcpu 1 pid 2", details: []string{"getpid-fastpath: 3 ops, median of 1"}, clock: scale / 100}
		for _, m := range sysMeasures {
			r.ns[m.key] = 1000 * scale
		}
		return r
	}
	ours := &sysSide{side: &side{name: "multikernel"}, runs: []sysRun{run(99), run(101), run(100)}, refused: 1}
	for i := range ours.runs {
		for k := range ours.runs[i].ns {
			ours.runs[i].ns[k] = float64([]int{1000, 3000, 2000}[i])
		}
	}
	ours.runs[0].missing = []int{234}
	lx := &sysSide{side: &side{name: "Linux 6.1"}, runs: []sysRun{run(4), run(4), run(5)}}
	ours.runs[2].ns["read-ebadf"] = 9000 // the median moves to 3000 ns: ratio 0.75
	c := config{append: sysAppend, cpu: "Opteron_G3", smp: 1, nodes: 1, mem: 1024, command: "go run ./tools/bootbench -sys",
		load: vmbench.LoadText("1.00, 2.00, 3.00", "1.50, 2.00, 3.00")}
	md := sysMarkdown(c, "today", "host", "build/linux/vmlinuz-6.1.0-56-amd64", []*sysSide{ours, lx})
	var keys []string
	for _, m := range sysMeasures {
		if m.goal {
			keys = append(keys, m.key)
		}
	}
	for _, want := range []string{
		sysHeading + "\n",
		"| measure | one operation | multikernel | Linux 6.1 | multikernel / Linux | goal: at most 1 |\n|---|---|---:|---:|---:|---|\n",
		"| `read-ebadf` | read(999, buf, 1) of a descriptor that is not open (EBADF), through the general system-call path; per call | 3000 ns (1000 ns-9000 ns) | 4000 ns (4000 ns-5000 ns) | 0.75 | met |\n",
		"| `futex-roundtrip` | FUTEX_WAKE of another thread that wakes this one back (FUTEX_WAIT, private); per round trip | 2000 ns (1000 ns-3000 ns) | 4000 ns (4000 ns-5000 ns) | 0.50 | met |\n",
		"| `getpid-fastpath` | getpid; the multikernel answers it in its SYSCALL entry code",
		"| 0.50 | (no goal) |\n",
		"* Command: `go run ./tools/bootbench -sys`\n",
		"* Host load (`uptime` before the first run and after the last): load average 1.00, 2.00, 3.00 before, 1.50, 2.00, 3.00 after",
		"* Linux: Debian's `vmlinuz-6.1.0-56-amd64`",
		"* The program's operations per repetition: getpid-fastpath 3 (each figure the median of 1 repetitions)\n",
		"* multikernel: the program reports `gomaxprocs 1 numcpu 1 pid 2`; system calls the multikernel logged as unimplemented (ENOSYS): [234]; its clock over the host's across its run: 0.990-1.010 (1 run(s) refused and repeated for a clock more than 5% off)\n",
		"; its clock over the host's across its run: 0.040-0.050\n",
		fmt.Sprintf("\nGoal, each at most Linux's cost: met for %d of %d (%s).\n", len(keys), len(keys), strings.Join(keys, ", ")),
	} {
		if !strings.Contains(md, want) {
			t.Errorf("section lacks %q:\n%s", want, md)
		}
	}
	if r := sysRatio([]*sysSide{ours, lx}, "pagefault"); r != 0.5 {
		t.Errorf("ratio %v, want 0.5", r)
	}
	lx.runs[0].ns["read-ebadf"] = 1000
	lx.runs[1].ns["read-ebadf"] = 1000 // Linux's median 1000 ns: ours 3x
	md = sysMarkdown(config{}, "", "", "", []*sysSide{ours, lx})
	if !strings.Contains(md, "| 3.00 | not met |") ||
		!strings.Contains(md, fmt.Sprintf("met for %d of %d (", len(keys)-1, len(keys))) ||
		!strings.Contains(md, "; not met for read-ebadf (3.00x).") {
		t.Errorf("a miss is not reported:\n%s", md)
	}
	if strings.Contains(md, "Host load") {
		t.Errorf("a load line without a measured load:\n%s", md)
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
