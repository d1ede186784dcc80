package main

import (
	"fmt"
	"sync/atomic"

	"multikernel/cpudriver/ring0"
	"multikernel/libos/sys"
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

// planChannels carves one sys.ChannelSize frame per pair of the cores
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
		base, rest, ok := carveContig(work[node], uint64(k)*sys.ChannelSize)
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
			next[node] += sys.ChannelSize
		}
	}
	return chans, work, nil
}

// publishCores records every planned core's APIC id and node, and the
// channel frames, zeroed, in the shared area.
func publishCores(sh *sharedLayout, apics []uint32, nodes []int, chans [][]uint64) {
	for c := range apics {
		sh.APIC[c], sh.Node[c] = apics[c], uint32(nodes[c])
	}
	for i := range chans {
		for j := range chans[i] {
			if i < j {
				clear(physBytes(chans[i][j], sys.ChannelSize))
			}
			sh.Chan[i][j] = chans[i][j]
		}
	}
	atomic.StoreUint32(&sh.Planned, uint32(len(apics)))
}

// machine is package proc's view of the other cores (proc.Machine),
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
	return m.sh.Chan[self][peer], sys.ChannelSize, true
}

func (m machine) Notify(peer int) bool {
	if peer == ring0.Core().Index || !m.planned(peer) || m.sh.status(peer) != coreUp {
		return false
	}
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
// (its runtime, page tables, kernel stacks); the rest becomes the core's
// RAM capability, from which its processes get their memory
// (docs/capabilities.md). A core keeps an eighth of its share when that
// is more.
const kernelMemory = 32 << 20

// planCapMemory carves each core's RAM capability from its node's free
// memory, before the cores' shares (which then hold what each CPU driver
// keeps), records it in the shared area and returns what is left. Where
// the node's memory is in pieces, the core gets the largest run it can.
func planCapMemory(sh *sharedLayout, nodes []int, free [][]span) [][]span {
	perNode := make([]uint64, len(free))
	for _, n := range nodes {
		perNode[n]++
	}
	share := make([]uint64, len(free))
	for n := range free {
		if perNode[n] > 0 {
			share[n] = total(free[n]) / perNode[n]
		}
	}
	for c, n := range nodes {
		keep := max(uint64(kernelMemory), share[n]/8)
		if share[n] <= keep {
			continue
		}
		for size := (share[n] - keep) &^ 0xfffff; size >= 1<<20; size = (size / 2) &^ 0xfffff {
			if base, rest, ok := carveContig(free[n], size); ok {
				free[n] = rest
				sh.CapRAM[c] = [2]uint64{base, size}
				break
			}
		}
	}
	return free
}
