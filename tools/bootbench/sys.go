package main

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"multikernel/tools/qemu/qemuargs"

	"multikernel/tools/internal/vmbench"
)

// The -sys mode (issue 4's performance goal): one static Go benchmark,
// apps/sysbench, runs as a program on the multikernel's core 0 and as
// /init of Linux, in the same QEMU with the same flags; the figures it
// prints, and the start of the program measured on the console, are
// compared.

// sysHeading is the heading of the -sys mode's section of BENCHMARKS.md.
const sysHeading = "## System calls and faults against Linux 6.1"

// sysAppend is Linux's command line in -sys mode: without quiet, so that
// the kernel prints "Run /init as init process" (KERN_INFO) just before it
// starts the benchmark.
const sysAppend = "console=ttyS0 panic=-1"

// sysDefaults are the flags -sys changes unless they are given: one core
// on one node, so that the benchmark's two futex threads share a core on
// both systems as they must on the multikernel (a process stays on its
// core), and fewer, longer runs.
var sysDefaults = map[string]string{
	"runs": "3", "smp": "1", "nodes": "1", "mem": "1024", "append": sysAppend, "timeout": "300s",
	"prog": "build/apps/sysbench",
}

// Console lines of a -sys boot.
var (
	// linuxInitMarker is Linux's last line before it executes /init, as
	// readyMarker is the multikernel's before it starts the programs (once
	// the cores, the monitors' mesh and the SKB are up).
	linuxInitMarker = regexp.MustCompile(`Run /init as init process`)
	readyMarker     = regexp.MustCompile(`^multikernel: ready in \d+ ms`)
	progStart       = regexp.MustCompile(`sysbench: start$`)
	progDone        = regexp.MustCompile(`sysbench: done(?: in ([0-9]+(?:\.[0-9]+)?) ms)?$`)
	progInfo        = regexp.MustCompile(`sysbench: (gomaxprocs .*)$`)
	progResult      = regexp.MustCompile(`sysbench: ([a-z][a-z0-9-]*) ([0-9]+(?:\.[0-9]+)?) ns/op(?: \((.*)\))?`)
	unimplemented   = regexp.MustCompile(`unimplemented system call (\d+)`)
)

// measure is one row of the comparison.
type measure struct {
	key   string // the name apps/sysbench prints, or start and boot (read off the console)
	label string // what one operation is
	goal  bool   // a row with the goal (at most Linux's cost)
}

// sysMeasures are the rows, in order: the ones apps/sysbench prints (its
// package doc says exactly what each times), then the two read off the
// console ("start" and "boot").
var sysMeasures = []measure{
	{"getpid-fastpath", "getpid; the multikernel answers it in its SYSCALL entry code (a constant of the thread), Linux through its general path; per call", false},
	{"read-ebadf", "read(999, buf, 1) of a descriptor that is not open (EBADF), through the general system-call path; per call", true},
	{"fcntl-getfd", "fcntl(1, F_GETFD); per call", true},
	{"sched-yield", "sched_yield with no other thread ready; per call", true},
	{"clock-gettime-syscall", "clock_gettime(CLOCK_MONOTONIC) as a SYSCALL instruction (never the vDSO); per call", true},
	{"time-now", "time.Now() as Go pays it (the vDSO where the kernel maps one, else the system call); per call", true},
	{"mmap-munmap-page", "mmap of one anonymous private 4 KiB page, untouched, and its munmap; per pair", true},
	{"pagefault", "demand-zero page fault (fresh 64 MiB mapping, written one byte per page); per 4 KiB page", true},
	{"pipe-roundtrip", "one byte through a pipe to another thread and back through a second pipe; per round trip", true},
	{"futex-roundtrip", "FUTEX_WAKE of another thread that wakes this one back (FUTEX_WAIT, private); per round trip", true},
	{"start", "Go program start to its first line (kernel's last line to the program's first)", true},
	{"boot", "context: QEMU start to the program's first line", false},
}

