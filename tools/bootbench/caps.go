package main

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"multikernel/tools/qemu/qemuargs"

	"multikernel/tools/internal/vmbench"
)

// The -caps mode (issue 7's benchmark, its distributed part): the
// multikernel boots with the cap-bench option, and core 0's monitor times
// two-phase retypes of a shared capability with 1, 2, 4, 8 and 16 cores
// taking part. This mode collects those lines over several boots.

// capsHeading is the heading of the -caps mode's section of BENCHMARKS.md.
const capsHeading = "## Capability operations across cores"

// capsDefaults are the flags -caps changes unless they are given: the
// 16-core machine and 3 boots.
var capsDefaults = map[string]string{"runs": "3", "smp": "16", "nodes": "4", "mem": "4096", "timeout": "300s"}

// localOps are the local invocations apps/captest -bench times, in the
// order it prints them.
var localOps = []string{"retype", "map", "unmap", "delete"}

var localLabel = map[string]string{
	"retype": "retype of a 4 KiB Frame from RAM (zeroing it)",
	"map":    "map of that Frame",
	"unmap":  "unmap",
	"delete": "delete of the Frame",
}

var localLine = regexp.MustCompile(`captest: (retype|map|unmap|delete) (\d+) ns/op`)

var capsLine = regexp.MustCompile(`cap-bench: two-phase retype across (\d+) cores \((unicast|tree)\), median of (\d+): (\d+) cycles \(([0-9.]+) us\)`)

// capsPoint is one benchmark line.
type capsPoint struct {
	cores  int
	how    string // "unicast" or "tree"
	cycles int
	us     float64
}

// parseCapsLine parses a "cap-bench: ..." line.
func parseCapsLine(line string) (capsPoint, bool) {
	m := capsLine.FindStringSubmatch(line)
	if m == nil {
		return capsPoint{}, false
	}
	p := capsPoint{how: m[2]}
	p.cores, _ = strconv.Atoi(m[1])
	p.cycles, _ = strconv.Atoi(m[4])
	p.us, _ = strconv.ParseFloat(m[5], 64)
	return p, true
}

// capsExplanation follows the figures: why they jump past two cores.
const capsExplanation = `
The jump from 2 to 4 cores is the host, not the protocol: beyond two, the virtual CPUs share the
host's two CPUs, and a monitor polling for its next message holds a host CPU that a core with
work needs. With the monitors sleeping at once instead of polling
(` + "`go run ./tools/bootbench -caps -options monitor-poll=-1`" + `, 2026-11-26, one boot), every
hop costs a wake-up (about 80 µs, see the URPC section): 2 cores take 0.52 ms, but 4 cores
0.96-0.99 ms, 8 cores 2.24-2.26 ms and 16 cores 5.6-5.7 ms, 35-45% less than polling from 4 cores
on. These figures say little about an Opteron, where every core is a CPU of its own. Under
emulation there is no NUMA cost for the tree to save.

`

