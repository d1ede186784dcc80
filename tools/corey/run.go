package main

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"multikernel/tools/internal/vmbench"
	"multikernel/tools/qemu/qemuargs"
)

// bench is one figure: apps/corey's benchmark name, the variants each
// system runs, the section's heading and how it is written.
type bench struct {
	name, ours, linux string
	heading           string
	markdown          func(c config, h header, got map[key][]point) string
}

// header is what every section states of the run.
type header struct{ host, kernel, load string }

// benches are the subcommands.
var benches = map[string]bench{
	"memclone": {name: "memclone", ours: "mmap,private", linux: "mmap", heading: memcloneHeading, markdown: memcloneMarkdown},
	"mempass":  {name: "mempass", ours: "mmap,range", linux: "mmap", heading: mempassHeading, markdown: mempassMarkdown},
	"shares":   {name: "shares", ours: "global,local", linux: "dup,global,local", heading: sharesHeading, markdown: sharesMarkdown},
}

// coreyLine is apps/corey's line for one core count and variant.
var coreyLine = regexp.MustCompile(`corey: (memclone|mempass|shares) (\w+) cores (\d+) (?:page|op)-ns (\d+)(?: free-ns (\d+))?(?: contended (\d+))?` +
	`(?: shootdown-messages (\d+) calls-home (\d+) claims (\d+) foreign-tables (\d+))?\s*$`)

// point is one line's figures: the time per page (or, for shares, per
// operation), the time to free (memclone), the contended lock
// acquisitions (shares), and the program's counts (memclone and mempass,
// on the multikernel: shootdown messages, calls sent home, pages claimed
// without a message, page-table pages written by a core besides their
// owner).
type point struct {
	pageNs, freeNs float64
	contended      uint64
	msgs, home     uint64
	claims, tables uint64
}

// key names a figure: the system and variant, and the core count.
type key struct {
	system string
	cores  int
}

// parseLine adds the figures of line, a line of benchmark name, to got
// under system+" "+variant.
func parseLine(got map[key][]point, name, system, line string) bool {
	m := coreyLine.FindStringSubmatch(line)
	if m == nil || m[1] != name {
		return false
	}
	n, _ := strconv.Atoi(m[3])
	p := point{}
	p.pageNs, _ = strconv.ParseFloat(m[4], 64)
	p.freeNs, _ = strconv.ParseFloat(m[5], 64)
	p.contended, _ = strconv.ParseUint(m[6], 10, 64)
	p.msgs, _ = strconv.ParseUint(m[7], 10, 64)
	p.home, _ = strconv.ParseUint(m[8], 10, 64)
	p.claims, _ = strconv.ParseUint(m[9], 10, 64)
	p.tables, _ = strconv.ParseUint(m[10], 10, 64)
	k := key{system + " " + m[2], n}
	got[k] = append(got[k], p)
	return true
}

// coreCounts returns the core counts of got, smallest first.
func coreCounts(got map[key][]point) []int {
	var counts []int
	seen := map[int]bool{}
	for k := range got {
		if !seen[k.cores] {
			seen[k.cores] = true
			counts = append(counts, k.cores)
		}
	}
	sort.Ints(counts)
	return counts
}

// median returns the median of f over system's points at n cores, 0 if
// there are none.
func median(got map[key][]point, system string, n int, f func(point) float64) float64 {
	var v []float64
	for _, p := range got[key{system, n}] {
		v = append(v, f(p))
	}
	if len(v) == 0 {
		return 0
	}
	return vmbench.MedianOf(v)
}

// intro is the first lines of a section: heading, command, date, host.
func intro(b *strings.Builder, heading string, c config, h header) string {
	fmt.Fprintf(b, "%s\n\n`%s`, %s, on %s; host load %s (%d boot(s) of each system; medians).\n\n",
		heading, c.command, time.Now().UTC().Format("2006-01-02 15:04 UTC"), h.host, h.load, c.runs)
	if h.kernel != "" {
		return "Linux " + vmbench.KernelVersion(h.kernel)
	}
	return "Linux"
}

