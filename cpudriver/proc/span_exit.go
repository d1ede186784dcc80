package proc

import (
	"fmt"
	"math/bits"
	"multikernel/cpudriver/trace"
	"sync/atomic"

	"multikernel/cpudriver/capsys"
	"multikernel/cpudriver/kmesh"
	"multikernel/cpudriver/ring0"
	"multikernel/urpc"
)

// The end of a spanning program (docs/spanning.md). Only the home core
// ends it: exit_group or a fatal fault on another core asks it
// (SpanDie; a kill's reason goes through the span page). The home core
// marks the program exiting as a one-core program does and sends
// SpanExit to every other core of the span; each ends its threads there,
// leaves and frees its root, and answers SpanGone with the CPU time its
// threads used. Once every core has answered and the home core's own
// threads have ended, the home core releases the capabilities and the
// address space (the shared tables with it) and reports the end.

// askHome asks the home core to end the program with status (a kill:
// reason, written to the span page if no other core wrote one first).
func (p *Process) askHome(status int, reason string) {
	st := p.span
	has := uint64(0)
	if reason != "" && atomic.CompareAndSwapUint64(spanWord(st.page, spWordReason), 0, 1) {
		r := fmt.Sprintf("on core %d, %s", st.self, reason)
		b := phys(st.page+spReasonOff, spReasonLen)
		clear(b)
		copy(b[:spReasonLen-1], r)
		has = 1
	}
	w0 := packWord0(0, spanKey{st.home, st.id}, 0)
	if err := sendWaiting(st.home, kmesh.SpanDie, spanMsg{w0, uint64(status), has}, nil); err != nil {
		p.Logf("could not ask the home core %d to end the program: %v", st.home, err)
	}
}

// onSpanDie (the home core) ends the program another core asked to end.
func onSpanDie(from int, msg urpc.Message) error {
	m := decodeSpan(msg)
	_, k, _ := unpackWord0(m[0])
	p := spanLookup(k)
	if p == nil || p.span.replica {
		return nil
	}
	reason := ""
	if m[2] != 0 {
		b := phys(p.span.page+spReasonOff, spReasonLen)
		if i := indexZero(b); i >= 0 {
			b = b[:i]
		}
		reason = string(b)
	}
	go p.exit(int(m[1]), reason)
	return nil
}

// endSpan (the home core, once exiting) sends SpanExit to the span's
// other cores, whose answers exitLocal counted as pending; a core that
// cannot be told and runs no thread of the program counts as gone.
func (p *Process) endSpan() {
	st := p.span
	w0 := packWord0(0, spanKey{st.home, st.id}, 0)
	for m := st.coreMask() &^ (1 << st.self); m != 0; m &= m - 1 {
		c := bits.TrailingZeros64(m)
		if err := sendWaiting(c, kmesh.SpanExit, spanMsg{w0}, nil); err != nil {
			if atomic.LoadUint64(coreWord(st.page, c, spLive)) != 0 {
				p.Logf("core %d runs threads of the program but cannot be told to end them: %v", c, err)
				continue // its SpanGone never comes, and the space stays
			}
			p.spanGone(0)
		}
	}
}

// onSpanExit ends this core's threads of the program (its replica), or
// answers at once when it has none.
func onSpanExit(from int, msg urpc.Message) error {
	m := decodeSpan(msg)
	_, k, _ := unpackWord0(m[0])
	spansMu.Lock()
	p := spans[k]
	if p == nil || !p.span.replica {
		spanEnded[k] = true
		spansMu.Unlock()
		return send(from, kmesh.SpanGone, spanMsg{m[0]})
	}
	spansMu.Unlock()
	go func() {
		p.exitLocal(0, "")
		p.mu.Lock()
		none := len(p.threads) == 0
		p.mu.Unlock()
		if none {
			p.replicaEnd()
		}
	}()
	return nil
}

// replicaEnd ends this core's replica once its threads have gone: it
// leaves and frees its root and answers the home core. Once only.
func (p *Process) replicaEnd() {
	st := p.span
	p.mu.Lock()
	if st.finished {
		p.mu.Unlock()
		return
	}
	st.finished = true
	cycles := p.cpuEnded
	p.mu.Unlock()
	k := spanKey{st.home, st.id}
	spansMu.Lock()
	delete(spans, k)
	spanEnded[k] = true
	spansMu.Unlock()
	p.flushOutput()
	ring0.LeaveRoot(st.root)
	atomic.StoreUint64(coreWord(st.page, st.self, spLive), 0)
	capsys.Ended(p) // the Frames this core adopted for its private ranges
	p.releaseRanges()
	ring0.FreePage(st.root)
	if err := sendWaiting(st.home, kmesh.SpanGone, spanMsg{packWord0(0, k, 0), cycles}, nil); err != nil {
		p.Logf("could not tell the home core %d that this core's threads ended: %v", st.home, err)
	}
	trace.Add(trace.ProgExit, 0, uint32(p.PID))
	close(p.done)
}

// onSpanGone (the home core) counts a core whose threads have ended.
func onSpanGone(from int, msg urpc.Message) error {
	m := decodeSpan(msg)
	_, k, _ := unpackWord0(m[0])
	if p := spanLookup(k); p != nil && !p.span.replica {
		go p.spanGone(m[1])
	}
	return nil
}

// spanGone counts one core's end (cycles: its threads' CPU time) and
// ends the program when it was the last thing the end waited for.
func (p *Process) spanGone(cycles uint64) {
	p.mu.Lock()
	p.span.pendingGone--
	p.cpuEnded += cycles
	fin := p.spanMayEndLocked()
	p.mu.Unlock()
	if fin {
		go p.finish()
	}
}

// spanMayEndLocked reports, once, whether the home core may end the
// program now: it is exiting, its local threads and every other core's
// have ended. The process's lock is held.
func (p *Process) spanMayEndLocked() bool {
	st := p.span
	if st.finished || !p.exiting || !st.localDone || st.pendingGone > 0 {
		return false
	}
	st.finished = true
	return true
}

// unregisterSpan forgets the home core's program and frees its span
// page, once its space is released.
func (p *Process) unregisterSpan() {
	st := p.span
	k := spanKey{st.home, st.id}
	spansMu.Lock()
	delete(spans, k)
	spansMu.Unlock()
	ring0.FreePage(st.slots)
	ring0.FreePage(st.page)
}