// sysRun is what one -sys boot showed on the console.
type sysRun struct {
	kernel, first time.Duration      // QEMU start to the kernel's marker line, and to the program's first line
	done          time.Duration      // QEMU start to the program's last line
	guest         time.Duration      // the program's first line to its last by its own clock; 0 if it did not say
	clock         float64            // guest over the host's time between the two lines (finish); 0 if unknown
	ns            map[string]float64 // nanoseconds by measure key
	info          string             // the program's "gomaxprocs ..." line
	details       []string           // "getpid: 50000 ops, median of 3", ...
	missing       []int              // system calls the multikernel reported unimplemented
	exit          string             // how QEMU ended
}

// parseResult parses a result line of apps/sysbench (after any console
// prefix): "sysbench: NAME NS ns/op (DETAIL)", the detail (how many
// operations, how many repetitions) optional.
func parseResult(line string) (key string, ns float64, detail string, ok bool) {
	m := progResult.FindStringSubmatch(line)
	if m == nil {
		return "", 0, "", false
	}
	v, err := strconv.ParseFloat(m[2], 64)
	if err != nil {
		return "", 0, "", false
	}
	return m[1], v, m[3], true
}

// see takes one console line of a boot, seen at time at, and reports
// whether the benchmark has ended ("sysbench: done"). kernel matches the
// kernel's line just before the program starts.
func (r *sysRun) see(kernel *regexp.Regexp, line string, at time.Duration) bool {
	if r.ns == nil {
		r.ns = map[string]float64{}
	}
	switch {
	case r.kernel == 0 && kernel.MatchString(line):
		r.kernel = at
	case r.first == 0 && progStart.MatchString(line):
		r.first = at
	}
	if m := progDone.FindStringSubmatch(line); m != nil {
		r.done = at
		if ms, err := strconv.ParseFloat(m[1], 64); err == nil {
			r.guest = time.Duration(ms * 1e6)
		}
		return true
	}
	if m := progInfo.FindStringSubmatch(line); m != nil {
		r.info = m[1]
	}
	if k, v, d, ok := parseResult(line); ok {
		r.ns[k] = v
		if d != "" {
			r.details = append(r.details, k+": "+d)
		}
	}
	if m := unimplemented.FindStringSubmatch(line); m != nil {
		n, _ := strconv.Atoi(m[1])
		if !slices.Contains(r.missing, n) {
			r.missing = append(r.missing, n)
		}
	}
	return false
}

// finish checks that the run showed every line the comparison needs, in
// order, and derives the two console measures and the clock check.
func (r *sysRun) finish() error {
	switch {
	case r.kernel == 0:
		return fmt.Errorf("no kernel line before the program's start")
	case r.first == 0:
		return fmt.Errorf("no line %q", "sysbench: start")
	case r.first < r.kernel:
		return fmt.Errorf("the program's first line came before the kernel's line")
	}
	r.ns["start"] = float64(r.first - r.kernel)
	r.ns["boot"] = float64(r.first)
	if r.guest > 0 && r.done > r.first {
		r.clock = float64(r.guest) / float64(r.done-r.first)
	}
	for _, m := range sysMeasures {
		if _, ok := r.ns[m.key]; !ok {
			return fmt.Errorf("no figure for %s", m.key)
		}
	}
	return nil
}

// sysSide is one system with its -sys runs.
type sysSide struct {
	*side
	runs    []sysRun
	refused int // runs refused by the clock check
}

// stats returns the summary of measure key over the side's runs.
func (s *sysSide) stats(key string) stats {
	var ds []time.Duration
	for _, r := range s.runs {
		ds = append(ds, time.Duration(math.Round(r.ns[key])))
	}
	return summarize(ds)
}

// clockRange returns the smallest and largest clock ratio of the runs.
func (s *sysSide) clockRange() (lo, hi float64) {
	for i, r := range s.runs {
		if i == 0 || r.clock < lo {
			lo = r.clock
		}
		if i == 0 || r.clock > hi {
			hi = r.clock
		}
	}
	return lo, hi
}

