package proc

import (
	"sync"
	"sync/atomic"

	"multikernel/cpudriver/addrspace"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/ranges"
	"multikernel/cpudriver/ring0"
)

// Address ranges (docs/ranges.md; kpi.SysRangeNew to kpi.SysRangeInfo;
// the calls in range_calls.go, faults and the end in range_faults.go).
// The program's table of ranges (package ranges: each range's index,
// PML4 slot and cores) is its home core's, under the process's lock; a
// spanning program's home also publishes, in the span page, each live
// range's cores (word spRangesOff/8+index) and each range slot's index
// (byte spRangeSlotsOff+slot: index+1, 0 for an ordinary slot), before
// the call that made or deleted the range returns, for the other cores.
//
// A private range is held by its core alone (rangeState.held of that
// core's Process, home or replica): its calls, faults and kernel copies
// run there, with no message, and its tables hang from that core's root
// only. A shared range is held by the home core: its pages and tables
// are the space's, below the range root; a core attached to it copies
// the range root's entry into its own root on its first fault there
// (syncEntry, as syncSlot copies the home root's), and its changes are
// flushed on the attached cores only (shootCores). Calls on a shared
// range from another core go home as other calls do.

// rangeState is a program's ranges on one core.
type rangeState struct {
	// mu orders this core's range calls (a private range's delete
	// against its maps); taken before the process's lock, never by a
	// fault.
	mu sync.Mutex

	// Guarded by the process's lock: table (home only), the program's
	// ranges; held, by index, this core's private ranges and (home) the
	// shared ones; msgs (home), the shootdown messages each range's
	// changes sent.
	table ranges.Table
	held  map[int]*addrspace.Range
	msgs  [kpi.MaxRanges]uint64
	// shot (home), by index, the cores a shared range was ever attached
	// to: its flushes reach them, also while it is being deleted (when
	// the table no longer names its cores).
	shot [kpi.MaxRanges]uint64

	// private is the memory this core's private ranges take, kept
	// until the program ends here; used: some range took from it.
	// Guarded by the process's lock.
	private addrspace.PrivateMemory
	used    bool
}

// atHome reports whether this core holds the program's space.
func (p *Process) atHome() bool { return p.span == nil || !p.span.replica }

// callerCore returns the core t's call comes from (a proxy's thread's).
func (t *Thread) callerCore() int {
	if t.proxy {
		return t.proxyCore
	}
	return ring0.Core().Index
}

// allowedCores returns the cores the program may run on.
func (p *Process) allowedCores() uint64 {
	if p.span != nil {
		return p.span.coreMask()
	}
	return 1 << ring0.Core().Index
}

// rangeWord is the span page word of range i's cores.
func rangeWord(page uint64, i int) *uint64 { return spanWord(page, spRangesOff/8+i) }

// slotWord is the span page word that holds PML4 slot s's byte.
func slotWord(page uint64, s int) *uint64 { return spanWord(page, spRangeSlotsOff/8+s/8) }

// spanRangeAt returns, from the span page, the range index of va's PML4
// slot and whether the slot is a range's (live or retired).
func spanRangeAt(page, va uint64) (int, bool) {
	s, ok := ranges.PML4(va)
	if !ok {
		return 0, false
	}
	b := byte(atomic.LoadUint64(slotWord(page, s)) >> (8 * (s % 8)))
	return int(b) - 1, b != 0
}

// rangeAtLocked returns the live range holding va, as this core knows
// the ranges: the table at home, the span page elsewhere. The process's
// lock is held.
func (p *Process) rangeAtLocked(va uint64) (int, bool) {
	if p.atHome() {
		return p.ranges.table.At(va)
	}
	i, ok := spanRangeAt(p.span.page, va)
	if !ok {
		return 0, false
	}
	_, live := p.rangeCoresLocked(i)
	return i, live
}

// liveRangeLocked returns the live range holding va and its cores, as
// this core knows them (ok false if none). The process's lock is held.
func (p *Process) liveRangeLocked(va uint64) (i int, cores uint64, ok bool) {
	if i, ok = p.rangeAtLocked(va); ok {
		cores, ok = p.rangeCoresLocked(i)
	}
	return i, cores, ok
}

// isRangeSlot reports whether va lies in a range's slot, live or
// retired, as this core knows it.
func (p *Process) isRangeSlot(va uint64) bool {
	if p.span != nil && p.span.replica {
		_, ok := spanRangeAt(p.span.page, va)
		return ok
	}
	s, _ := ranges.PML4(va)
	return p.ranges.table.IsRangeSlot(s)
}

// rangeCoresLocked returns the cores of live range i as this core knows
// them. The process's lock is held.
func (p *Process) rangeCoresLocked(i int) (uint64, bool) {
	if p.atHome() {
		return p.ranges.table.Cores(i)
	}
	w := atomic.LoadUint64(rangeWord(p.span.page, i))
	return w, w != 0
}

// publishRange (home) tells the other cores range i's cores (0: none)
// and its slot's index (slotIndex: i+1; 0: the slot is ordinary again).
func (p *Process) publishRange(i int, cores uint64, slot int, slotIndex int) {
	if p.span == nil {
		return
	}
	atomic.StoreUint64(rangeWord(p.span.page, i), cores)
	w := slotWord(p.span.page, slot)
	shift := 8 * uint(slot%8)
	atomic.StoreUint64(w, atomic.LoadUint64(w)&^(0xff<<shift)|uint64(slotIndex)<<shift) // the home alone writes it
}

// runRoot returns this core's page-table root for the program; the
// process's lock is held and, at home, the space is there.
func (p *Process) runRoot() uint64 {
	if !p.atHome() {
		return p.span.root
	}
	return p.space.Root()
}
