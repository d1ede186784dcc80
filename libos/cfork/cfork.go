// Package cfork extends a running program onto another core, Corey's
// cfork (docs/cfork.md): the program stays one process with one address
// space, and gains a core on which its threads may run, with a chosen
// set of its shared address ranges attached to that core and a chosen
// set of references (shares among them) in that core's root share. What
// is not given is not there: a range not attached faults on the new
// core, and the new core's root share holds only what was passed.
//
// The program must span cores already (started with @A-B, @node:N, or
// @N-N for one core); it grows from there.
//
// Example (apps/cfork):
//
//	s := shares.Root(0)                     // this core's, core 0
//	id, _ := s.Add(shares.Ref{Kind: shares.Range, Value: uint64(r.Base())})
//	err := cfork.Go(2, cfork.Grant{Ranges: []*ranges.Range{r}, Refs: []shares.Ref{s.Ref()}},
//		func(root *shares.Share, ids []shares.ID) {
//			ref, _ := root.Lookup(ids[0])   // core 2's root share: s
//			passed, _ := shares.Nest(ref)
//			rr, _ := passed.Lookup(id)      // r's base: r is attached here
//		})
package cfork

import (
	"fmt"
	"runtime"
	"syscall"
	"unsafe"

	"multikernel/cpudriver/kpi"
	mc "multikernel/libos/cores"
	"multikernel/libos/ranges"
	"multikernel/libos/shares"
)

// Grant is what a new core gets.
type Grant struct {
	// Ranges are shared ranges of the program to attach to the new core
	// too (a private range stays its core's: EINVAL).
	Ranges []*ranges.Range
	// Refs go into the new core's root share, in order (a share is
	// passed by its Ref: shares.Nest finds it again).
	Refs []shares.Ref
}

// Extend grows the program onto core with g and returns the ids of
// g.Refs in core's root share. If GOMAXPROCS was the number of cores the
// program had (Go's default), it grows by one too.
func Extend(core int, g Grant) ([]shares.ID, error) {
	before := mc.List(mc.Affinity())
	bases := make([]uint64, len(g.Ranges)+1)
	for i, r := range g.Ranges {
		bases[i] = uint64(r.Base())
	}
	if _, _, e := syscall.RawSyscall(kpi.SysSpanExtend, uintptr(core), uintptr(unsafe.Pointer(&bases[0])), uintptr(len(g.Ranges))); e != 0 {
		return nil, fmt.Errorf("cfork onto core %d: %w", core, e)
	}
	for _, r := range g.Ranges {
		r.AddCore(core)
	}
	if runtime.GOMAXPROCS(0) == len(before) {
		runtime.GOMAXPROCS(len(before) + 1)
	}
	ids := make([]shares.ID, len(g.Refs))
	var err error
	// A root share is changed from its own core only: fill it there.
	if e := mc.OnEach([]int{core}, func(int, int) {
		root := shares.Root(core)
		for i, r := range g.Refs {
			if ids[i], err = root.Add(r); err != nil {
				return
			}
		}
	}); e != nil {
		return nil, fmt.Errorf("cfork onto core %d: to its root share: %w", core, e)
	}
	if err != nil {
		return nil, fmt.Errorf("cfork onto core %d: to its root share: %w", core, err)
	}
	return ids, nil
}

// Go is Extend, then runs f on the new core (its goroutine pinned
// there) with that core's root share and the ids of g.Refs in it, and
// returns when f has.
func Go(core int, g Grant, f func(root *shares.Share, ids []shares.ID)) error {
	ids, err := Extend(core, g)
	if err != nil {
		return err
	}
	return mc.OnEach([]int{core}, func(int, int) { f(shares.Root(core), ids) })
}