// missing returns the unimplemented system calls any run reported.
func (s *sysSide) missing() []int {
	var all []int
	for _, r := range s.runs {
		for _, n := range r.missing {
			if !slices.Contains(all, n) {
				all = append(all, n)
			}
		}
	}
	slices.Sort(all)
	return all
}

// linuxSide returns the side that boots Linux with c.prog as /init, in
// the machine base describes (marker: the console line a -sys run times
// from; nil for none), and the kernel image; nil with -linux=false.
func linuxSide(c config, base qemuargs.Config, marker *regexp.Regexp) (*side, string, error) {
	if !c.linux {
		return nil, "", nil
	}
	kernel, initrd, err := vmbench.LinuxInit(c.cache, c.vmlinuz, c.prog)
	if err != nil {
		return nil, "", err
	}
	s := &side{name: "Linux " + vmbench.KernelVersion(kernel), marker: marker, cfg: base}
	s.cfg.Loader, s.cfg.Modules, s.cfg.Cmdline = kernel, []string{initrd}, c.append
	return s, kernel, nil
}

// runSys is run for -sys.
func runSys(ctx context.Context, c config) error {
	qemu, err := setup(c, c.loader, c.driver, c.monitor, c.prog)
	if err != nil {
		return err
	}
	base := qemuargs.Config{QEMU: qemu, SMP: c.smp, Nodes: c.nodes, MemMiB: c.mem, CPU: c.cpu}
	ours := &sysSide{side: &side{name: "multikernel", marker: readyMarker, cfg: base}}
	ours.cfg.Loader, ours.cfg.Modules, ours.cfg.Cmdline = c.loader, []string{c.driver, c.monitor, c.prog}, "poweroff"
	sides := []*sysSide{ours}
	lx, kernel, err := linuxSide(c, base, linuxInitMarker)
	if err != nil {
		return err
	}
	if lx != nil {
		sides = append(sides, &sysSide{side: lx})
	}
	var plain []*side
	for _, s := range sides {
		plain = append(plain, s.side)
	}
	date, host, err := preamble(c, qemu, plain)
	if err != nil {
		return err
	}
	before := vmbench.HostLoad()
	for i := 1; i <= c.runs; i++ {
		for _, s := range sides {
			r, err := sysBoot(ctx, c, qemu, s)
			if err != nil {
				return fmt.Errorf("%s, run %d: %w", s.name, i, err)
			}
			s.runs = append(s.runs, r)
			fmt.Printf("run %d/%d  %-22s", i, c.runs, s.name)
			for _, m := range sysMeasures {
				fmt.Printf("  %s %s", m.key, duration(time.Duration(math.Round(r.ns[m.key]))))
			}
			fmt.Printf("  (clock %.3f; QEMU: %s)\n", r.clock, r.exit)
		}
	}
	c.load = vmbench.LoadText(before, vmbench.HostLoad())
	section := sysMarkdown(c, date, host, kernel, sides)
	fmt.Printf("\n%s", section)
	if !c.record {
		return nil
	}
	return vmbench.RecordSection(sysHeading, section)
}

// Clock check: the program reports how long it ran by its own clock, the
// host times the same span on the console. A kernel that calibrated its
// clock wrongly (under a busy host the TSC calibration can be far off)
// reports every figure wrongly by the same factor: such a run is refused
// and repeated.
const (
	clockTolerance = 0.05 // the guest's clock may run 5% fast or slow
	clockRetries   = 3    // refused runs per run before giving up
)

// sysBoot boots side s once and returns the run, repeating a run whose
// clock check fails (up to clockRetries times).
func sysBoot(ctx context.Context, c config, qemu string, s *sysSide) (sysRun, error) {
	for try := 0; ; try++ {
		var r sysRun
		exit, err := vmbench.WatchConsole(ctx, qemu, s.args, c.timeout, `the line "sysbench: done"`, func(line string, at time.Duration) bool {
			return r.see(s.marker, line, at)
		})
		if err == nil {
			err = r.finish()
		}
		if err != nil {
			return sysRun{}, err
		}
		r.exit = exit
		if err := clockCheck(r.clock); err == nil {
			return r, nil
		} else if try == clockRetries {
			return sysRun{}, fmt.Errorf("%v, in %d runs in a row", err, try+1)
		} else {
			logf("%s: run refused: %v; running it again", s.name, err)
			s.refused++
		}
	}
}

