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

// shootTopo is the machine as the plans see it (SetTopology); until it
// is set, every core on one node.
var shootTopo = topology(shootdown.MaxCores, func(int) int { return 0 }, nil)

// SetTopology gives the spanning programs the machine's ncores cores,
// their nodes (NodeOf) and the distances between nodes (dist, as the
// bootstrap core read them from ACPI's SLIT; nil: 10 within a node and
// 20 across). Package main calls it before any program starts.
func SetTopology(ncores int, nodeOf func(int) int, dist func(a, b int) int) {
	NodeOf = nodeOf
	t := topology(ncores, nodeOf, dist)
	numNodes = len(t.Dist)
	if t.Validate() == nil {
		shootTopo = t
	}
}

// topology builds the plans' view of ncores cores (at least 1, at most
// shootdown.MaxCores).
func topology(ncores int, nodeOf func(int) int, dist func(a, b int) int) *shootdown.Topology {
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
			switch {
			case dist != nil:
				t.Dist[a][b] = dist(a, b)
			case a == b:
				t.Dist[a][b] = 10
			default:
				t.Dist[a][b] = 20
			}
		}
	}
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
		shooter.sd = shootdown.NewCore(ring0.Core().Index, 1, shootTopo)
		shooter.made = true
	}
	return &shooter.sd
}

// shootStats counts a spanning program's shootdowns and the messages
// they took (those across nodes apart), reported at its end; and (home
// only, guarded by shooter.turn) the plan of the last one, kept while
// the same cores are live.
type shootStats struct {
	shoots, messages, crossNode atomic.Uint64

	plan            *shootdown.Plan
	planMsgs, cross uint64 // the plan's messages, and those across nodes
}

// planFor returns the plan of a shootdown from core self to the live
// cores, made anew only when they changed. shooter.turn is held.
func (s *shootStats) planFor(self int, live shootdown.CoreSet) (*shootdown.Plan, error) {
	if s.plan != nil && s.plan.Targets == live && s.plan.Protocol == ShootProtocol {
		return s.plan, nil
	}
	plan, err := shootdown.NewPlan(ShootProtocol, self, live, shootTopo, nil)
	if err != nil {
		return nil, err
	}
	n := plan.Count(shootTopo)
	s.plan, s.planMsgs, s.cross = plan, uint64(len(plan.Requests)+len(plan.Acks)), uint64(n.CrossNode())
	if plan.Shared() {
		// Each target's notification crosses too, beside its read of
		// the line.
		s.cross += uint64(n.CrossRequests)
	}
	return plan, nil
}

// shootRemote is the home core's Space.Shootdown.
func (p *Process) shootRemote(start, end uint64) { p.shootCores(start, end, p.span.coreMask()) }

// shootCores drops [start, end) from the TLBs of the program's other
// cores among cores (a shared range's: ranges.go) whose replica is live,
// and returns the messages that took; the space's lock is held.
func (p *Process) shootCores(start, end, cores uint64) uint64 {
	st := p.span
	var live shootdown.CoreSet
	for m := cores & st.coreMask() &^ (1 << st.self); m != 0; m &= m - 1 {
		c := bits.TrailingZeros64(m)
		if atomic.LoadUint64(coreWord(st.page, c, spLive)) != 0 {
			live = live.With(c)
		}
	}
	if live &= shootTopo.All(); live == 0 {
		return 0
	}
	f := shootdown.FullFlush
	if r := (shootdown.Range{Start: start &^ 4095, End: (end + 4095) &^ 4095}); r.Check() == nil {
		f = shootdown.Flush{N: 1, R: [shootdown.MaxRanges]shootdown.Range{r}}
	}
	shooter.turn.Lock()
	defer shooter.turn.Unlock()
	// The plan and the start fail only for a topology or a flush that
	// SetTopology and the lines above rule out.
	plan, err := st.shots.planFor(st.self, live)
	if err != nil {
		p.LogOnce("span-plan", "no shootdown plan, TLBs of other cores not flushed: %v", err)
		return 0
	}
	done := make(chan struct{})
	shooter.mu.Lock()
	sd := shooterCore()
	effs, _, err := sd.Initiator.Start(nil, plan, f)
	switch {
	case err != nil:
	case sd.Initiator.Done():
		close(done)
	default:
		shooter.done = done
	}
	shooter.mu.Unlock()
	if err != nil {
		p.LogOnce("span-start", "shootdown not started, TLBs of other cores not flushed: %v", err)
		return 0
	}
	st.shots.shoots.Add(1)
	st.shots.messages.Add(st.shots.planMsgs)
	st.shots.crossNode.Add(st.shots.cross)
	for i := range effs {
		effs[i].Msg.Space = st.id
	}
	carry(effs, spanKey{st.home, st.id})
	select {
	case <-done:
		return st.shots.planMsgs
	default:
	}
	t := time.NewTimer(spanReplyWait)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		p.Logf("a shootdown has not been acked by every core for %v", spanReplyWait)
		<-done
	}
	return st.shots.planMsgs
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

// reportShootdowns prints the program's shootdown counts, and the
// faults it served for other cores, at its end.
func (p *Process) reportShootdowns() {
	s := &p.span.shots
	if n := s.shoots.Load(); n > 0 {
		p.Logf("%d TLB shootdowns (%s): %d messages, %d of them across nodes", n, shootName(ShootProtocol), s.messages.Load(), s.crossNode.Load())
	}
	p.mu.Lock()
	faults, around := p.span.faults, p.span.around
	p.mu.Unlock()
	if faults > 0 {
		p.Logf("%d page faults of other cores served here, %d more pages mapped around them", faults, around)
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
