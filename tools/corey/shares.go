package main

import (
	"fmt"
	"strings"
)

const sharesHeading = "## Corey's shares: local and global shares against the descriptor table"

// sharesMarkdown formats the shares figures as a section of
// BENCHMARKS.md: medians over the boots, per core count.
func sharesMarkdown(c config, h header, got map[key][]point) string {
	op := func(p point) float64 { return p.pageNs }
	cont := func(p point) float64 { return float64(p.contended) }
	var b strings.Builder
	lx := intro(&b, sharesHeading, c, h)
	fmt.Fprintf(&b, "A %d-core machine on %d NUMA nodes; a thread pinned on each of the first k cores adds an id to a share and removes it, 2000 times (apps/corey, libos/shares), or on Linux calls dup and close, Corey's Fig. 1. Time of one add and remove (dup and close), the mean over the cores; contended: the adds and removes that found the share's lock held by another core's thread:\n\n", c.cores, min(4, c.cores))
	fmt.Fprintf(&b, "| cores | multikernel: global share, ns | contended | multikernel: local shares, ns | contended | %s: dup and close, ns | %s: global share, ns | %s: local shares, ns | local / %s dup |\n|---|---|---|---|---|---|---|---|---|\n", lx, lx, lx, lx)
	for _, n := range coreCounts(got) {
		og, ol := median(got, "ours global", n, op), median(got, "ours local", n, op)
		ld, lg, ll := median(got, "linux dup", n, op), median(got, "linux global", n, op), median(got, "linux local", n, op)
		fmt.Fprintf(&b, "| %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %s |\n", n, og, median(got, "ours global", n, cont),
			ol, median(got, "ours local", n, cont), ld, lg, ll, ratio(ol, ld))
	}
	return b.String()
}
