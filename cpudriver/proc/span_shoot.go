package proc

import (
	"math/bits"
	"sync"
	"sync/atomic"
	"time"

	"multikernel/cpudriver/klog"
	"multikernel/cpudriver/kmesh"
	"multikernel/cpudriver/ring0"
	"multikernel/cpudriver/shootdown"
	"multikernel/urpc"
)

// TLB shootdown of a spanning program (docs/spanning.md): after the home
// core removed or reduced mappings of [start, end) in the shared tables
// and dropped its own TLB entries (addrspace.Space.Shootdown), every
// other core whose replica is live (its root may be loaded) drops its
// entries for the range and acks; the change returns once all have. The
// protocol is package shootdown's, its state machines run here as they
// run in its model check: the home core is the initiator, the program's
// other cores participants, one range per shootdown. Requests and acks
// are shootdown's 56-byte messages in SpanShoot and SpanShot; a
// broadcast's one request is a line of the span page (spBcastOff), and
// each target is told by a SpanShootLine (this transport has no channel
// that every core polls).

// ShootProtocol is the protocol of spanning programs' shootdowns. Package
// main sets it (option span-shootdown) before any program starts.
var ShootProtocol = shootdown.Default

// shootTopo is the machine as the plans see it (SetTopology).
var shootTopo *shootdown.Topology

// SetTopology gives the spanning programs the machine's ncores cores and
// their nodes (NodeOf). The plans take distances 10 within a node and 20
// across: the SKB's facts where the firmware has no SLIT, as QEMU's;
// only the bootstrap core reads the SLIT. Package main calls it before
// any program starts.
func SetTopology(ncores int, nodeOf func(int) int) {
	NodeOf = nodeOf
	ncores = min(max(ncores, 1), shootdown.MaxCores)
	t := &shootdown.Topology{Node: make([]int, ncores)}
	nodes := 1
	for c := range ncores {
		t.Node[c] = max(nodeOf(c), 0)
		nodes = max(nodes, t.Node[c]+1)
	}
	t.Dist = make([][]int, nodes)
	for a := range t.Dist {
		t.Dist[a] = make([]int, nodes)
		for b := range t.Dist[a] {
			t.Dist[a][b] = 20
		}
		t.Dist[a][a] = 10
	}
	if t.Validate() == nil {
		shootTopo = t
	}
}

// planTopo returns shootTopo, or every core on one node if it is not set.
func planTopo() *shootdown.Topology {
	if shootTopo != nil {
		return shootTopo
	}
	t := &shootdown.Topology{Node: make([]int, shootdown.MaxCores), Dist: [][]int{{10}}}
	shootTopo = t
	return t
}

// shooter is this core's shootdown state: the initiator of the
// shootdowns of the programs whose home it is, one at a time (turn is
// held from a start to its last ack), and the participant in every
// other core's. mu guards sd and done; it is held briefly and never
// while sending or waiting, as mesh handlers take it. Effects are
// carried out in order after mu is released: a core's messages are
// handled by its one mesh receiver, so the effects of one message are
// all carried out before the next is handed over (shootdown.Effect).
var shooter struct {
	turn sync.Mutex
	mu   sync.Mutex
	sd   shootdown.Core
	made bool
	done chan struct{} // closed when the initiator's shootdown is done
}

// shooterCore returns this core's state machines; shooter.mu is held.
func shooterCore() *shootdown.Core {
	if !shooter.made {
		shooter.sd = shootdown.NewCore(ring0.Core().Index, 1, planTopo())
		shooter.made = true
	}
	return &shooter.sd
}

// shootStats counts a spanning program's shootdowns and the messages
// they took (those across nodes apart), reported at its end.
type shootStats struct {
	shoots, messages, crossNode atomic.Uint64
}