// runCaps is run for -caps.
func runCaps(ctx context.Context, c config) error {
	qemu, err := setup(c, c.loader, c.driver, c.monitor)
	if err != nil {
		return err
	}
	captest := filepath.Join(filepath.Dir(c.prog), "captest")
	if _, err := setup(c, captest); err != nil {
		return err
	}
	ours := &side{name: "multikernel", cfg: qemuargs.Config{QEMU: qemu, SMP: c.smp, Nodes: c.nodes, MemMiB: c.mem, CPU: c.cpu,
		Loader: c.loader, Modules: []string{c.driver, c.monitor, captest + " @0 -bench"}, Cmdline: strings.TrimSpace("poweroff cap-bench " + c.options)}}
	date, host, err := preamble(c, qemu, []*side{ours})
	if err != nil {
		return err
	}
	want := 0
	for n := 1; n <= c.smp && n <= 16; n *= 2 {
		want += 2 // unicast and tree
	}
	want-- // one core: unicast only
	byCores := map[string][]capsPoint{}
	local := map[string][]int{}
	for i := 1; i <= c.runs; i++ {
		var got []capsPoint
		nlocal := 0
		exit, err := vmbench.WatchConsole(ctx, qemu, ours.args, c.timeout, "the benchmark's lines", func(line string, _ time.Duration) bool {
			if p, ok := parseCapsLine(line); ok {
				got = append(got, p)
			}
			if m := localLine.FindStringSubmatch(line); m != nil {
				ns, _ := strconv.Atoi(m[2])
				local[m[1]] = append(local[m[1]], ns)
				nlocal++
				fmt.Printf("run %d/%d  local %s: %d ns\n", i, c.runs, m[1], ns)
			}
			return len(got) == want && nlocal == len(localOps)
		})
		if err != nil {
			return fmt.Errorf("run %d: %w", i, err)
		}
		for _, p := range got {
			k := capsKey(p.cores, p.how)
			byCores[k] = append(byCores[k], p)
			fmt.Printf("run %d/%d  %2d cores %-7s: %d cycles (%.1f us)\n", i, c.runs, p.cores, p.how, p.cycles, p.us)
		}
		fmt.Printf("run %d/%d  then QEMU: %s\n", i, c.runs, exit)
	}
	section := capsMarkdown(c, date, host, byCores, local)
	fmt.Printf("\n%s", section)
	if !c.record {
		return nil
	}
	return vmbench.RecordSection(capsHeading, section)
}

// capsKey names one row: cores and mode.
func capsKey(cores int, how string) string { return fmt.Sprintf("%02d %s", cores, how) }

// capsMarkdown formats the -caps section of BENCHMARKS.md.
func capsMarkdown(c config, date, host string, byCores map[string][]capsPoint, local map[string][]int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", capsHeading)
	fmt.Fprintf(&b, "Measured %s on %s: %d cores on %d nodes, %d boots.\n\n", date, host, c.smp, c.nodes, c.runs)
	fmt.Fprintf(&b, "    %s\n\n", c.command)
	b.WriteString("Core 0's monitor times two-phase retypes (cap/dist over the monitors' URPC mesh,\n")
	b.WriteString("docs/capabilities.md) of a shared capability that cores 0 to N-1 hold copies of, each of a\n")
	b.WriteString("fresh page so that every one commits. Unicast: Prepare and Commit go to each core directly;\n")
	b.WriteString("tree: along the SKB's NUMA-aware multicast tree, each core passing them on to its children;\n")
	b.WriteString("the votes come back directly in both. With one core the protocol sends no message: that is\n")
	b.WriteString("its local cost. Median over the boots of each boot's median of 200:\n\n")
	b.WriteString("| cores | mode | two-phase retype | vs 1 core |\n|---:|---|---|---:|\n")
	keys := slices.Sorted(maps.Keys(byCores))
	base := 0.0
	for _, k := range keys {
		var cyc []int
		var us []float64
		for _, p := range byCores[k] {
			cyc, us = append(cyc, p.cycles), append(us, p.us)
		}
		mc := vmbench.MedianOf(cyc)
		p := byCores[k][0]
		if p.cores == 1 {
			base = float64(mc)
		}
		ratio := "-"
		if base > 0 {
			ratio = fmt.Sprintf("%.1f×", float64(mc)/base)
		}
		fmt.Fprintf(&b, "| %d | %s | %d cycles (%.1f µs) | %s |\n", p.cores, p.how, mc, vmbench.MedianOf(us), ratio)
	}
	if len(local) > 0 {
		b.WriteString("\nLocal invocations from a program on core 0 (`apps/captest -bench`, each timed with\n")
		b.WriteString("time.Now over 2,000 rounds, so each figure includes one clock read, about 1.4 µs here):\n\n")
		b.WriteString("| invocation | cost |\n|---|---:|\n")
		for _, op := range localOps {
			if v := local[op]; len(v) > 0 {
				fmt.Fprintf(&b, "| %s | %.1f µs |\n", localLabel[op], float64(vmbench.MedianOf(v))/1000)
			}
		}
	}
	b.WriteString(capsExplanation)
	return b.String()
}
