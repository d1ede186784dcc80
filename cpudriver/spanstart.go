package main

import (
	"multikernel/cpudriver/proc"
	"multikernel/cpudriver/ring0"
)

// Spanning programs (docs/spanning.md): a program placed on a set of
// cores (@0-15, @node:1) starts once, on the lowest core of the set, its
// home; its threads go to the set's cores as it makes them.

// spanTopology returns the machine's core count and each core's NUMA
// node, as the shared area records them.
func spanTopology(sh *sharedLayout) (ncores int, nodeOf func(int) int) {
	m := machine{sh: sh}
	for m.planned(ncores) {
		ncores++
	}
	return ncores, func(c int) int {
		if !m.planned(c) {
			return -1
		}
		return int(sh.Node[c])
	}
}

// nodeDistance returns the distance between two nodes as the bootstrap
// core published it (sharedLayout.NodeDist); nil without a shared area.
func nodeDistance(sh *sharedLayout) func(a, b int) int {
	if sh == nil {
		return nil
	}
	return func(a, b int) int {
		if a < 0 || b < 0 || a >= maxCores || b >= maxCores {
			return 255
		}
		return int(sh.NodeDist[a][b])
	}
}

// startSpan starts the spanning program pr if this core is its home
// and returns it; nil if this core is not its home or it did not start
// (reported).
func startSpan(pr program, sh *sharedLayout) *proc.Process {
	c := ring0.Core()
	ncores, nodeOf := spanTopology(sh)
	set, err := pr.spanCores(nodeOf, ncores)
	if err != nil {
		// The bootstrap core reports it, and counts it as a program
		// that failed (expectedPrograms counts it there).
		if c.BSP {
			console("cpudriver: program %q not started: %v\n", pr.argv[0], err)
			if sh != nil {
				sh.programEnded(c.Index, false)
			}
		}
		return nil
	}
	if set.Lowest() != c.Index {
		return nil
	}
	// No GOMAXPROCS: Go's default is the number of cores sched_getaffinity reports.
	p, err := proc.StartSpan(physBytes(pr.image.Start, int(pr.image.Size())), pr.argv, nil, set.Mask(), pr.grants...)
	if err != nil {
		console("cpudriver: core %d: program %q not started: %v\n", c.Index, pr.argv[0], err)
		if sh != nil {
			sh.programEnded(c.Index, false)
		}
		return nil
	}
	return p
}