// shootRemote is the home core's Space.Shootdown.
func (p *Process) shootRemote(start, end uint64) {
	st := p.span
	var live shootdown.CoreSet
	for m := st.cores &^ (1 << st.self); m != 0; m &= m - 1 {
		c := bits.TrailingZeros64(m)
		if atomic.LoadUint64(coreWord(st.page, c, spLive)) != 0 {
			live = live.With(c)
		}
	}
	if live == 0 {
		return
	}
	topo := planTopo()
	plan, err := shootdown.NewPlan(ShootProtocol, st.self, live, topo, nil)
	if err != nil {
		p.LogOnce("span-plan", "shootdown plan: %v; unicast instead", err)
		if plan, err = shootdown.NewPlan(shootdown.Unicast, st.self, live&topo.All(), topo, nil); err != nil {
			p.LogOnce("span-plan-unicast", "no shootdown plan: %v", err)
			return
		}
	}
	f := shootdown.FullFlush
	if r := (shootdown.Range{Start: start &^ 4095, End: (end + 4095) &^ 4095}); r.Check() == nil {
		f = shootdown.Flush{N: 1, R: [shootdown.MaxRanges]shootdown.Range{r}}
	}
	shooter.turn.Lock()
	defer shooter.turn.Unlock()
	done := make(chan struct{})
	shooter.mu.Lock()
	sd := shooterCore()
	effs, _, err := sd.Initiator.Start(nil, plan, f)
	if err == nil && sd.Initiator.Done() {
		close(done)
	} else {
		shooter.done = done
	}
	shooter.mu.Unlock()
	if err != nil {
		p.LogOnce("span-start", "shootdown not started: %v", err)
		return
	}
	n := plan.Count(topo)
	st.shots.shoots.Add(1)
	st.shots.messages.Add(uint64(len(plan.Requests) + len(plan.Acks)))
	st.shots.crossNode.Add(uint64(n.CrossNode()))
	for i := range effs {
		effs[i].Msg.Space = st.id
	}
	carry(effs, spanKey{st.home, st.id})
	select {
	case <-done:
	case <-time.After(spanReplyWait):
		p.Logf("a shootdown has not been acked by every core for %v", spanReplyWait)
		<-done
	}
}

// handleShoot hands m to this core's state machines and carries out
// what they say.
func handleShoot(m *shootdown.Msg) {
	shooter.mu.Lock()
	sd := shooterCore()
	effs, err := sd.Handle(nil, m)
	if shooter.done != nil && sd.Initiator.Done() {
		close(shooter.done)
		shooter.done = nil
	}
	shooter.mu.Unlock()
	if err != nil {
		badShoot(int(m.From), err)
		return
	}
	carry(effs, spanKey{int(m.Op.Initiator), m.Space})
}

// carry carries out effects of program k's shootdown in order. A
// request that cannot be sent (the core is down or cut off, so it runs
// no thread of the program) counts as acked, so that no shootdown waits
// for it forever; it is reported.
func carry(effs []shootdown.Effect, k spanKey) {
	lineDone := false
	for _, e := range effs {
		if e.Kind == shootdown.Invalidate {
			invalidate(k, e.Flush)
			continue
		}
		var err error
		switch {
		case e.Shared:
			if !lineDone {
				writeLine(k, &e.Msg)
				lineDone = true
			}
			w0 := packWord0(0, k, 0)
			err = send(e.To, kmesh.SpanShootLine, spanMsg{w0, e.Msg.Op.ID, uint64(e.Msg.Op.Gen)})
		default:
			var b [shootdown.MsgSize]byte
			if err = shootdown.Encode(&b, &e.Msg); err != nil {
				break
			}
			t := kmesh.SpanShoot
			if e.Msg.Kind == shootdown.Ack {
				t = kmesh.SpanShot
			}
			err = kmesh.SendNow(e.To, t, b[:])
		}
		if err == nil {
			continue
		}
		klog.Printf("shootdown message to core %d not sent: %v", e.To, err)
		if e.Msg.Kind == shootdown.Request {
			sub := e.Msg.Sub
			if e.Shared {
				sub = shootdown.SetOf(e.To)
			}
			handleShoot(&shootdown.Msg{Kind: shootdown.Ack, Proto: e.Msg.Proto, Op: e.Msg.Op, From: uint8(e.To), Space: e.Msg.Space, Sub: sub})
		}
	}
}

