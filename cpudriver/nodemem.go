package main

import (
	"multikernel/cpudriver/acpi"
	"multikernel/cpudriver/klog"
)

// maxNodeRanges bounds the SRAT memory ranges published per node; a node
// with more has the rest reported and left out (its pages there then
// have no node for get_mempolicy).
const maxNodeRanges = 4

// publishNodeMemory records each node's SRAT memory ranges in the shared
// area (sharedLayout.NodeMem). The bootstrap core calls it before it
// starts any other core.
func publishNodeMemory(sh *sharedLayout, topo *acpi.Topology) {
	if sh == nil || topo == nil {
		return
	}
	for n := range min(len(topo.Nodes), maxCores) {
		i := 0
		for _, m := range topo.NodeMemory(n) {
			if m.Length == 0 {
				continue
			}
			if i == maxNodeRanges {
				klog.Printf("cpudriver: node %d has more than %d memory ranges: the rest is left out of the node map", n, maxNodeRanges)
				break
			}
			sh.NodeMem[n][i] = [2]uint64{m.Base, m.Length}
			i++
		}
	}
}

// nodeOfAddr returns the node of physical address pa by the published
// ranges: -1 when none holds it and some node has ranges, 0 when none
// has (no SRAT: all memory is node 0's). nil without a shared area.
func nodeOfAddr(sh *sharedLayout) func(pa uint64) int {
	if sh == nil {
		return nil
	}
	return func(pa uint64) int {
		some := false
		for n := range sh.NodeMem {
			for _, r := range sh.NodeMem[n] {
				if r[1] == 0 {
					break
				}
				some = true
				if pa >= r[0] && pa-r[0] < r[1] {
					return n
				}
			}
		}
		if some {
			return -1
		}
		return 0
	}
}