// clockCheck says why a run's clock ratio (sysRun.clock) is not good
// enough to trust its figures, or nil.
func clockCheck(clock float64) error {
	switch {
	case clock == 0:
		return fmt.Errorf("the program did not say how long it ran by its own clock")
	case math.Abs(clock-1) > clockTolerance:
		return fmt.Errorf("the guest's clock ran at %.3f times the host's (more than %.0f%% off)", clock, clockTolerance*100)
	}
	return nil
}

// duration formats d with a unit that suits it: ns below 10 us, us below
// 1 ms, ms below 1 s, then seconds.
func duration(d time.Duration) string {
	switch {
	case d < 10*time.Microsecond:
		return fmt.Sprintf("%d ns", d.Nanoseconds())
	case d < time.Millisecond:
		return fmt.Sprintf("%.1f us", float64(d)/1e3)
	case d < time.Second:
		return fmt.Sprintf("%.2f ms", float64(d)/1e6)
	}
	return seconds(d)
}

// cell formats a summary as "median (min-max)", or the median alone for a
// single run.
func cell(st stats) string {
	if st.N == 1 {
		return duration(st.Median)
	}
	return fmt.Sprintf("%s (%s-%s)", duration(st.Median), duration(st.Min), duration(st.Max))
}

// verdict says whether a ratio meets the goal of at most Linux's cost.
func verdict(r float64) string {
	if r <= 1 {
		return "met"
	}
	return "not met"
}

