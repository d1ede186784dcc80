package proc

import (
	"encoding/binary"
	"sync/atomic"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/ring0"
)

// A spanning program's counts (kpi.SysSpanInfo): what its cores did that
// emulation cannot distort. Each core counts in its own words of the span
// page (span.go: words spWordCount0+spCoreStride*c on, written by core c
// alone with atomic adds, read by the home core with atomic loads); the
// home core's shootdowns are counted in its heap (shootStats).

// The counters of a core's words.
const (
	spCallsHome = 0 // calls and page faults sent to the home core (remoteCallMsg)
	spClaims    = 1 // reserved pages claimed with no message (localFault)
	spForeign   = 2 // page-table pages of the home's this core wrote (foreign)
)

// count adds n to this core's counter w. Only this core's CPU driver
// writes its words.
func (st *spanState) count(w int, n uint64) {
	atomic.AddUint64(spanWord(st.page, spWordCount0+spCoreStride*st.self+w), n)
}

// wroteForeign notes that this replica's claim wrote an entry of the
// home's page-table page at table: a page written by more than one core.
func (st *spanState) wroteForeign(table uint64) {
	st.count(spClaims, 1)
	st.foreignMu.Lock()
	defer st.foreignMu.Unlock()
	if st.foreign[table] {
		return
	}
	if st.foreign == nil {
		st.foreign = map[uint64]bool{}
	}
	st.foreign[table] = true
	st.count(spForeign, 1)
}

// SpanInfo is kpi.SysSpanInfo. It runs at the home core (a replica sends
// it there, as every call not in replicaLocal).
func SpanInfo(t *Thread, a [6]uint64) int64 {
	var w [kpi.SpanInfoWords]uint64
	st := t.proc.span
	if st == nil {
		w[0] = 1 << ring0.Core().Index
	} else {
		w[0] = st.coreMask()
		w[1], w[2], w[3] = st.shots.shoots.Load(), st.shots.messages.Load(), st.shots.crossNode.Load()
		for c := 0; c < spanMaxCores; c++ {
			if w[0]&(1<<c) == 0 {
				continue
			}
			for i := range 3 {
				w[4+i] += atomic.LoadUint64(spanWord(st.page, spWordCount0+spCoreStride*c+i))
			}
		}
		w[7] = st.dedicatedMask()
	}
	var b [kpi.SpanInfoWords * 8]byte
	for i, v := range w {
		binary.LittleEndian.PutUint64(b[i*8:], v)
	}
	if t.CopyOut(a[0], b[:]) != nil {
		return -kpi.EFAULT
	}
	return 0
}
