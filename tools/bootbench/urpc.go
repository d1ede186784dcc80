package main

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"multikernel/tools/qemu/qemuargs"

	"multikernel/tools/internal/vmbench"
)

// The -urpc mode (issue 5's guest benchmark): the multikernel boots with
// the urpc-bench option, and core 0's monitor reports the one-way latency
// of a URPC message to a monitor of its own node and to one of another
// node, with the receiver polling and with the receiver blocked (woken by
// an IPI). This mode collects those lines over several boots.

// urpcHeading is the heading of the -urpc mode's section of BENCHMARKS.md.
const urpcHeading = "## URPC between monitors in the guest"

// urpcDefaults are the flags -urpc changes unless they are given: 4 cores
// on 2 nodes (a same-node and a cross-node peer) and 3 boots.
var urpcDefaults = map[string]string{"runs": "3", "smp": "4", "nodes": "2", "mem": "1024", "timeout": "300s"}

var (
	urpcLine = regexp.MustCompile(`urpc-bench: core (\d+) -> core (\d+) \(node (\d+) -> (\d+)\), median of (\d+): one-way polling (\d+) cycles \(([0-9.]+) us\), blocked (\d+) cycles \(([0-9.]+) us\)`)
	meshLine = regexp.MustCompile(`mesh: (\d+) monitors connected; round trips min (\d+), median (\d+), max (\d+) cycles`)
)

// urpcPair is one benchmark line: a peer and its latencies.
type urpcPair struct {
	label             string // "core 0 -> core 1 (node 0 -> 0)"
	pollCyc, blockCyc int
	pollUs, blockUs   float64
}

// parseURPCLine parses a "urpc-bench: ..." line.
func parseURPCLine(line string) (urpcPair, bool) {
	m := urpcLine.FindStringSubmatch(line)
	if m == nil {
		return urpcPair{}, false
	}
	p := urpcPair{label: fmt.Sprintf("core %s -> core %s (node %s -> %s)", m[1], m[2], m[3], m[4])}
	p.pollCyc, _ = strconv.Atoi(m[6])
	p.pollUs, _ = strconv.ParseFloat(m[7], 64)
	p.blockCyc, _ = strconv.Atoi(m[8])
	p.blockUs, _ = strconv.ParseFloat(m[9], 64)
	return p, true
}

// runURPC is run for -urpc.
func runURPC(ctx context.Context, c config) error {
	qemu, err := setup(c, c.loader, c.driver, c.monitor)
	if err != nil {
		return err
	}
	cfg := qemuargs.Config{QEMU: qemu, SMP: c.smp, Nodes: c.nodes, MemMiB: c.mem, CPU: c.cpu,
		Loader: c.loader, Modules: []string{c.driver, c.monitor}, Cmdline: strings.TrimSpace("poweroff urpc-bench " + c.options)}
	ours := &side{name: "multikernel", cfg: cfg}
	date, host, err := preamble(c, qemu, []*side{ours})
	if err != nil {
		return err
	}
	want := 2 // a peer on core 0's node and one on another node
	if c.nodes == 1 {
		want = 1
	}
	runs := map[string][]urpcPair{}
	var order, meshes []string
	for i := 1; i <= c.runs; i++ {
		var got []urpcPair
		mesh := ""
		exit, err := vmbench.WatchConsole(ctx, qemu, ours.args, c.timeout, "the benchmark's lines", func(line string, _ time.Duration) bool {
			if m := meshLine.FindString(line); m != "" {
				mesh = m
			}
			if p, ok := parseURPCLine(line); ok {
				got = append(got, p)
			}
			return len(got) == want
		})
		if err != nil {
			return fmt.Errorf("run %d: %w", i, err)
		}
		for _, p := range got {
			if !slices.Contains(order, p.label) {
				order = append(order, p.label)
			}
			runs[p.label] = append(runs[p.label], p)
			fmt.Printf("run %d/%d  %s: polling %d cycles (%.2f us), blocked %d cycles (%.2f us)\n", i, c.runs, p.label, p.pollCyc, p.pollUs, p.blockCyc, p.blockUs)
		}
		meshes = append(meshes, mesh)
		fmt.Printf("run %d/%d  %s (then QEMU: %s)\n", i, c.runs, mesh, exit)
	}
	section := urpcMarkdown(c, date, host, order, runs, meshes)
	fmt.Printf("\n%s", section)
	if !c.record {
		return nil
	}
	return vmbench.RecordSection(urpcHeading, section)
}

// urpcMarkdown formats the -urpc section of BENCHMARKS.md.
func urpcMarkdown(c config, date, host string, order []string, runs map[string][]urpcPair, meshes []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", urpcHeading)
	fmt.Fprintf(&b, "Measured %s on %s: %d cores on %d nodes, %d boots.\n\n", date, host, c.smp, c.nodes, c.runs)
	fmt.Fprintf(&b, "    %s\n\n", c.command)
	b.WriteString("Core 0's monitor bounces probes off a peer monitor (docs/urpc.md); one-way\n")
	b.WriteString("latency, median over the boots of each boot's median of 400 probes:\n\n")
	b.WriteString("| pair | receiver polling | receiver blocked (IPI) | blocked / polling |\n|---|---|---|---|\n")
	for _, label := range order {
		var pc, bc []int
		var pu, bu []float64
		for _, p := range runs[label] {
			pc, bc, pu, bu = append(pc, p.pollCyc), append(bc, p.blockCyc), append(pu, p.pollUs), append(bu, p.blockUs)
		}
		fmt.Fprintf(&b, "| %s | %d cycles (%.2f µs) | %d cycles (%.2f µs) | %.1f× |\n", label,
			vmbench.MedianOf(pc), vmbench.MedianOf(pu), vmbench.MedianOf(bc), vmbench.MedianOf(bu), float64(vmbench.MedianOf(bc))/float64(vmbench.MedianOf(pc)))
	}
	b.WriteString("\nThe mesh at boot (round trips between all pairs, TSC cycles), per boot:\n\n")
	for _, m := range meshes {
		fmt.Fprintf(&b, "* %s\n", m)
	}
	b.WriteString("\nUnder emulation a cycle count is the guest's TSC, which QEMU advances with\nthe host's clock: these are wall-clock costs of the emulated path, not of an\nOpteron's.\n\n")
	return b.String()
}
