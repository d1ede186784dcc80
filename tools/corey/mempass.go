package main

import (
	"fmt"
	"strings"
)

const mempassHeading = "## Corey's mempass: a buffer passed round robin, in a shared range and in one address space"

// mempassMarkdown formats mempass's figures as a section of
// BENCHMARKS.md: medians over the boots, per core count.
func mempassMarkdown(c config, h header, got map[key][]point) string {
	page := func(p point) float64 { return p.pageNs }
	var b strings.Builder
	lx := intro(&b, mempassHeading, c, h)
	fmt.Fprintf(&b, "A %d-core machine on %d NUMA nodes; one %d MiB buffer passes round robin over the first k cores, each writing one byte to every page before it hands the buffer on (apps/corey). Time per page and pass, from the first core's start to the last core's end, the hand-offs from core to core (a cross-core wake-up each) included; at one core the range is private to it:\n\n",
		c.cores, min(4, c.cores), c.mb)
	fmt.Fprintf(&b, "| cores | multikernel: mmap, one address space, ns | multikernel: range shared by the k cores, ns | %s: mmap, ns | range / %s | range / mmap |\n|---|---|---|---|---|---|\n", lx, lx)
	for _, n := range coreCounts(got) {
		om, or, lm := median(got, "ours mmap", n, page), median(got, "ours range", n, page), median(got, "linux mmap", n, page)
		fmt.Fprintf(&b, "| %d | %.0f | %.0f | %.0f | %s | %s |\n", n, om, or, lm, ratio(or, lm), ratio(or, om))
	}
	countsTable(&b, got, []string{"ours mmap", "ours range"}, []string{"mmap", "range"})
	return b.String()
}
