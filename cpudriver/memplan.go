package main

import (
	"sort"

	"multikernel/boot/multiboot"
	"multikernel/cpudriver/acpi"
)

// span is a physical range [base, end).
type span struct{ base, end uint64 }

func (s span) size() uint64 { return s.end - s.base }

// nodeFree returns, per NUMA node, the free memory above reservedEnd (the
// bootstrap core's image, modules and initial pool lie below it),
// intersected with the node's SRAT memory ranges. Without SRAT all of it is
// node 0's.
func nodeFree(info *multiboot.Info, topo *acpi.Topology, reservedEnd uint64) [][]span {
	usable := multiboot.UsableRanges(info.MemoryMap, multiboot.Range{Start: 0, End: reservedEnd})
	out := make([][]span, len(topo.Nodes))
	for n := range topo.Nodes {
		mem := topo.NodeMemory(n)
		for _, u := range usable {
			if len(mem) == 0 {
				if n == 0 {
					out[0] = append(out[0], span{u.Start, u.End})
				}
				continue
			}
			for _, m := range mem {
				b, e := max(u.Start, m.Base), min(u.End, m.Base+m.Length)
				if b < e {
					out[n] = append(out[n], span{b, e})
				}
			}
		}
		sort.Slice(out[n], func(i, j int) bool { return out[n][i].base < out[n][j].base })
	}
	return out
}

// carve takes size bytes (page multiple) off the front of spans and
// returns the pieces taken and the spans left.
func carve(spans []span, size uint64) (taken, left []span) {
	for i, s := range spans {
		if size == 0 {
			return taken, append(left, spans[i:]...)
		}
		if s.size() <= size {
			taken = append(taken, s)
			size -= s.size()
			continue
		}
		taken = append(taken, span{s.base, s.base + size})
		left = append(left, span{s.base + size, s.end})
		size = 0
	}
	return taken, left
}

// carveContig takes size contiguous bytes from the first span big enough.
func carveContig(spans []span, size uint64) (uint64, []span, bool) {
	for i, s := range spans {
		if s.size() >= size {
			spans[i].base += size
			return s.base, spans, true
		}
	}
	return 0, spans, false
}

func total(spans []span) (t uint64) {
	for _, s := range spans {
		t += s.size()
	}
	return t
}
