package proc

import (
	"encoding/binary"
	"sync/atomic"

	"multikernel/cpudriver/kpi"
)

// Core extension (cfork, docs/cfork.md; kpi.SysSpanExtend): the home
// core grows the program's cores in the span page (word spWordCores,
// which only the home writes, under the process's lock) and attaches the
// chosen shared ranges to the new core in its table and the span page
// (publishRange), before the call returns. The new core makes its
// replica when the first thread arrives (replicaFor reads the cores
// then); the other replicas read the mask from the span page whenever
// they need it (spanState.coreMask), so a thread may move there at once.

// SpanExtend is kpi.SysSpanExtend(core, bases, n). From another core
// than the home it goes home, as other calls do.
func SpanExtend(t *Thread, a [6]uint64) int64 {
	core, bases, n := a[0], a[1], a[2]
	p := t.proc
	if p.span == nil || core >= spanMaxCores || !shootTopo.All().Has(int(core)) || n > kpi.MaxRanges {
		return -kpi.EINVAL
	}
	b := make([]byte, 8*n)
	if n > 0 && t.CopyIn(bases, b) != nil {
		return -kpi.EFAULT
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.span
	mask := st.coreMask()
	switch {
	case p.exiting || st.released:
		return -kpi.ESRCH
	case mask&(1<<core) != 0:
		return -kpi.EEXIST
	}
	idx := make([]int, n)
	for j := range idx {
		base := binary.LittleEndian.Uint64(b[8*j:])
		i, ok := p.ranges.table.AtBase(base)
		if !ok {
			return -kpi.EINVAL
		}
		if _, private := privateCores(p, i); private {
			return -kpi.EINVAL
		}
		idx[j] = i
	}
	for _, i := range idx {
		p.ranges.table.Attach(i, int(core)) // checked above: a live shared range
		cores, _ := p.ranges.table.Cores(i)
		p.ranges.shot[i] = cores
		p.publishRange(i, cores, p.ranges.table.Slot(i), i+1)
	}
	atomic.StoreUint64(spanWord(st.page, spWordCores), mask|1<<core)
	return 0
}

// privateCores returns live range i's cores and whether it is private.
// The process's lock is held, at home.
func privateCores(p *Process, i int) (uint64, bool) {
	cores, _ := p.ranges.table.Cores(i)
	return cores, cores&(cores-1) == 0
}
