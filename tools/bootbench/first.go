package main

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"multikernel/tools/qemu/qemuargs"

	"multikernel/tools/internal/vmbench"
)

// The default mode: what a user waits for. Both systems boot the same
// static program (-prog, apps/hello), the multikernel as a program on
// core 0 with its monitors, mesh and SKB up (modules: CPU driver, monitor,
// program; command line "poweroff"), Linux as /init of an initramfs; each
// run is timed from just before QEMU starts to the program's first line
// (-first).

// bootHeading is the heading of the default mode's section of
// BENCHMARKS.md.
const bootHeading = "## Boot: QEMU start to a program's first line"

// bootGoal is the goal for the ratio of the medians, multikernel / Linux.
const bootGoal = 0.1

// bootDefaults are the flags the default mode sets unless they are given.
var bootDefaults = map[string]string{"prog": "build/apps/hello"}

// coresUpLine is the bootstrap core's line once every core runs its CPU
// driver and its monitor (readyMarker follows once the mesh is connected
// and the SKB is up, and programs start then).
var coresUpLine = regexp.MustCompile(`^multikernel: (\d+) cores up on \d+ NUMA nodes, (\d+) monitors`)

// bootRun is what one boot of the default mode showed on the console: the
// wall time from just before QEMU started to each line.
type bootRun struct {
	coresUp, ready  time.Duration // the multikernel's lines; 0 on Linux
	first           time.Duration // the program's first line
	cores, monitors int           // from the multikernel's cores-up line
	load            string        // the host's load averages before the run
	exit            string        // how QEMU ended
}

// see takes one console line seen at time at and reports whether it is
// the program's first line (first matches it).
func (r *bootRun) see(first *regexp.Regexp, line string, at time.Duration) bool {
	if m := coresUpLine.FindStringSubmatch(line); m != nil && r.coresUp == 0 {
		r.coresUp = at
		r.cores, _ = strconv.Atoi(m[1])
		r.monitors, _ = strconv.Atoi(m[2])
	}
	if r.ready == 0 && readyMarker.MatchString(line) {
		r.ready = at
	}
	if first.MatchString(line) {
		r.first = at
		return true
	}
	return false
}

// check reports what is wrong with a multikernel run of smp cores: every
// core and every monitor up, and the lines in order.
func (r *bootRun) check(smp int) error {
	switch {
	case r.coresUp == 0 || r.ready == 0:
		return fmt.Errorf("no %q or %q line before the program's first line", "multikernel: N cores up", "multikernel: ready")
	case r.cores != smp || r.monitors != smp:
		return fmt.Errorf("%d cores and %d monitors up, want %d of each", r.cores, r.monitors, smp)
	case !(r.coresUp <= r.ready && r.ready <= r.first):
		return fmt.Errorf("the lines came out of order: cores up at %v, ready at %v, first line at %v", r.coresUp, r.ready, r.first)
	}
	return nil
}

// bootSide is one system with its runs.
type bootSide struct {
	*side
	runs []bootRun
}

// stats returns the summary of one time of every run.
func (s *bootSide) stats(of func(bootRun) time.Duration) stats {
	var ds []time.Duration
	for _, r := range s.runs {
		ds = append(ds, of(r))
	}
	return summarize(ds)
}

// runBoot is run for the default mode.
func runBoot(ctx context.Context, c config) error {
	qemu, err := setup(c, c.loader, c.driver, c.monitor, c.prog)
	if err != nil {
		return err
	}
	first, err := regexp.Compile(c.first)
	if err != nil {
		return fmt.Errorf("-first: %v", err)
	}
	base := qemuargs.Config{QEMU: qemu, SMP: c.smp, Nodes: c.nodes, MemMiB: c.mem, CPU: c.cpu}
	ours := &bootSide{side: &side{name: "multikernel", cfg: base}}
	// QEMU passes a Multiboot kernel its own file name as the first word of
	// the command line, and the CPU driver skips that word.
	ours.cfg.Loader, ours.cfg.Modules, ours.cfg.Cmdline = c.loader, []string{c.driver, c.monitor, c.prog + " @0"}, "poweroff"
	sides := []*bootSide{ours}
	lx, kernel, err := linuxSide(c, base, nil)
	if err != nil {
		return err
	}
	if lx != nil {
		sides = append(sides, &bootSide{side: lx})
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
			r := bootRun{load: vmbench.HostLoad()}
			exit, err := vmbench.WatchConsole(ctx, qemu, s.args, c.timeout, fmt.Sprintf("a line matching %q", c.first), func(line string, at time.Duration) bool {
				return r.see(first, line, at)
			})
			if err == nil && s == ours {
				err = r.check(c.smp)
			}
			if err != nil {
				return fmt.Errorf("%s, run %d: %w", s.name, i, err)
			}
			r.exit = exit
			s.runs = append(s.runs, r)
			fmt.Printf("run %d/%d  %-22s %9s", i, c.runs, s.name, seconds(r.first))
			if s == ours {
				fmt.Printf("  (cores and monitors up %s, ready %s)", seconds(r.coresUp), seconds(r.ready))
			}
			fmt.Printf("  load %s; then QEMU: %s\n", r.load, exit)
		}
	}
	c.load = vmbench.LoadText(before, vmbench.HostLoad())
	fmt.Printf("\n%-22s %5s %10s %10s %10s\n", "system", "runs", "median", "min", "max")
	for _, s := range sides {
		st := s.stats(func(r bootRun) time.Duration { return r.first })
		fmt.Printf("%-22s %5d %10s %10s %10s\n", s.name, st.N, seconds(st.Median), seconds(st.Min), seconds(st.Max))
	}
	if len(sides) == 2 {
		fmt.Printf("ratio of the medians, multikernel / Linux: %.3f (goal: at most %.2f)\n", bootRatio(sides), bootGoal)
	}
	section := bootMarkdown(c, date, host, kernel, sides)
	fmt.Printf("\n%s", section)
	if !c.record {
		return nil
	}
	return vmbench.RecordSection(bootHeading, section)
}

