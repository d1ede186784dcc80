package proc

import (
	"math/bits"
	"sync/atomic"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/ring0"
	"multikernel/cpudriver/span"
)

// Dedicated cores (kpi.SysSpanDedicate, docs/kcore.md): a thread of a
// spanning program pinned to its core alone takes that core for itself,
// as Corey's kernel cores are. The core's bit in span page word 6 tells
// the program's other cores, which then place no new thread there
// (spanState.place) and let no thread's affinity name it (Undedicated);
// the program's threads already on the core are sent elsewhere before
// they next enter ring 3, as are threads that reach it later (Start).
// Only the core itself changes its bit (compare-and-swap, as others
// change theirs), and only its thread's calls and end change
// spanState.dedicated.

// dedicatedMask returns the program's dedicated cores.
func (st *spanState) dedicatedMask() uint64 {
	return atomic.LoadUint64(spanWord(st.page, spWordDedicated))
}

// SpanDedicate is kpi.SysSpanDedicate(on): it runs on the caller's core
// (rangeLocal).
func SpanDedicate(t *Thread, a [6]uint64) int64 {
	st := t.proc.span
	if st == nil || a[0] > 1 {
		return -kpi.EINVAL
	}
	self := ring0.Core().Index
	if a[0] == 0 {
		if st.dedicated.Load() != t {
			return -kpi.EINVAL
		}
		t.endDedication()
		return 0
	}
	if t.Affinity() != 1<<self {
		return -kpi.EINVAL
	}
	if st.dedicated.Load() == t {
		return 0
	}
	p := t.proc
	p.mu.Lock()
	defer p.mu.Unlock()
	w := spanWord(st.page, spWordDedicated)
	for {
		old := atomic.LoadUint64(w)
		next, ok := span.Dedicate(old, st.coreMask(), self)
		if !ok {
			return -kpi.EBUSY // another thread has the core, or no core would be left
		}
		if atomic.CompareAndSwapUint64(w, old, next) {
			break
		}
	}
	// Under the lock, as newThread registers a thread: one made from
	// here on finds the core dedicated when it starts (Start), one made
	// before is in the table.
	st.dedicated.Store(t)
	for _, o := range p.threads {
		if o != t && !o.proxy && !o.moved {
			o.leaveDedicatedLocked()
		}
	}
	return 0
}

// leaveDedicatedLocked sends t, a thread on a core dedicated to another,
// to one of its cores that is not dedicated before it next enters ring
// 3; its affinity loses the dedicated cores. The process's lock is held.
func (t *Thread) leaveDedicatedLocked() {
	st := t.proc.span
	aff := span.Undedicated(t.Affinity(), st.coreMask(), st.dedicatedMask())
	if aff == 0 {
		return // every core is dedicated: cannot happen (span.Dedicate leaves one), and nowhere to go
	}
	t.affinity = aff
	if aff&(1<<ring0.Core().Index) == 0 {
		t.moveTo = bits.TrailingZeros64(aff) + 1
		t.attn.Store(true)
	}
}

// endDedication gives the core back to the program if t holds it: its
// SysSpanDedicate(0), its end, a new affinity of its own.
func (t *Thread) endDedication() {
	st := t.proc.span
	if st == nil || !st.dedicated.CompareAndSwap(t, nil) {
		return
	}
	atomic.AndUint64(spanWord(st.page, spWordDedicated), ^(uint64(1) << st.self))
}

// Undedicated returns the cores of mask that t may be given by
// sched_setaffinity: mask less the cores dedicated to other threads (t's
// own core stays if t holds it). 0: none.
func (p *Process) Undedicated(t *Thread, mask uint64) uint64 {
	st := p.span
	if st == nil {
		return mask
	}
	ded := st.dedicatedMask()
	if st.dedicated.Load() == t {
		ded &^= 1 << st.self
	}
	return mask &^ ded
}
