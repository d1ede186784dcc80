package main

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"multikernel/cpudriver/kmesh"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/ring0"
)

// The CPU drivers' own mesh (cpudriver/kmesh): the frames are planned
// with the monitors' (bootstrap.go, mesh.go) and recorded in the shared
// area's KChan; each core opens its end before it starts its monitor,
// pings every other core that is up and records who answered
// (KmeshDone, KmeshAnswered: written by that core only); the bootstrap
// core reports the whole mesh and, with kmesh-bench, measures it.

// kmeshMachine is a core's kmesh.Machine, over the shared area.
type kmeshMachine struct{ m machine }

func (k kmeshMachine) Self() int            { return ring0.Core().Index }
func (k kmeshMachine) Cores() int           { return int(atomic.LoadUint32(&k.m.sh.Planned)) }
func (k kmeshMachine) Up(peer int) bool     { return k.m.sh.status(peer) == coreUp }
func (k kmeshMachine) Notify(peer int) bool { return k.m.Notify(peer) }

// Frame returns the kmesh frame of this core and peer, through the
// direct map.
func (k kmeshMachine) Frame(peer int) []byte {
	self := k.Self()
	if peer == self || !k.m.planned(peer) || !k.m.planned(self) || k.m.sh.KChan[self][peer] == 0 {
		return nil
	}
	return physBytes(k.m.sh.KChan[self][peer], kpi.ChannelSize)
}

// kmeshPingWait bounds how long a core waits for its boot pings' pongs: a
// peer that is up opens its end within it.
const kmeshPingWait = 10 * time.Second

// startKmesh opens this core's end of the CPU drivers' mesh (after
// notify.Start) and pings every other core that is up, in the
// background.
func startKmesh(sh *sharedLayout, verbose bool) {
	c := ring0.Core().Index
	n, err := kmesh.Start(kmeshMachine{machine{sh: sh}})
	if err != nil {
		console("cpudriver: core %d: kmesh: %v\n", c, err)
		atomic.StoreUint32(&sh.KmeshDone[c], 1) // nobody answers: reported
		return
	}
	go func() {
		start := ring0.Nanotime()
		mask := pingPeers(sh, c)
		atomic.StoreUint64(&sh.KmeshAnswered[c], mask)
		atomic.StoreUint32(&sh.KmeshDone[c], 1)
		if verbose {
			console("kmesh: core %d: %d channels open, %d peers answered a ping (%d ms)\n",
				c, n, popcount(mask), (ring0.Nanotime()-start)/1e6)
		}
	}()
}

// pingPeers pings every other planned core once it is up (skipping those
// the bootstrap core gave up on), all at once, and returns those that
// answered within kmeshPingWait, bit j for core j.
func pingPeers(sh *sharedLayout, self int) uint64 {
	var mask atomic.Uint64
	var wg sync.WaitGroup
	for p := 0; p < int(atomic.LoadUint32(&sh.Planned)) && p < maxCores; p++ {
		if p == self {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !waitUp(sh, p) {
				return
			}
			if _, err := kmesh.Local().Ping(p, kmeshPingWait); err == nil {
				mask.Or(1 << p)
			}
		}()
	}
	wg.Wait()
	return mask.Load()
}

// waitUp waits until core p is up and reports whether it is; false once
// the bootstrap core stopped waiting for it.
func waitUp(sh *sharedLayout, p int) bool {
	for sh.status(p) != coreUp {
		if atomic.LoadUint32(&sh.StartDone) != 0 && sh.status(p) != coreUp {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}

func popcount(m uint64) int {
	n := 0
	for ; m != 0; m &= m - 1 {
		n++
	}
	return n
}

// reportKmesh waits (within kmeshPingWait and a little) until every core
// in cores pinged its peers, or died, and prints the mesh's state in one
// line; it reports whether every pair of cores that did not die and has
// a frame answered both ways (a core that died has its oops reported
// anyway; a mesh without frames, for want of memory, was reported when
// it was planned).
func reportKmesh(sh *sharedLayout, all []int) bool {
	deadline := time.Now().Add(kmeshPingWait + 5*time.Second)
	dead := func(c int) bool { return atomic.LoadUint32(&sh.Oops[c].State) != 0 }
	for _, c := range all {
		for atomic.LoadUint32(&sh.KmeshDone[c]) == 0 && !dead(c) && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
	}
	var cores []int
	for _, c := range all {
		if !dead(c) {
			cores = append(cores, c)
		}
	}
	frames := 0
	planned := int(atomic.LoadUint32(&sh.Planned))
	for i := 0; i < planned; i++ {
		for j := i + 1; j < planned; j++ {
			if sh.KChan[i][j] != 0 {
				frames++
			}
		}
	}
	pairs, ok := 0, 0
	var missing []string
	for _, i := range cores {
		got := atomic.LoadUint64(&sh.KmeshAnswered[i])
		for _, j := range cores {
			if i == j || sh.KChan[i][j] == 0 {
				continue // no frame: memory was short, and the plan said so
			}
			pairs++
			if got&(1<<j) != 0 {
				ok++
			} else {
				missing = append(missing, fmt.Sprintf("%d->%d", i, j))
			}
		}
	}
	line := fmt.Sprintf("kmesh: %d cores, %d channels", len(cores), pairs)
	switch {
	case len(cores) > 1 && frames == 0:
		line = fmt.Sprintf("kmesh: %d cores, no channel frames: the CPU drivers are not connected", len(cores))
	case ok == pairs:
		line += " connected"
	default:
		line += fmt.Sprintf(", %d connected; no answer on %s", ok, strings.Join(missing, " "))
	}
	console("%s (%d frames, %d KiB)\n", line, frames, frames*kpi.ChannelSize>>10)
	return ok == pairs
}

// kmeshBenchRounds is the round trips in each median of kmesh-bench.
const kmeshBenchRounds = 200

// kmeshBench measures the one-way latency from this core's CPU driver to
// every other core's that is up (kmesh-bench), one line per peer.
func kmeshBench(sh *sharedLayout, cores []int) {
	self := ring0.Core()
	hz := float64(self.TSCHz)
	us := func(c int64) float64 { return float64(c) / hz * 1e6 }
	if kmesh.Local() == nil {
		console("kmesh-bench: the CPU drivers' mesh is not open\n")
		return
	}
	for _, p := range cores {
		if p == self.Index {
			continue
		}
		r, err := kmesh.Local().Bench(p, kmeshBenchRounds, 30*time.Second)
		if err != nil {
			console("kmesh-bench: core %d -> core %d: %v\n", self.Index, p, err)
			continue
		}
		console("kmesh-bench: core %d -> core %d (node %d -> %d), median of %d: one-way polling %d cycles (%.2f us), sleeping %d cycles (%.2f us)\n",
			self.Index, p, self.Node, sh.Node[p], r.Rounds, r.Polling, us(r.Polling), r.Sleeping, us(r.Sleeping))
	}
}
