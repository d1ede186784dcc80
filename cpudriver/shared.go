package main

import (
	"sync/atomic"
	"time"
	"unsafe"

	"multikernel/cpudriver/ring0"
)

// maxCores bounds the cores the system starts.
const maxCores = 64

// Core states in sharedLayout.Status.
const (
	coreNone = iota
	coreStarting
	coreUp
)

// sharedLayout is the region every core maps (through the direct map): the
// only memory cores write in common. It is set up by the bootstrap core
// before it starts any other core. Status[i] is written by core i (and by
// the bootstrap core before core i starts) with atomic stores; Oops[i] is
// written by core i only, State last.
type sharedLayout struct {
	ring0.SharedArea
	_      [48]byte
	Status [maxCores]uint32
	// Ended[i] counts the programs core i has finished (or failed to
	// start), Failed[i] those that ended badly; written by core i only.
	Ended  [maxCores]int32
	Failed [maxCores]int32
	// MonitorUp[i] is set by core i: monitorIsUp once its monitor
	// reported up, monitorFailed if it could not start or ended.
	MonitorUp [maxCores]uint32
	Oops      [maxCores]ring0.OopsRecord

	// Written by the bootstrap core before it starts any other core and
	// read-only afterwards (Planned last, atomically): how many cores
	// were planned, each one's local APIC id and NUMA node, and the
	// physical address of the URPC channel frame of each pair of cores
	// (Chan[i][j] == Chan[j][i]; 0 for none; the frame itself is written
	// by the monitors of cores i and j only, mesh.go).
	Planned uint32
	APIC    [maxCores]uint32
	Node    [maxCores]uint32
	Chan    [maxCores][maxCores]uint64
	// KChan[i][j] is the physical address of the frame of the CPU
	// drivers' own channel between cores i and j (cpudriver/kmesh),
	// planned like Chan; the frame is written by the CPU drivers of
	// cores i and j only, each its own control lines and ring.
	KChan [maxCores][maxCores]uint64
	// NodeDist[a][b] is the distance from node a to node b (ACPI's SLIT,
	// or 10 within a node and 20 across without one), planned like Node:
	// the other cores do not read the SLIT, and the spanning programs'
	// shootdown trees need it (proc.SetTopology).
	NodeDist [maxCores][maxCores]uint8
	// NodeMem[n] lists node n's memory ranges (base, size; size 0 ends
	// the list) as ACPI's SRAT gives them, planned like Node: the other
	// cores do not read the SRAT, and get_mempolicy tells a program the
	// node of its pages from them (proc.SetNodeMemory). Empty without a
	// SRAT, when all memory is node 0's.
	NodeMem [maxCores][maxNodeRanges][2]uint64
	// CapRAM[i] is the memory (base, size) set aside on core i's node for
	// the capabilities of core i (its RAM capability); size 0 for none.
	CapRAM [maxCores][2]uint64
	// ReserveRAM[i] is the node's reserve core i serves as its node's
	// memory server (base, size; size 0 ends the list), for the memory
	// service; empty for all but each node's first core.
	ReserveRAM [maxCores][maxReserve][2]uint64

	// StartDone is set by the bootstrap core (atomically) once it
	// stopped waiting for the other cores: a core not up by then is
	// given up on.
	StartDone uint32
	// KmeshDone[i] is set by core i (atomically) once it pinged every
	// other core that is up over the CPU drivers' mesh, after
	// KmeshAnswered[i], bit j for each core j whose CPU driver answered.
	KmeshDone     [maxCores]uint32
	KmeshAnswered [maxCores]uint64

	// Ready[i] is set by core i once it saw Booted and reported its idle
	// memory, just before it starts its programs.
	Ready [maxCores]uint32

	// Booted is set by the bootstrap core (atomically) once the system is
	// up: every core came up or was given up on, and core 0's monitor
	// finished its boot-time work (or there is no monitor). Programs
	// start after it.
	Booted uint32

	// Trace[i] is the physical address of core i's trace ring
	// (cpudriver/trace), set by core i (atomically) once it made it, 0
	// while it has none; the ring's header says its size. The bootstrap
	// core drains it (tracing.go).
	Trace [maxCores]uint64
}

// sharedSize is the region's size, rounded up to pages.
const sharedSize = (unsafe.Sizeof(sharedLayout{}) + 4095) &^ 4095

// sharedAt returns the shared area at va, nil when there is none.
func sharedAt(va uintptr) *sharedLayout {
	if va == 0 {
		return nil
	}
	return (*sharedLayout)(unsafe.Add(unsafe.Pointer(nil), va))
}

func (s *sharedLayout) setStatus(core int, st uint32) { atomic.StoreUint32(&s.Status[core], st) }
func (s *sharedLayout) status(core int) uint32        { return atomic.LoadUint32(&s.Status[core]) }

func (s *sharedLayout) programEnded(core int, ok bool) {
	if !ok {
		atomic.AddInt32(&s.Failed[core], 1)
	}
	atomic.AddInt32(&s.Ended[core], 1)
}

// programsEnded returns how many programs have ended on all cores and how
// many of them failed.
func (s *sharedLayout) programsEnded() (ended, failed int) {
	for i := range s.Ended {
		ended += int(atomic.LoadInt32(&s.Ended[i]))
		failed += int(atomic.LoadInt32(&s.Failed[i]))
	}
	return ended, failed
}

// upCores lists the cores among the first n whose status is up.
func upCores(s *sharedLayout, n int) []int {
	var up []int
	for i := 0; i < n && i < maxCores; i++ {
		if s.status(i) == coreUp {
			up = append(up, i)
		}
	}
	return up
}

// Monitor states in sharedLayout.MonitorUp.
const (
	monitorIsUp   = 1
	monitorFailed = 2
)

func (s *sharedLayout) setMonitor(core int, st uint32) { atomic.StoreUint32(&s.MonitorUp[core], st) }
func (s *sharedLayout) monitor(core int) uint32        { return atomic.LoadUint32(&s.MonitorUp[core]) }

func (s *sharedLayout) setBooted()   { atomic.StoreUint32(&s.Booted, 1) }
func (s *sharedLayout) booted() bool { return atomic.LoadUint32(&s.Booted) != 0 }

// waitBooted waits (within bound) until the bootstrap core says the
// system is up, and reports whether it did.
func waitBooted(s *sharedLayout, bound time.Duration) bool {
	deadline := time.Now().Add(bound)
	for !s.booted() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}

func (s *sharedLayout) setReady(core int) { atomic.StoreUint32(&s.Ready[core], 1) }

// waitReady waits (within bound) until every core in cores is ready or
// has died, so that a poweroff does not cut their reports short.
func waitReady(s *sharedLayout, cores []int, bound time.Duration) {
	deadline := time.Now().Add(bound)
	for _, c := range cores {
		for atomic.LoadUint32(&s.Ready[c]) == 0 && atomic.LoadUint32(&s.Oops[c].State) == 0 && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
	}
}