// countsTable writes the multikernel's counts for variants (system
// names of got, each with its column heading) per core count: shootdown
// messages, calls sent home, pages claimed without a message and
// page-table pages written by a core besides their owner, medians.
func countsTable(b *strings.Builder, got map[key][]point, variants, names []string) {
	fmt.Fprintf(b, "\nCounts of the whole program on the multikernel over the same moments (libos/cores.Counts; they do not depend on emulation; the Go runtime's own work in those moments is in them too), medians:\n\n| cores |")
	for _, n := range names {
		fmt.Fprintf(b, " %s: shootdown messages | calls home | claims | tables written by 2 cores |", n)
	}
	fmt.Fprintf(b, "\n|---|%s\n", strings.Repeat("---|", 4*len(names)))
	for _, n := range coreCounts(got) {
		fmt.Fprintf(b, "| %d |", n)
		for _, v := range variants {
			for _, f := range []func(point) float64{
				func(p point) float64 { return float64(p.msgs) }, func(p point) float64 { return float64(p.home) },
				func(p point) float64 { return float64(p.claims) }, func(p point) float64 { return float64(p.tables) },
			} {
				fmt.Fprintf(b, " %.0f |", median(got, v, n, f))
			}
		}
		b.WriteString("\n")
	}
}

// ratio formats a/b, or "-" when either is missing.
func ratio(a, b float64) string {
	if a == 0 || b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", a/b)
}

// runBench boots each system -runs times with apps/corey running bench
// (b), gathers its lines, and prints (and with -record writes) b's
// section.
func runBench(ctx context.Context, c config, b bench) error {
	qemu, err := vmbench.Setup(c.qemu, c.runs, "./tools/corey", c.loader, c.driver, c.monitor, c.prog)
	if err != nil {
		return err
	}
	args := fmt.Sprintf("-bench %s -mb %d", b.name, c.mb)
	base := qemuargs.Config{QEMU: qemu, SMP: c.cores, Nodes: min(4, c.cores), MemMiB: c.mem, CPU: c.cpu}
	type side struct {
		name string
		cfg  qemuargs.Config
		args []string
	}
	ours := side{name: "multikernel", cfg: base}
	ours.cfg.Loader, ours.cfg.Modules, ours.cfg.Cmdline = c.loader,
		[]string{c.driver, c.monitor, fmt.Sprintf("%s @0-%d %s -variant %s", c.prog, c.cores-1, args, b.ours)}, strings.TrimSpace("poweroff "+c.options)
	sides := []*side{&ours}
	kernel := ""
	if c.linux {
		k, initrd, err := vmbench.LinuxInit(c.cache, c.vmlinuz, c.prog)
		if err != nil {
			return err
		}
		kernel = k
		lx := side{name: "Linux " + vmbench.KernelVersion(k), cfg: base}
		lx.cfg.Loader, lx.cfg.Modules, lx.cfg.Cmdline = k, []string{initrd}, "console=ttyS0 panic=-1 -- "+args+" -variant "+b.linux
		sides = append(sides, &lx)
	}
	host := vmbench.Machine(qemu)
	fmt.Printf("machine: %s\ncommand: %s\n", host, c.command)
	for _, s := range sides {
		if s.args, err = s.cfg.Args(); err != nil {
			return err
		}
		fmt.Printf("%s: %s %s\n", s.name, c.qemu, vmbench.ShellQuote(s.args))
	}
	got := map[key][]point{}
	load := vmbench.HostLoad()
	for run := 1; run <= c.runs; run++ {
		for _, s := range sides {
			system := "ours"
			if s != &ours {
				system = "linux"
			}
			exit, err := vmbench.WatchConsole(ctx, qemu, s.args, c.timeout, "corey: done", func(line string, _ time.Duration) bool {
				if parseLine(got, b.name, system, line) {
					fmt.Printf("  %s, run %d: %s\n", s.name, run, line[strings.Index(line, "corey:"):])
				}
				return strings.HasSuffix(line, "corey: done")
			})
			if err != nil {
				return fmt.Errorf("%s, run %d: %w", s.name, run, err)
			}
			fmt.Printf("%s, run %d done (QEMU: %s)\n", s.name, run, exit)
		}
	}
	md := b.markdown(c, header{host: host, kernel: kernel, load: vmbench.LoadText(load, vmbench.HostLoad())}, got)
	if c.plots != "" {
		lx := "Linux"
		if kernel != "" {
			lx += " " + vmbench.KernelVersion(kernel)
		}
		images, err := writePlots(b, got, lx, c.plots)
		if err != nil {
			return err
		}
		md += images
	}
	fmt.Printf("\n%s", md)
	if !c.record {
		return nil
	}
	return vmbench.RecordSection(b.heading, md)
}
