package main

import (
	"fmt"
	"multikernel/cpudriver/trace"
	"sync/atomic"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/ring0"
)

// The monitors' URPC mesh (docs/urpc.md): every pair of cores gets one
// channel frame, planned by the bootstrap core before it starts any other
// core and zeroed then, so both monitors find a fresh channel whenever
// they come up. The frame of pair (i, j), i < j, lies on the node of core
// i when i+j is even and of core j when it is odd: each core hosts about
// half of its channels, and no node holds more than its cores' share.

// channelHost returns the core on whose node the channel of i and j lies.
func channelHost(i, j int) int {
	if i > j {
		i, j = j, i
	}
	if (i+j)%2 == 0 {
		return i
	}
	return j
}

// planChannels carves one kpi.ChannelSize frame per pair of the cores
// whose nodes are given (nodes[c] is core c's node) from free, each from
// the node channelHost names, and returns the frames (chans[i][j] ==
// chans[j][i]) and what is left of free.
func planChannels(nodes []int, free [][]span) ([][]uint64, [][]span, error) {
	n := len(nodes)
	need := make([]int, len(free))
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			need[nodes[channelHost(i, j)]]++
		}
	}
	// carveContig changes its spans in place: work on a copy, so that a
	// failure leaves free as it was.
	work := make([][]span, len(free))
	for i := range free {
		work[i] = append([]span(nil), free[i]...)
	}
	next := make([]uint64, len(free))
	for node, k := range need {
		if k == 0 {
			continue
		}
		base, rest, ok := carveContig(work[node], uint64(k)*kpi.ChannelSize)
		if !ok {
			return nil, free, fmt.Errorf("no room on node %d for %d URPC channel frames", node, k)
		}
		work[node], next[node] = rest, base
	}
	chans := make([][]uint64, n)
	for i := range chans {
		chans[i] = make([]uint64, n)
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			node := nodes[channelHost(i, j)]
			chans[i][j], chans[j][i] = next[node], next[node]
			next[node] += kpi.ChannelSize
		}
	}
	return chans, work, nil
}

// publishCores records every planned core's APIC id and node, the
// distances between their nodes (dist; nil: 10 within a node, 20
// across), and the channel frames of the monitors (chans) and of the CPU
// drivers (kchans, cpudriver/kmesh), zeroed, in the shared area.
func publishCores(sh *sharedLayout, apics []uint32, nodes []int, chans, kchans [][]uint64, dist func(a, b int) int) {
	n := 0
	for c := range apics {
		sh.APIC[c], sh.Node[c] = apics[c], uint32(nodes[c])
		n = max(n, nodes[c]+1)
	}
	for a := range min(n, maxCores) {
		for b := range min(n, maxCores) {
			d := 20
			switch {
			case dist != nil:
				d = dist(a, b)
			case a == b:
				d = 10
			}
			sh.NodeDist[a][b] = uint8(min(max(d, 0), 255))
		}
	}
	publishFrames(&sh.Chan, chans)
	publishFrames(&sh.KChan, kchans)
	atomic.StoreUint32(&sh.Planned, uint32(len(apics)))
}

// publishFrames zeroes the frames planChannels planned and records them
// in dst.
func publishFrames(dst *[maxCores][maxCores]uint64, chans [][]uint64) {
	for i := range chans {
		for j := range chans[i] {
			if i < j {
				clear(physBytes(chans[i][j], kpi.ChannelSize))
			}
			dst[i][j] = chans[i][j]
		}
	}
}

// machine is the CPU driver's view of the other cores (monlink.Machine),
// backed by the shared area.
type machine struct {
	sh       *sharedLayout
	bootDone func() // called once core 0's monitor finished booting
}

func (m machine) planned(c int) bool {
	return c >= 0 && c < int(atomic.LoadUint32(&m.sh.Planned)) && c < maxCores
}

func (m machine) Channel(peer int) (uint64, int, bool) {
	self := ring0.Core().Index
	if peer == self || !m.planned(peer) || !m.planned(self) || m.sh.Chan[self][peer] == 0 {
		return 0, 0, false
	}
	return m.sh.Chan[self][peer], kpi.ChannelSize, true
}

func (m machine) Notify(peer int) bool {
	if peer == ring0.Core().Index || !m.planned(peer) || m.sh.status(peer) != coreUp {
		return false
	}
	trace.Add(trace.IPISend, uint16(peer), 0)
	ring0.SendNotify(m.sh.APIC[peer])
	return true
}

