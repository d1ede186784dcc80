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
}

// Console lines of a -sys boot.
var (
	// linuxInitMarker is Linux's last line before it executes /init, as
	// readyMarker is the multikernel's before it starts the programs (once
	// the cores, the monitors' mesh and the SKB are up).
	linuxInitMarker = regexp.MustCompile(`Run /init as init process`)
	readyMarker     = regexp.MustCompile(`^multikernel: ready in \d+ ms`)
	progStart       = regexp.MustCompile(`sysbench: start$`)
	progDone        = regexp.MustCompile(`sysbench: done$`)
	progInfo        = regexp.MustCompile(`sysbench: (gomaxprocs .*)$`)
	progResult      = regexp.MustCompile(`sysbench: ([a-z]+) ([0-9]+(?:\.[0-9]+)?) ns/op(?: \((.*)\))?`)
	unimplemented   = regexp.MustCompile(`unimplemented system call (\d+)`)
)

// measure is one row of the comparison.
type measure struct {
	key, label string
	goal       bool // a row with issue 4's goal (at most Linux's cost)
}

// sysMeasures are the rows, in order: the three the program prints, then
// the two read off the console ("start" and "boot").
var sysMeasures = []measure{
	{"getpid", "null system call (getpid), per call", true},
	{"pagefault", "demand-zero page fault (fresh 64 MiB mapping), per 4 KiB page", true},
	{"futexwake", "thread wake-up through futex, per wake-up", true},
	{"start", "Go program start to its first line (kernel's last line to the program's first)", true},
	{"boot", "context: QEMU start to the program's first line", false},
}

// sysRun is what one -sys boot showed on the console.
type sysRun struct {
	kernel, first time.Duration      // QEMU start to the kernel's marker line, and to the program's first line
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
	case progDone.MatchString(line):
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
// order, and derives the two console measures.
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
	runs []sysRun
}

// stats returns the summary of measure key over the side's runs.
func (s *sysSide) stats(key string) stats {
	var ds []time.Duration
	for _, r := range s.runs {
		ds = append(ds, time.Duration(math.Round(r.ns[key])))
	}
	return summarize(ds)
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
	var kernel string
	if c.linux {
		if kernel, err = linuxImage(c); err != nil {
			return err
		}
		initrd := filepath.Join(c.cache, filepath.Base(c.prog)+".cpio")
		if err := packInit(c.prog, initrd); err != nil {
			return err
		}
		lx := &sysSide{side: &side{name: "Linux " + kernelVersion(kernel), marker: linuxInitMarker, cfg: base}}
		lx.cfg.Loader, lx.cfg.Modules, lx.cfg.Cmdline = kernel, []string{initrd}, c.append
		sides = append(sides, lx)
	}
	var plain []*side
	for _, s := range sides {
		plain = append(plain, s.side)
	}
	date, host, err := preamble(c, qemu, plain)
	if err != nil {
		return err
	}
	for i := 1; i <= c.runs; i++ {
		for _, s := range sides {
			var r sysRun
			exit, err := watchConsole(ctx, qemu, s.args, c.timeout, `the line "sysbench: done"`, func(line string, at time.Duration) bool {
				return r.see(s.marker, line, at)
			})
			if err == nil {
				err = r.finish()
			}
			if err != nil {
				return fmt.Errorf("%s, run %d: %w", s.name, i, err)
			}
			r.exit = exit
			s.runs = append(s.runs, r)
			fmt.Printf("run %d/%d  %-22s", i, c.runs, s.name)
			for _, m := range sysMeasures {
				fmt.Printf("  %s %s", m.key, duration(time.Duration(math.Round(r.ns[m.key]))))
			}
			fmt.Printf("  (QEMU: %s)\n", exit)
		}
	}
	section := sysMarkdown(c, date, host, kernel, sides)
	fmt.Printf("\n%s", section)
	if !c.record {
		return nil
	}
	return recordSection(sysHeading, section)
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
	fmt.Fprintf(&b, "One static Go binary, `apps/sysbench` (built by `make all`), runs as a program on core 0 of the\n"+
		"multikernel (command line `poweroff`) and as /init of an initramfs under Linux (`-append \"%s\"`),\n"+
		"in the same QEMU with the same machine flags from package qemuargs (q35, -cpu %s,\n"+
		"%d core(s), %d node(s), %d MiB); runs alternate between the two systems. The program prints, each\n"+
		"the median of its repetitions timed with time.Now: getpid through syscall.RawSyscall in a loop; a\n"+
		"fresh 64 MiB anonymous private mapping (syscall.Mmap, MADV_NOHUGEPAGE so that Linux faults 4 KiB\n"+
		"pages) written one byte per page; two goroutines locked to two OS threads (GOMAXPROCS 2 for the\n"+
		"test) taking turns on one word with raw FUTEX_WAIT/FUTEX_WAKE (private). The multikernel runs a\n"+
		"process's threads on its own core, so both threads share one core there (and on Linux too when\n"+
		"the machine has one core), and a wake-up includes a thread switch. Program start is read off the\n"+
		"console on the host: from the kernel's last line before the program starts (`multikernel:\n"+
		"ready`, printed once the cores, the monitors and the SKB are up, after which the bootstrap core\n"+
		"starts its programs; Linux's `Run /init as init\n"+
		"process`, printed just before it executes /init) to the program's first line (`sysbench: start`,\n"+
		"first thing in main): loading the binary and the Go runtime's start-up, not the kernel's boot\n"+
		"(Linux runs without `quiet` to print its line). Each cell is the median over the runs\n"+
		"(minimum-maximum); the ratio is of the medians.\n\n",
		c.append, c.cpu, c.smp, c.nodes, c.mem)
	fmt.Fprintf(&b, "* Date: %s\n* Machine: %s\n* Command: `%s`\n", date, host, c.command)
	if kernel != "" {
		fmt.Fprintf(&b, "* Linux: Debian's `%s` (package named by `apt-cache depends %s`)\n", filepath.Base(kernel), metaPackage)
	}
	for _, s := range sides {
		if len(s.runs) > 0 {
			fmt.Fprintf(&b, "* %s: the program reports `%s`; %s", s.name, s.runs[0].info, strings.Join(s.runs[0].details, "; "))
			if m := s.missing(); len(m) > 0 {
				fmt.Fprintf(&b, "; system calls the multikernel logged as unimplemented (ENOSYS): %v", m)
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\n| measure |")
	for _, s := range sides {
		fmt.Fprintf(&b, " %s |", s.name)
	}
	if len(sides) == 2 {
		b.WriteString(" multikernel / Linux | goal: at most 1 |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---:|", len(sides)))
	if len(sides) == 2 {
		b.WriteString("---:|---|")
	}
	b.WriteString("\n")
	for _, m := range sysMeasures {
		fmt.Fprintf(&b, "| %s |", m.label)
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
			if verdict(sysRatio(sides, m.key)) == "met" {
				met = append(met, m.key)
			} else {
				missed = append(missed, m.key)
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

// sysRatio returns the multikernel's median of measure key over Linux's.
func sysRatio(sides []*sysSide, key string) float64 {
	return float64(sides[0].stats(key).Median) / float64(sides[1].stats(key).Median)
}