// sysMarkdown returns the BENCHMARKS.md section for a -sys run.
func sysMarkdown(c config, date, host, kernel string, sides []*sysSide) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", sysHeading)
	fmt.Fprintf(&b, "One static Go binary, `apps/sysbench` (built by `make all`), runs unmodified as a program on core 0\n"+
		"of the multikernel (command line `poweroff`) and as /init of an initramfs under Linux (`-append \"%s\"`),\n"+
		"in the same QEMU with the same machine flags from package qemuargs (q35, -cpu %s,\n"+
		"%d core(s), %d node(s), %d MiB); runs alternate between the two systems. Both sides time the same\n"+
		"code between the same events: each figure the program prints is the median of its repetitions,\n"+
		"each repetition a loop timed with time.Now around it, divided by the operations in it (the\n"+
		"program's package doc says exactly what each name does; every system call is a raw SYSCALL,\n"+
		"the two-thread round trips share the one core on both systems, so each wake-up includes a\n"+
		"thread switch). Program start is read off the console on the host: from the kernel's last line\n"+
		"before the program starts (`multikernel: ready`, printed once the cores, the monitors and the\n"+
		"SKB are up, after which the bootstrap core starts its programs; Linux's `Run /init as init\n"+
		"process`, printed just before it executes /init) to the program's first line (`sysbench: start`,\n"+
		"first thing in main): loading the binary and the Go runtime's start-up, not the kernel's boot\n"+
		"(Linux runs without `quiet` to print its line). The program also says how long it ran by its\n"+
		"own clock, and a run whose clock is more than 5%% off the host's over the same span is refused\n"+
		"and repeated: under a busy host a guest can calibrate its TSC wrongly, and then every figure it\n"+
		"prints is off by the same factor. Each cell is the median over the runs (minimum-maximum); the\n"+
		"ratio is of the medians.\n\n",
		c.append, c.cpu, c.smp, c.nodes, c.mem)
	fmt.Fprintf(&b, "* Date: %s\n* Machine: %s\n* Command: `%s`\n", date, host, c.command)
	if c.load != "" {
		fmt.Fprintf(&b, "* Host load (`uptime` before the first run and after the last): %s\n", c.load)
	}
	if kernel != "" {
		fmt.Fprintf(&b, "* Linux: Debian's `%s` (package named by `apt-cache depends %s`)\n", filepath.Base(kernel), vmbench.MetaPackage)
	}
	if len(sides[0].runs) > 0 {
		fmt.Fprintf(&b, "* The program's operations per repetition: %s\n", opsText(sides[0].runs[0].details))
	}
	for _, s := range sides {
		if len(s.runs) > 0 {
			fmt.Fprintf(&b, "* %s: the program reports `%s`", s.name, s.runs[0].info)
			if m := s.missing(); len(m) > 0 {
				fmt.Fprintf(&b, "; system calls the multikernel logged as unimplemented (ENOSYS): %v", m)
			}
			lo, hi := s.clockRange()
			fmt.Fprintf(&b, "; its clock over the host's across its run: %.3f-%.3f", lo, hi)
			if s.refused > 0 {
				fmt.Fprintf(&b, " (%d run(s) refused and repeated for a clock more than %.0f%% off)", s.refused, clockTolerance*100)
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\n| measure | one operation |")
	for _, s := range sides {
		fmt.Fprintf(&b, " %s |", s.name)
	}
	if len(sides) == 2 {
		b.WriteString(" multikernel / Linux | goal: at most 1 |")
	}
	b.WriteString("\n|---|---|" + strings.Repeat("---:|", len(sides)))
	if len(sides) == 2 {
		b.WriteString("---:|---|")
	}
	b.WriteString("\n")
	for _, m := range sysMeasures {
		fmt.Fprintf(&b, "| `%s` | %s |", m.key, m.label)
		for _, s := range sides {
			fmt.Fprintf(&b, " %s |", cell(s.stats(m.key)))
		}
		if len(sides) == 2 {
			r := sysRatio(sides, m.key)
			v := "(no goal)"
			if m.goal {
				v = verdict(r)
			}
			fmt.Fprintf(&b, " %.2f | %s |", r, v)
		}
		b.WriteString("\n")
	}
	if len(sides) == 2 {
		var met, missed []string
		for _, m := range sysMeasures {
			if !m.goal {
				continue
			}
			if r := sysRatio(sides, m.key); verdict(r) == "met" {
				met = append(met, m.key)
			} else {
				missed = append(missed, fmt.Sprintf("%s (%.2fx)", m.key, r))
			}
		}
		fmt.Fprintf(&b, "\nGoal, each at most Linux's cost: met for %d of %d", len(met), len(met)+len(missed))
		if len(met) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.Join(met, ", "))
		}
		if len(missed) > 0 {
			fmt.Fprintf(&b, "; not met for %s", strings.Join(missed, ", "))
		}
		b.WriteString(".\n")
	}
	return b.String()
}

// detailLine is one detail of a result line: "NAME: N ops, median of R".
var detailLine = regexp.MustCompile(`^(\S+): (\d+) ops, median of (\d+)$`)

// opsText condenses the details of a run's result lines, which give each
// measure's operations and repetitions: "getpid-fastpath 50000, pagefault
// 16384 (each the median of 3 repetitions)", or the details as they are
// when they do not all have that form with one repetition count.
func opsText(details []string) string {
	var each []string
	reps := ""
	for _, d := range details {
		m := detailLine.FindStringSubmatch(d)
		if m == nil || reps != "" && m[3] != reps {
			return strings.Join(details, "; ")
		}
		reps = m[3]
		each = append(each, m[1]+" "+m[2])
	}
	if reps == "" {
		return "not reported"
	}
	return fmt.Sprintf("%s (each figure the median of %s repetitions)", strings.Join(each, ", "), reps)
}

// sysRatio returns the multikernel's median of measure key over Linux's.
func sysRatio(sides []*sysSide, key string) float64 {
	return float64(sides[0].stats(key).Median) / float64(sides[1].stats(key).Median)
}