// invalidate drops f from this core's TLB if program k's replica root
// is loaded (no PCIDs: had another been loaded since, the entries went).
func invalidate(k spanKey, f shootdown.Flush) {
	p := spanLookup(k)
	if p == nil || !p.span.replica {
		return
	}
	if f.Full {
		ring0.FlushRange(p.span.root, 0, shootdown.UserTop)
		return
	}
	for _, r := range f.Ranges() {
		ring0.FlushRange(p.span.root, r.Start, r.End)
	}
}

// writeLine writes a broadcast request into the span page of program k,
// the home's own: only the home core writes it, one shootdown at a time,
// and only once every target acked the last (shooter.turn).
func writeLine(k spanKey, m *shootdown.Msg) {
	p := spanLookup(k)
	if p == nil {
		return
	}
	var b [shootdown.MsgSize]byte
	if shootdown.Encode(&b, m) == nil {
		copy(ring0.PhysBytes(p.span.page+spBcastOff, shootdown.MsgSize), b[:])
	}
}

// badShoot reports a malformed or misrouted shootdown message once per
// core that sent one.
func badShoot(from int, err error) {
	if from >= 0 && from < 64 && badShootFrom.Load()&(1<<from) == 0 {
		badShootFrom.Or(1 << from)
		klog.Printf("shootdown message from core %d refused: %v", from, err)
	}
}

// badShootFrom has bit c set once a bad message from core c was reported.
var badShootFrom atomic.Uint64

// shootName is the protocol as the end-of-program report names it.
func shootName(p shootdown.Protocol) string {
	if p == shootdown.NUMAMulticast {
		return "NUMA-aware multicast"
	}
	return p.String()
}

// reportShootdowns prints the program's shootdown counts at its end.
func (p *Process) reportShootdowns() {
	s := &p.span.shots
	if n := s.shoots.Load(); n > 0 {
		p.Logf("%d TLB shootdowns (%s): %d messages, %d of them across nodes", n, shootName(ShootProtocol), s.messages.Load(), s.crossNode.Load())
	}
}

// onSpanShoot takes a shootdown request; onSpanShot an ack.
func onSpanShoot(from int, msg urpc.Message) error { return onShootMsg(from, msg) }

func onSpanShot(from int, msg urpc.Message) error { return onShootMsg(from, msg) }

func onShootMsg(from int, msg urpc.Message) error {
	m, err := shootdown.Decode(msg.Data[:shootdown.MsgSize])
	if err == nil && int(m.From) != from {
		err = shootdown.ErrMsg
	}
	if err != nil {
		badShoot(from, err)
		return nil
	}
	handleShoot(&m)
	return nil
}

// onSpanShootLine reads the broadcast request a SpanShootLine announces
// from the program's span page and handles it. Without a replica here,
// or with a line that is not the announced request, it is handled as a
// request for this core alone with a full flush, which the replica's
// absence makes a no-op: the ack is what the home waits for.
func onSpanShootLine(from int, msg urpc.Message) error {
	w := decodeSpan(msg)
	_, k, _ := unpackWord0(w[0])
	if k.home != from {
		badShoot(from, shootdown.ErrMsg)
		return nil
	}
	op := shootdown.Op{Initiator: uint8(from), Gen: uint32(w[2]), ID: w[1]}
	req := shootdown.Msg{Kind: shootdown.Request, Proto: shootdown.Broadcast, Op: op, From: uint8(from), Space: k.id,
		Sub: shootdown.SetOf(ring0.Core().Index), Flush: shootdown.FullFlush}
	if p := spanLookup(k); p != nil {
		var b [shootdown.MsgSize]byte
		copy(b[:], ring0.PhysBytes(p.span.page+spBcastOff, shootdown.MsgSize))
		if m, err := shootdown.Decode(b[:]); err == nil && m.Kind == shootdown.Request && m.Proto == shootdown.Broadcast && m.Op == op && m.Space == k.id {
			req = m
		}
	}
	handleShoot(&req)
	return nil
}