// bootRatio returns the multikernel's median time to the first line over
// Linux's.
func bootRatio(sides []*bootSide) float64 {
	f := func(r bootRun) time.Duration { return r.first }
	return sides[0].stats(f).Median.Seconds() / sides[1].stats(f).Median.Seconds()
}

// bootMarkdown returns the BENCHMARKS.md section for a default-mode run.
func bootMarkdown(c config, date, host, kernel string, sides []*bootSide) string {
	var b strings.Builder
	prog := filepath.Base(c.prog)
	fmt.Fprintf(&b, "%s\n\n", bootHeading)
	fmt.Fprintf(&b, "What a user waits for: wall time from starting QEMU to the first line a user program\n"+
		"prints, read from QEMU's standard output as it streams. Both systems run the same static Go\n"+
		"program, `%s` (`%s`, built by `make all`; its first line matches `%s`):\n"+
		"on the multikernel as a program on core 0 (modules: the CPU driver, the monitor and the\n"+
		"program; command line `poweroff`), which starts once every core's CPU driver and monitor are\n"+
		"up, the monitors' mesh is connected and the SKB is up (`multikernel: ready`); under Linux as\n"+
		"/init of an initramfs (`-append \"%s\"`). Both boot in the same QEMU with\n"+
		"the same machine flags from package qemuargs (q35, -cpu %s, %d cores in %d sockets,\n"+
		"%d NUMA nodes with the Opteron-square SLIT, %d MiB); only -kernel, -initrd and -append\n"+
		"differ. Runs alternate between the two systems.\n\n",
		prog, c.prog, c.first, c.append, c.cpu, c.smp, c.nodes, c.nodes, c.mem)
	fmt.Fprintf(&b, "* Date: %s\n* Machine: %s\n* Command: `%s`\n", date, host, c.command)
	if c.load != "" {
		fmt.Fprintf(&b, "* Host load (`uptime` before the first run and after the last): %s\n", c.load)
	}
	if kernel != "" {
		fmt.Fprintf(&b, "* Linux: Debian's `%s` (package named by `apt-cache depends %s`)\n", filepath.Base(kernel), vmbench.MetaPackage)
	}
	b.WriteString("\n| QEMU start to | runs | median | min | max |\n|---|---:|---:|---:|---:|\n")
	row := func(what string, st stats) {
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s |\n", what, st.N, seconds(st.Median), seconds(st.Min), seconds(st.Max))
	}
	for _, s := range sides {
		row(fmt.Sprintf("%s: `%s`'s first line", s.name, prog), s.stats(func(r bootRun) time.Duration { return r.first }))
	}
	if len(sides[0].runs) > 0 {
		row("multikernel: every CPU driver and monitor up (`multikernel: N cores up`)", sides[0].stats(func(r bootRun) time.Duration { return r.coresUp }))
		row("multikernel: mesh connected, SKB up, programs start (`multikernel: ready`)", sides[0].stats(func(r bootRun) time.Duration { return r.ready }))
	}
	if len(sides) == 2 {
		r := bootRatio(sides)
		verdict := "met"
		if r > bootGoal {
			verdict = "not met"
		}
		fmt.Fprintf(&b, "\nRatio of the medians to the first line, multikernel / Linux: **%.3f** (goal: at most %.2f, %s).\n", r, bootGoal, verdict)
	}
	b.WriteString("\nEach run's host load (1-minute average before it) and time to the first line:\n\n")
	for _, s := range sides {
		var each []string
		for _, r := range s.runs {
			l, _, _ := strings.Cut(r.load, ",")
			each = append(each, fmt.Sprintf("%s (load %s)", seconds(r.first), l))
		}
		fmt.Fprintf(&b, "* %s: %s\n", s.name, strings.Join(each, ", "))
	}
	return b.String()
}