func (m machine) CoresUp() uint64 {
	mask := uint64(0)
	for c := 0; c < maxCores; c++ {
		if m.sh.status(c) == coreUp {
			mask |= 1 << c
		}
	}
	return mask
}

func (m machine) CoreInfo(c int) (uint32, int, bool) {
	if !m.planned(c) {
		return 0, 0, false
	}
	return m.sh.APIC[c], int(m.sh.Node[c]), true
}

func (m machine) BootDone() {
	if m.bootDone != nil {
		m.bootDone()
	}
}

// coreFacts describes the cores that are up for the SKB (core/3). Without
// a shared area (this core runs alone) it is this core.
func coreFacts(sh *sharedLayout, cores []int) []coreFact {
	if atomic.LoadUint32(&sh.Planned) == 0 {
		c := ring0.Core()
		return []coreFact{{Index: c.Index, APIC: int(c.APICID), Node: c.Node}}
	}
	var out []coreFact
	for _, c := range cores {
		out = append(out, coreFact{Index: c, APIC: int(sh.APIC[c]), Node: int(sh.Node[c])})
	}
	return out
}

// kernelMemory is the least of its share a core keeps for its CPU driver
// (its runtime, page tables, kernel stacks); the rest of the node's
// memory is for programs, as RAM capabilities (docs/capabilities.md). A
// core keeps an eighth of its share when that is more.
const kernelMemory = 32 << 20

// coreRAM is the most RAM a core's own capability starts with. What its
// node has beyond that and the CPU drivers' keep is the node's reserve,
// held by the node's memory server (the node's first core), which grants
// it to the node's cores as they run out, and to other nodes' cores when
// theirs is gone (docs/capabilities.md, "The memory service").
const coreRAM = 64 << 20

// maxReserve bounds the pieces of a node's reserve.
const maxReserve = 4

// ramPlan is where the programs' memory lies: each core's own RAM
// capability, and each node's reserve at the core that serves it.
type ramPlan struct {
	core    [][2]uint64 // by core: base and size of its RAM capability (size 0: none)
	reserve [][]span    // by core: the reserve it serves (the first core of each node)
}

// planRAM carves the programs' memory from the nodes' free memory, before
// the cores' shares (which then hold what each CPU driver keeps), and
// returns the plan and what is left. nodes[c] is core c's node. A core's
// capability is one contiguous run, the largest up to coreRAM it can
// have; a node's reserve is at most maxReserve runs.
func planRAM(nodes []int, free [][]span) (ramPlan, [][]span) {
	plan := ramPlan{core: make([][2]uint64, len(nodes)), reserve: make([][]span, len(nodes))}
	perNode := make([]uint64, len(free))
	for _, n := range nodes {
		perNode[n]++
	}
	share, keep := make([]uint64, len(free)), make([]uint64, len(free))
	for n := range free {
		if perNode[n] > 0 {
			share[n] = total(free[n]) / perNode[n]
			keep[n] = max(uint64(kernelMemory), share[n]/8)
		}
	}
	for c, n := range nodes {
		if share[n] <= keep[n] {
			continue
		}
		for size := min(share[n]-keep[n], coreRAM) &^ 0xfffff; size >= 1<<20; size = (size / 2) &^ 0xfffff {
			if base, rest, ok := carveContig(free[n], size); ok {
				free[n] = rest
				plan.core[c] = [2]uint64{base, size}
				break
			}
		}
	}
	for c, n := range nodes {
		if firstOfNode(nodes, c) != c {
			continue
		}
		kernels := perNode[n] * keep[n]
		if t := total(free[n]); t > kernels+1<<20 {
			taken, left := carve(free[n], (t-kernels)&^0xfffff)
			if len(taken) > maxReserve {
				left = append(left, taken[maxReserve:]...) // small pieces: the CPU drivers'
				taken = taken[:maxReserve]
			}
			plan.reserve[c], free[n] = taken, left
		}
	}
	return plan, free
}

// firstOfNode returns the first core of core c's node.
func firstOfNode(nodes []int, c int) int {
	for i, n := range nodes {
		if n == nodes[c] {
			return i
		}
	}
	return c
}

// planCapMemory plans the programs' memory (planRAM), records it in the
// shared area and returns what is left.
func planCapMemory(sh *sharedLayout, nodes []int, free [][]span) [][]span {
	plan, left := planRAM(nodes, free)
	for c := range nodes {
		sh.CapRAM[c] = plan.core[c]
		for i, r := range plan.reserve[c] {
			sh.ReserveRAM[c][i] = [2]uint64{r.base, r.size()}
		}
	}
	return left
}
