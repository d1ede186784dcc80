package proc

import (
	"math/bits"
	"sync/atomic"
	"time"

	"multikernel/cpudriver/kmesh"
	"multikernel/cpudriver/ring0"
	"multikernel/cpudriver/span"
	"multikernel/urpc"
)

// TLB shootdown of a spanning program (docs/spanning.md): after the home
// core removed or reduced mappings of [start, end) in the shared tables
// and dropped its own TLB entries (addrspace.Space.Shootdown), every
// other core whose replica is live (its root may be loaded) drops its
// entries for the range and answers; the change returns once all have.
// One message per core for the whole range, sent to all before any
// answer is awaited: unicast from the home core, or NUMA-aware multicast
// (ShootNUMA, the default), where the first live core of each other node
// passes it on within its node and answers for it.

// ShootNUMA selects NUMA-aware multicast for shootdowns (span.ShootRoutes:
// one message to the lowest live core of each other node, which passes it
// on within its node) instead of unicast to every core. Package main sets
// it before any program starts (option span-shootdown).
var ShootNUMA = true

// shootStats counts a spanning program's shootdowns and the messages the
// home core sent for them (those across nodes apart), reported at its end.
type shootStats struct {
	shoots, messages, crossNode atomic.Uint64
}

// shootRemote is the home core's Space.Shootdown.
func (p *Process) shootRemote(start, end uint64) {
	st := p.span
	var live uint64
	for m := st.cores &^ (1 << st.self); m != 0; m &= m - 1 {
		c := bits.TrailingZeros64(m)
		if atomic.LoadUint64(coreWord(st.page, c, spLive)) != 0 {
			live |= 1 << c
		}
	}
	if live == 0 {
		return
	}
	routes := span.ShootRoutes(live, st.self, nodeOf, ShootNUMA)
	st.shots.shoots.Add(1)
	st.shots.crossNode.Add(uint64(span.CrossNode(routes, st.self, nodeOf)))
	type wait struct {
		core int
		ch   chan spanMsg
	}
	var waits []wait
	w0 := packWord0(0, spanKey{st.home, st.id}, 0)
	for _, r := range routes {
		key := seqKey()
		ch := awaitReply(key)
		if err := send(r.Core, kmesh.SpanShoot, spanMsg{w0, start, end, key, r.Forward}); err != nil {
			dropReply(key)
			p.LogOnce("span-shoot", "shootdown to core %d not sent: %v", r.Core, err)
			continue
		}
		st.shots.messages.Add(1 + uint64(bits.OnesCount64(r.Forward)))
		waits = append(waits, wait{r.Core, ch})
	}
	for _, w := range waits {
		// A receiver answers from its mesh handler (or, passing the
		// shootdown on, once its node's cores have); one that does not
		// is reported, and waited for.
		select {
		case <-w.ch:
		case <-time.After(spanReplyWait):
			p.Logf("core %d has not answered a shootdown for %v", w.core, spanReplyWait)
			<-w.ch
		}
	}
}

// reportShootdowns prints the program's shootdown counts at its end.
func (p *Process) reportShootdowns() {
	s := &p.span.shots
	if n := s.shoots.Load(); n > 0 {
		how := "unicast"
		if ShootNUMA {
			how = "NUMA-aware multicast"
		}
		p.Logf("%d TLB shootdowns (%s): %d messages, %d of them across nodes", n, how, s.messages.Load(), s.crossNode.Load())
	}
}

// onSpanShoot drops this core's TLB entries for the range of the
// program's replica here, and answers.
func onSpanShoot(from int, msg urpc.Message) error {
	m := decodeSpan(msg)
	_, k, _ := unpackWord0(m[0])
	p := spanLookup(k)
	if p != nil && p.span.replica {
		ring0.FlushRange(p.span.root, m[1], m[2])
	}
	if m[4] == 0 {
		return send(from, kmesh.SpanShot, spanMsg{m[0], 0, 0, m[3]})
	}
	// A node's first core passes the shootdown on to the node's other
	// cores and answers once they have; that waits, so not here.
	go func() {
		var chans []chan spanMsg
		for f := m[4]; f != 0; f &= f - 1 {
			key := seqKey()
			ch := awaitReply(key)
			if send(bits.TrailingZeros64(f), kmesh.SpanShoot, spanMsg{m[0], m[1], m[2], key}) != nil {
				dropReply(key)
				continue
			}
			chans = append(chans, ch)
		}
		for _, ch := range chans {
			<-ch
		}
		send(from, kmesh.SpanShot, spanMsg{m[0], 0, 0, m[3]})
	}()
	return nil
}

// onSpanShot counts an answer to a shootdown.
func onSpanShot(from int, msg urpc.Message) error {
	m := decodeSpan(msg)
	answer(m[3], m)
	return nil
}
