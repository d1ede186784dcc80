package main

import (
	"fmt"
	"strings"
)

const memcloneHeading = "## Corey's memclone: private address ranges against one shared address space"

// memcloneMarkdown formats memclone's figures as a section of
// BENCHMARKS.md: medians over the boots, per core count.
func memcloneMarkdown(c config, h header, got map[key][]point) string {
	page := func(p point) float64 { return p.pageNs }
	free := func(p point) float64 { return p.freeNs }
	var b strings.Builder
	lx := intro(&b, memcloneHeading, c, h)
	fmt.Fprintf(&b, "A %d-core machine on %d NUMA nodes; each of the first k cores allocates %d MiB of its own and writes one byte to every page (apps/corey). Time per page, the mean over the cores of each core's time from a common start to its last page:\n\n",
		c.cores, min(4, c.cores), c.mb)
	fmt.Fprintf(&b, "| cores | multikernel: mmap, one address space, ns | multikernel: private ranges, ns | %s: mmap, one address space, ns | private / %s | private / mmap |\n|---|---|---|---|---|---|\n", lx, lx)
	counts := coreCounts(got)
	for _, n := range counts {
		om, op, lm := median(got, "ours mmap", n, page), median(got, "ours private", n, page), median(got, "linux mmap", n, page)
		fmt.Fprintf(&b, "| %d | %.0f | %.0f | %.0f | %s | %s |\n", n, om, op, lm, ratio(op, lm), ratio(op, om))
	}
	fmt.Fprintf(&b, "\nFreeing one core's buffer (munmap; range delete), ns:\n\n| cores | multikernel: munmap | multikernel: range delete | %s: munmap |\n|---|---|---|---|\n", lx)
	for _, n := range counts {
		fmt.Fprintf(&b, "| %d | %.0f | %.0f | %.0f |\n", n, median(got, "ours mmap", n, free), median(got, "ours private", n, free), median(got, "linux mmap", n, free))
	}
	countsTable(&b, got, []string{"ours mmap", "ours private"}, []string{"mmap", "private"})
	return b.String()
}
