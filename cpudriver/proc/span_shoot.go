package proc

import (
	"math/bits"
	"sync/atomic"
	"time"

	"multikernel/cpudriver/kmesh"
	"multikernel/cpudriver/ring0"
	"multikernel/urpc"
)

// TLB shootdown of a spanning program (docs/spanning.md): after the home
// core removed or reduced mappings of [start, end) in the shared tables
// and dropped its own TLB entries (addrspace.Space.Shootdown), every
// other core whose replica is live (its root may be loaded) drops its
// entries for the range and answers; the change returns once all have.
// One message per core for the whole range (unicast, sent to all before
// any answer is awaited).

// Shootdowns counts the shootdowns this core started and the messages
// they sent (for benchmarks and tests).
var Shootdowns struct {
	Started, Messages, CrossNode atomic.Uint64
}

// shootRemote is the home core's Space.Shootdown.
func (p *Process) shootRemote(start, end uint64) {
	st := p.span
	Shootdowns.Started.Add(1)
	type wait struct {
		core int
		ch   chan spanMsg
		key  uint64
	}
	var waits []wait
	w0 := packWord0(0, spanKey{st.home, st.id}, 0)
	for m := st.cores &^ (1 << st.self); m != 0; m &= m - 1 {
		c := bits.TrailingZeros64(m)
		if atomic.LoadUint64(coreWord(st.page, c, spLive)) == 0 {
			continue
		}
		key := seqKey()
		ch := awaitReply(key)
		if err := send(c, kmesh.SpanShoot, spanMsg{w0, start, end, key}); err != nil {
			dropReply(key)
			p.LogOnce("span-shoot", "shootdown to core %d not sent: %v", c, err)
			continue
		}
		Shootdowns.Messages.Add(1)
		if nodeOf(c) != nodeOf(st.self) {
			Shootdowns.CrossNode.Add(1)
		}
		waits = append(waits, wait{c, ch, key})
	}
	for _, w := range waits {
		// The receiver answers from its mesh handler, which never
		// blocks; a core that does not is reported, and waited for.
		select {
		case <-w.ch:
		case <-time.After(spanReplyWait):
			p.Logf("core %d has not answered a shootdown for %v", w.core, spanReplyWait)
			<-w.ch
		}
	}
}

// onSpanShoot drops this core's TLB entries for the range of the
// program's replica here, and answers.
func onSpanShoot(from int, msg urpc.Message) error {
	m := decodeSpan(msg)
	_, k, _ := unpackWord0(m[0])
	if p := spanLookup(k); p != nil && p.span.replica {
		ring0.FlushRange(p.span.root, m[1], m[2])
	}
	return send(from, kmesh.SpanShot, spanMsg{m[0], 0, 0, m[3]})
}

// onSpanShot counts an answer to a shootdown.
func onSpanShot(from int, msg urpc.Message) error {
	m := decodeSpan(msg)
	answer(m[3], m)
	return nil
}
