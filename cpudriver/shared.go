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
	Oops   [maxCores]ring0.OopsRecord
}

// sharedSize is the region's size, rounded up to pages.
const sharedSize = (unsafe.Sizeof(sharedLayout{}) + 4095) &^ 4095

func sharedAt(va uintptr) *sharedLayout { return (*sharedLayout)(unsafe.Add(unsafe.Pointer(nil), va)) }

func (s *sharedLayout) setStatus(core int, st uint32) { atomic.StoreUint32(&s.Status[core], st) }
func (s *sharedLayout) status(core int) uint32        { return atomic.LoadUint32(&s.Status[core]) }
