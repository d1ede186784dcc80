package main

import (
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/ring0"
	"multikernel/cpudriver/trace"
)

// Tracing (docs/trace.md): with the trace option every core records
// into a ring of its own pool's memory (startTrace) and publishes it in
// the shared area; the bootstrap core alone drains the rings, every
// traceEvery and once more before a poweroff, into QEMU's debug console
// (kpi.TracePort), which QEMU writes to a file.

const (
	// traceRecords is each core's ring, in events: what a core may
	// record between two drains (Barrelfish kept 20,000 per core).
	traceRecords = 16384
	// traceEvery is how often the bootstrap core drains the rings.
	traceEvery = 100 * time.Millisecond
	// traceMaxRecords bounds the size a ring's header may claim before
	// the bootstrap core maps it: a core's ring is never bigger.
	traceMaxRecords = 1 << 20
)

// startTrace makes this core's ring, records the events of m into it
// from now on, and returns the ring's physical address (0 if it records
// nothing). It runs before the core starts its other goroutines.
func startTrace(m trace.Mask) uint64 {
	if m == 0 {
		return 0
	}
	c := ring0.Core()
	size := (uint64(trace.RingWords(traceRecords))*8 + 4095) &^ 4095
	pa, n := ring0.TakeMemory(size)
	if n < uint64(trace.RingWords(64))*8 {
		console("trace: core %d: no memory for a trace ring; it records nothing\n", c.Index)
		return 0
	}
	r := trace.NewRing(ringWords(pa, n), uint8(c.Index))
	trace.Start(r, m, ring0.Nanotime)
	return pa
}

// ringWords returns n bytes of physical memory at pa as words.
func ringWords(pa, n uint64) []uint64 {
	b := ring0.PhysBytes(pa, int(n))
	return trace.Words(unsafe.Pointer(&b[0]), len(b))
}

// publishTrace tells the bootstrap core where core c's ring is.
func publishTrace(sh *sharedLayout, c int, pa uint64) {
	if sh != nil && pa != 0 {
		atomic.StoreUint64(&sh.Trace[c], pa)
	}
}

// traceDrain is the bootstrap core's drainer of every core's ring.
type traceDrain struct {
	sh      *sharedLayout
	mu      sync.Mutex // orders drains: the loop's and finish's
	d       trace.Drainer
	rings   [maxCores]*trace.Ring
	events  uint64
	done    bool
	present bool
}

// startTraceDrain starts draining (nil if this boot does not trace, or
// QEMU has no debug console to write to).
func startTraceDrain(sh *sharedLayout, m trace.Mask) *traceDrain {
	if m == 0 {
		return nil
	}
	if ring0.PortIn(kpi.TracePort, 1) != kpi.TracePort {
		console("trace: no debug console at port %#x (QEMU's -device isa-debugcon,iobase=%#x): the cores' rings are not drained\n", kpi.TracePort, kpi.TracePort)
		return nil
	}
	t := &traceDrain{sh: sh, present: true}
	t.d.Write = func(b []byte) { ring0.PortWrite(kpi.TracePort, b) }
	console("trace: recording %v on every core, drained every %v to the debug console at port %#x\n", m, traceEvery, kpi.TracePort)
	go func() {
		for {
			time.Sleep(traceEvery)
			if !t.drain(false) {
				return
			}
		}
	}()
	return t
}

// drain writes what every published ring holds; with last, each core's
// closing chunk too, and no drain follows. It reports whether draining
// goes on.
func (t *traceDrain) drain(last bool) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return false
	}
	for c := range t.rings {
		r := t.ring(c)
		if r != nil {
			t.events += uint64(t.d.Drain(r, last))
		}
	}
	t.done = last
	return !last
}

// ring returns core c's ring, opening it the first time it is
// published; nil if there is none (or its header does not hold up).
func (t *traceDrain) ring(c int) *trace.Ring {
	if t.rings[c] != nil {
		return t.rings[c]
	}
	pa := atomic.LoadUint64(&t.sh.Trace[c])
	if pa == 0 {
		return nil
	}
	n, ok := trace.PeekCap(ringWords(pa, trace.HeaderWords*8))
	if !ok || n > traceMaxRecords {
		return nil
	}
	if r, ok := trace.OpenRing(ringWords(pa, uint64(trace.RingWords(n))*8)); ok && r.Core() == uint8(c) {
		t.rings[c] = r
	}
	return t.rings[c]
}

// finish drains the rings a last time, before the poweroff, and reports
// what the trace holds.
func (t *traceDrain) finish() {
	if t == nil {
		return
	}
	t.drain(true)
	cores, dropped := 0, uint64(0)
	for _, r := range t.rings {
		if r != nil {
			cores++
			dropped += r.Dropped()
		}
	}
	console("trace: %d events of %d cores written to the debug console, %d dropped (a ring was full)\n", t.events, cores, dropped)
}
