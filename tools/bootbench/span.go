package main

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"multikernel/tools/qemu/qemuargs"

	"multikernel/tools/internal/vmbench"
)

// -span: issue 13's spanning-program figures (apps/spanbench). For each
// core count of -spancores, the same static binary runs spanning that many
// cores on the multikernel (module "PROG @0-(N-1)") and as /init of Linux
// booted with -smp N (its arguments after "--" on the kernel command
// line), on one NUMA node below 4 cores and on 4 above. It prints the
// median over -runs of each figure, multikernel beside Linux with the
// ratio: the munmap of one page while a thread is pinned on each core
// (a shootdown to every other core), a futex ping-pong between threads
// pinned on the first and last core (two cross-core wakes per round trip),
// and, from the boot with the most cores, the speedup of a fixed amount of
// CPU work split over 1, 2, 4, ... pinned threads.

const spanHeading = "## Spanning programs against Linux 6.1"

var spanDefaults = map[string]string{
	"runs": "1", "mem": "2048", "append": sysAppend, "timeout": "600s", "prog": "build/apps/spanbench",
}

var (
	spanMunmap = regexp.MustCompile(`spanbench: cores (\d+) munmap-ns (\d+)`)
	spanFutex  = regexp.MustCompile(`spanbench: cores (\d+) futex-pingpong-ns (\d+)`)
	spanWork   = regexp.MustCompile(`spanbench: cores (\d+) threads (\d+) work-ns (\d+) result (0x[0-9a-f]+)`)
)

// spanRun is one boot's figures.
type spanRun struct {
	munmap, futex float64
	work          map[int]float64 // threads: ns
	result        map[int]string  // threads: the work's result (both systems must agree)
}

// parseSpanLine adds a spanbench line to r.
func parseSpanLine(r *spanRun, line string) {
	if m := spanMunmap.FindStringSubmatch(line); m != nil {
		r.munmap, _ = strconv.ParseFloat(m[2], 64)
	}
	if m := spanFutex.FindStringSubmatch(line); m != nil {
		r.futex, _ = strconv.ParseFloat(m[2], 64)
	}
	if m := spanWork.FindStringSubmatch(line); m != nil {
		k, _ := strconv.Atoi(m[2])
		ns, _ := strconv.ParseFloat(m[3], 64)
		r.work[k], r.result[k] = ns, m[4]
	}
}

func runSpan(ctx context.Context, c config) error {
	qemu, err := setup(c, c.loader, c.driver, c.monitor, c.prog)
	if err != nil {
		return err
	}
	var counts []int
	for _, f := range strings.Split(c.spanCores, ",") {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > 16 {
			return fmt.Errorf("-spancores %q: want core counts 1-16", c.spanCores)
		}
		counts = append(counts, n)
	}
	args := "-rounds 100 -work 20000000"
	type cell struct{ ours, linux []spanRun }
	cells := map[int]*cell{}
	var kernel, date, host string
	for _, n := range counts {
		nodes := 1
		if n >= 4 {
			nodes = 4
		}
		base := qemuargs.Config{QEMU: qemu, SMP: n, Nodes: nodes, MemMiB: c.mem, CPU: c.cpu}
		ours := &side{name: "multikernel", cfg: base}
		ours.cfg.Loader, ours.cfg.Modules, ours.cfg.Cmdline = c.loader,
			[]string{c.driver, c.monitor, fmt.Sprintf("%s @0-%d %s", c.prog, n-1, args)}, strings.TrimSpace("poweroff "+c.options)
		sides := []*side{ours}
		lc := c
		lc.append = c.append + " -- " + args
		lx, k, err := linuxSide(lc, base, nil)
		if err != nil {
			return err
		}
		if lx != nil {
			sides = append(sides, lx)
			kernel = k
		}
		if date, host, err = preamble(c, qemu, sides); err != nil {
			return err
		}
		cells[n] = &cell{}
		for i := 1; i <= c.runs; i++ {
			for j, s := range sides {
				r := spanRun{work: map[int]float64{}, result: map[int]string{}}
				exit, err := vmbench.WatchConsole(ctx, qemu, s.args, c.timeout, "spanbench: done", func(line string, _ time.Duration) bool {
					parseSpanLine(&r, line)
					return strings.HasSuffix(line, "spanbench: done")
				})
				if err != nil {
					return fmt.Errorf("%s, %d cores, run %d: %w", s.name, n, i, err)
				}
				fmt.Printf("%d cores, run %d, %-22s munmap %.0f ns  futex ping-pong %.0f ns  work %v (QEMU: %s)\n",
					n, i, s.name, r.munmap, r.futex, r.work, exit)
				if j == 0 {
					cells[n].ours = append(cells[n].ours, r)
				} else {
					cells[n].linux = append(cells[n].linux, r)
				}
			}
		}
	}
	med := func(rs []spanRun, f func(spanRun) float64) float64 {
		var v []float64
		for _, r := range rs {
			v = append(v, f(r))
		}
		if len(v) == 0 {
			return 0
		}
		return vmbench.MedianOf(v)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n`%s`, %s, on %s (%d run(s) each; medians).\n\n", spanHeading, c.command, date, host, c.runs)
	fmt.Fprintf(&b, "Linux: Debian's `%s`, the same binary as /init. Wall time under TCG: every vCPU is a thread of\n", vmbench.KernelVersion(kernel))
	fmt.Fprintf(&b, "the host's, so with more vCPUs than host CPUs the figures measure the emulator's scheduling as much as either system.\n\n")
	fmt.Fprintf(&b, "| cores | munmap of a page, ns: multikernel | Linux | ratio | futex ping-pong, ns: multikernel | Linux | ratio |\n|---|---|---|---|---|---|---|\n")
	for _, n := range counts {
		cl := cells[n]
		mo, ml := med(cl.ours, func(r spanRun) float64 { return r.munmap }), med(cl.linux, func(r spanRun) float64 { return r.munmap })
		fo, fl := med(cl.ours, func(r spanRun) float64 { return r.futex }), med(cl.linux, func(r spanRun) float64 { return r.futex })
		fmt.Fprintf(&b, "| %d | %.0f | %.0f | %s | %.0f | %.0f | %s |\n", n, mo, ml, ratio(mo, ml), fo, fl, ratio(fo, fl))
	}
	top := counts[len(counts)-1]
	cl := cells[top]
	fmt.Fprintf(&b, "\nSpeedup of CPU work split over pinned threads, in the %d-core boot (time with 1 thread / time with k):\n\n| threads | multikernel ns | speedup | Linux ns | speedup |\n|---|---|---|---|---|\n", top)
	for k := 1; k <= top; k *= 2 {
		wo, wl := med(cl.ours, func(r spanRun) float64 { return r.work[k] }), med(cl.linux, func(r spanRun) float64 { return r.work[k] })
		so, sl := med(cl.ours, func(r spanRun) float64 { return r.work[1] }), med(cl.linux, func(r spanRun) float64 { return r.work[1] })
		fmt.Fprintf(&b, "| %d | %.0f | %s | %.0f | %s |\n", k, wo, ratio(so, wo), wl, ratio(sl, wl))
	}
	fmt.Printf("\n%s", b.String())
	if !c.record {
		return nil
	}
	return vmbench.RecordSection(spanHeading, b.String())
}

// ratio formats a/b, or "-" when b is 0 (no figure).
func ratio(a, b float64) string {
	if b == 0 || a == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", a/b)
}
