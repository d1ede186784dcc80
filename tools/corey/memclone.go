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

const memcloneHeading = "## Corey's memclone: private address ranges against one shared address space"

// memcloneLine is apps/corey's line for one core count and variant.
var memcloneLine = regexp.MustCompile(`corey: memclone (\w+) cores (\d+) page-ns (\d+) free-ns (\d+) shootdown-messages (\d+)`)

// point is one line's figures.
type point struct {
	pageNs, freeNs float64
	msgs           uint64
}

// key names a figure: the system and variant, and the core count.
type key struct {
	system string
	cores  int
}

// parseMemclone adds line's figures to got under system+" "+variant.
func parseMemclone(got map[key][]point, system, line string) bool {
	m := memcloneLine.FindStringSubmatch(line)
	if m == nil {
		return false
	}
	n, _ := strconv.Atoi(m[2])
	p := point{}
	p.pageNs, _ = strconv.ParseFloat(m[3], 64)
	p.freeNs, _ = strconv.ParseFloat(m[4], 64)
	p.msgs, _ = strconv.ParseUint(m[5], 10, 64)
	k := key{system + " " + m[1], n}
	got[k] = append(got[k], p)
	return true
}

func runMemclone(ctx context.Context, c config) error {
	qemu, err := vmbench.Setup(c.qemu, c.runs, "./tools/corey", c.loader, c.driver, c.monitor, c.prog)
	if err != nil {
		return err
	}
	args := fmt.Sprintf("-bench memclone -mb %d", c.mb)
	base := qemuargs.Config{QEMU: qemu, SMP: c.cores, Nodes: min(4, c.cores), MemMiB: c.mem, CPU: c.cpu}
	type side struct {
		name string
		cfg  qemuargs.Config
		args []string
	}
	ours := side{name: "multikernel", cfg: base}
	ours.cfg.Loader, ours.cfg.Modules, ours.cfg.Cmdline = c.loader,
		[]string{c.driver, c.monitor, fmt.Sprintf("%s @0-%d %s -variant mmap,private", c.prog, c.cores-1, args)}, strings.TrimSpace("poweroff "+c.options)
	sides := []*side{&ours}
	kernel := ""
	if c.linux {
		k, initrd, err := vmbench.LinuxInit(c.cache, c.vmlinuz, c.prog)
		if err != nil {
			return err
		}
		kernel = k
		lx := side{name: "Linux " + vmbench.KernelVersion(k), cfg: base}
		lx.cfg.Loader, lx.cfg.Modules, lx.cfg.Cmdline = k, []string{initrd}, "console=ttyS0 panic=-1 -- "+args+" -variant mmap"
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
				if parseMemclone(got, system, line) {
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
	md := memcloneMarkdown(c, host, kernel, vmbench.LoadText(load, vmbench.HostLoad()), got)
	fmt.Printf("\n%s", md)
	if !c.record {
		return nil
	}
	return vmbench.RecordSection(memcloneHeading, md)
}

// memcloneMarkdown formats the figures as a section of BENCHMARKS.md:
// medians over the boots, per core count.
func memcloneMarkdown(c config, host, kernel, load string, got map[key][]point) string {
	var counts []int
	seen := map[int]bool{}
	for k := range got {
		if !seen[k.cores] {
			seen[k.cores] = true
			counts = append(counts, k.cores)
		}
	}
	sort.Ints(counts)
	med := func(system string, n int, f func(point) float64) float64 {
		var v []float64
		for _, p := range got[key{system, n}] {
			v = append(v, f(p))
		}
		if len(v) == 0 {
			return 0
		}
		return vmbench.MedianOf(v)
	}
	page := func(p point) float64 { return p.pageNs }
	free := func(p point) float64 { return p.freeNs }
	msgs := func(p point) float64 { return float64(p.msgs) }
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n`%s`, %s, on %s; host load %s (%d boot(s) of each system; medians).\n\n",
		memcloneHeading, c.command, time.Now().UTC().Format("2006-01-02 15:04 UTC"), host, load, c.runs)
	lx := "Linux"
	if kernel != "" {
		lx = "Linux " + vmbench.KernelVersion(kernel)
	}
	fmt.Fprintf(&b, "A %d-core machine on %d NUMA nodes; each of the first k cores allocates %d MiB of its own and writes one byte to every page (apps/corey). Time per page, the mean over the cores of each core's time from a common start to its last page:\n\n",
		c.cores, min(4, c.cores), c.mb)
	fmt.Fprintf(&b, "| cores | multikernel: mmap, one address space, ns | multikernel: private ranges, ns | %s: mmap, one address space, ns | private / %s | private / mmap | shootdown messages, private |\n|---|---|---|---|---|---|---|\n", lx, lx)
	for _, n := range counts {
		om, op, lm := med("ours mmap", n, page), med("ours private", n, page), med("linux mmap", n, page)
		fmt.Fprintf(&b, "| %d | %.0f | %.0f | %.0f | %s | %s | %.0f |\n", n, om, op, lm, ratio(op, lm), ratio(op, om), med("ours private", n, msgs))
	}
	fmt.Fprintf(&b, "\nFreeing one core's buffer (munmap; range delete), ns:\n\n| cores | multikernel: munmap | multikernel: range delete | %s: munmap |\n|---|---|---|---|\n", lx)
	for _, n := range counts {
		fmt.Fprintf(&b, "| %d | %.0f | %.0f | %.0f |\n", n, med("ours mmap", n, free), med("ours private", n, free), med("linux mmap", n, free))
	}
	return b.String()
}

// ratio formats a/b, or "-" when either is missing.
func ratio(a, b float64) string {
	if a == 0 || b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", a/b)
}
