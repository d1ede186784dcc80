package main

import (
	"sync/atomic"
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
	// Programs[i] is core i's count of programs still running, and
	// Failed[i] of those that ended badly; written by core i only.
	Programs [maxCores]int32
	Failed   [maxCores]int32
	Oops   [maxCores]ring0.OopsRecord
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

func (s *sharedLayout) addPrograms(core int, n int32) { atomic.AddInt32(&s.Programs[core], n) }
func (s *sharedLayout) addFailed(core int)            { atomic.AddInt32(&s.Failed[core], 1) }

// programsRunning returns how many programs still run on all cores and
// how many have failed.
func (s *sharedLayout) programsRunning() (running, failed int) {
	for i := range s.Programs {
		running += int(atomic.LoadInt32(&s.Programs[i]))
		failed += int(atomic.LoadInt32(&s.Failed[i]))
	}
	return running, failed
}
