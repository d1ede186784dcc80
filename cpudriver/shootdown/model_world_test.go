package shootdown

import (
	"fmt"
)

// The model check's world: three cores of one address space sharing one
// page-table entry. Each core's TLB may cache the entry after a walk. A
// thread on any core touches the page at any time: a TLB hit, or a walk
// that fills the TLB when the entry is present, or, when it is not, a
// fault that maps the page (once: the fault's mapping). Two unmaps, by
// cores of the scenario's choosing, each clear the entry (when present)
// and run a shootdown; each core carries out its effects one at a time
// and handles a message only between them, the channels are FIFO, and
// the network may deliver a message again, at once or later (a
// duplicate, or a stale message).

const (
	mCores   = 3
	mUnmaps  = 2
	mChanCap = 4
	mQueue   = 6
)

// The translations an entry or a TLB may hold.
const (
	none    uint8 = iota
	old           // the mapping there at the start
	faulted       // the fault's mapping
)

// The flush every shootdown of the model sends: the page.
var modelFlush = Flush{N: 1, R: [MaxRanges]Range{pg(1, 2)}}

// scenario is one configuration of the model.
type scenario struct {
	proto Protocol
	nodes [mCores]int   // the cores' nodes
	by    [mUnmaps]int  // the core that runs each unmap
	dups  uint8         // how many messages the network may deliver again
	topo  *Topology     // from nodes
	plans [mCores]*Plan // each core's plan over all three
}

func (s scenario) String() string {
	return fmt.Sprintf("%v on nodes %v, unmaps by %d and %d, %d delivered again", s.proto, s.nodes, s.by[0], s.by[1], s.dups)
}

// prepare computes the scenario's topology and plans.
func (s *scenario) prepare() error {
	s.topo = &Topology{Node: s.nodes[:], Dist: [][]int{{10, 20}, {20, 10}}}
	for c := range mCores {
		p, err := NewPlan(s.proto, c, FirstN(mCores), s.topo, nil)
		if err != nil {
			return err
		}
		s.plans[c] = p
	}
	return nil
}

// mfifo is one directed channel.
type mfifo struct {
	n   uint8
	msg [mChanCap]Msg
}

// mcore is one core: its state machines and the effects it has yet to
// carry out, in order.
type mcore struct {
	sd Core
	n  uint8
	q  [mQueue]Effect
}

// The phases of an unmap.
const (
	notStarted uint8 = iota
	running
	done // its initiator saw Done
)

// unmap is one unmap's progress.
type unmap struct {
	phase   uint8
	removed uint8 // the translation it cleared
	op      Op
}

// world is one global state, a value the explorer copies.
type world struct {
	pte    uint8
	tlb    [mCores]uint8
	fault  bool // the fault happened
	un     [mUnmaps]unmap
	core   [mCores]mcore
	ch     [mCores][mCores]mfifo
	dupped uint8
	replay replay // a delivered message the network will deliver again
}

// replay is a delivered message that the network is to deliver again: it
// goes to the end of its channel at any later moment.
type replay struct {
	set      bool
	from, to uint8
	msg      Msg
}

func (s *scenario) initial() world {
	w := world{pte: old}
	for c := range mCores {
		w.core[c].sd = NewCore(c, 1, s.topo)
	}
	return w
}

// touch is a thread on core c touching the page; it reports false when
// that changes nothing (a TLB hit, or an access with the page unmapped
// after the fault).
func (w *world) touch(c int) bool {
	switch {
	case w.tlb[c] != none:
		return false
	case w.pte != none:
		w.tlb[c] = w.pte
	case !w.fault:
		w.pte, w.fault = faulted, true
	default:
		return false
	}
	return true
}

// canUnmap reports whether unmap u may run now: its core has no effect
// left to carry out and no shootdown of its own under way, and the entry
// is present.
func (w *world) canUnmap(s *scenario, u int) bool {
	c := &w.core[s.by[u]]
	return w.un[u].phase == notStarted && w.pte != none && c.n == 0 && c.sd.Initiator.Done()
}

// unmap runs unmap u: it clears the entry and starts the shootdown.
func (w *world) unmap(s *scenario, u int) error {
	c := s.by[u]
	w.un[u].removed, w.pte = w.pte, none
	effs, op, err := w.core[c].sd.Start(nil, s.plans[c], modelFlush)
	if err != nil {
		return err
	}
	w.un[u].phase, w.un[u].op = running, op
	return w.queue(c, effs)
}

func (w *world) queue(c int, effs []Effect) error {
	k := &w.core[c]
	if int(k.n)+len(effs) > mQueue {
		return fmt.Errorf("core %d: more than %d effects queued", c, mQueue)
	}
	k.n += uint8(copy(k.q[k.n:], effs))
	return nil
}

// effect carries out core c's next effect.
func (w *world) effect(c int) error {
	k := &w.core[c]
	e := k.q[0]
	copy(k.q[:], k.q[1:k.n])
	k.n--
	k.q[k.n] = Effect{}
	switch e.Kind {
	case Invalidate:
		if e.Flush.Covers(modelFlush.R[0].Start) {
			w.tlb[c] = none
		}
	case Send:
		f := &w.ch[c][e.To]
		if f.n == mChanCap {
			return fmt.Errorf("channel %d→%d full", c, e.To)
		}
		f.msg[f.n] = e.Msg
		f.n++
	}
	return nil
}

// deliver hands the first message on from→to to its receiver; with
// again set, the network keeps a copy to deliver again later.
func (w *world) deliver(from, to int, again bool) error {
	f := &w.ch[from][to]
	m := f.msg[0]
	if again {
		w.replay = replay{set: true, from: uint8(from), to: uint8(to), msg: m}
		w.dupped++
	}
	copy(f.msg[:], f.msg[1:f.n])
	f.n--
	f.msg[f.n] = Msg{}
	effs, err := w.core[to].sd.Handle(nil, &m)
	if err != nil {
		return err
	}
	return w.queue(to, effs)
}

// resend puts the kept copy at the end of its channel.
func (w *world) resend() error {
	r := &w.replay
	f := &w.ch[r.from][r.to]
	if f.n == mChanCap {
		return fmt.Errorf("channel %d→%d full", r.from, r.to)
	}
	f.msg[f.n] = r.msg
	f.n++
	*r = replay{}
	return nil
}

// settle marks the unmaps whose initiators see Done: the machine says
// so and the core has carried out every effect.
func (w *world) settle(s *scenario) {
	for u := range w.un {
		un := &w.un[u]
		c := &w.core[s.by[u]]
		if un.phase == running && c.n == 0 && c.sd.Initiator.Done() && c.sd.Initiator.Current() == un.op {
			un.phase = done
		}
	}
}

// key appends w's encoding to b: every field that can differ between
// states of one scenario (the plans and the flush are the scenario's).
func (w *world) key(b []byte) []byte {
	b = append(b, w.pte, w.tlb[0], w.tlb[1], w.tlb[2], bool8(w.fault), w.dupped, bool8(w.replay.set), w.replay.from, w.replay.to)
	b = msgKey(b, &w.replay.msg)
	for _, u := range w.un {
		b = append(b, u.phase, u.removed, byte(u.op.ID))
	}
	for c := range w.core {
		k := &w.core[c]
		in := &k.sd.Initiator
		b = append(b, byte(in.cur.ID), bool8(in.running), byte(in.acked), byte(in.count), k.n)
		for _, p := range k.sd.Participant.peers[:mCores] {
			b = append(b, byte(p.last.ID), byte(p.last.Gen), bool8(p.busy), p.parent, byte(p.sub), byte(p.want), byte(p.proto))
		}
		for _, e := range k.q[:k.n] {
			b = append(b, byte(e.Kind), byte(e.To))
			b = msgKey(b, &e.Msg)
		}
	}
	for from := range w.ch {
		for to := range w.ch[from] {
			f := &w.ch[from][to]
			b = append(b, f.n)
			for _, m := range f.msg[:f.n] {
				b = msgKey(b, &m)
			}
		}
	}
	return b
}

func msgKey(b []byte, m *Msg) []byte {
	return append(b, byte(m.Kind), m.Op.Initiator, byte(m.Op.ID), m.From, byte(m.Sub))
}

func bool8(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// checkAlways is the safety invariant: once an unmap's initiator saw
// Done, no TLB holds the translation it removed, and the entry does not
// either (translations are never mapped again), so no access can use it.
func checkAlways(w *world) error {
	for u, un := range w.un {
		if un.phase != done {
			continue
		}
		if w.pte == un.removed {
			return fmt.Errorf("unmap %d done, but the entry maps the translation it removed", u)
		}
		for c, t := range w.tlb {
			if t == un.removed {
				return fmt.Errorf("unmap %d done, but core %d's TLB holds the translation it removed", u, c)
			}
		}
	}
	return nil
}

// checkEnd checks a state with nothing left to do: every unmap that
// started finished (no deadlock), nothing is left in a channel or a
// queue, and the mapping is consistent: every TLB holds nothing or what
// the entry maps (the fault's mapping live wherever it is used, or gone
// everywhere).
func checkEnd(w *world) error {
	for u, un := range w.un {
		if un.phase == running {
			return fmt.Errorf("deadlock: unmap %d never done", u)
		}
	}
	for c, t := range w.tlb {
		if t != none && t != w.pte {
			return fmt.Errorf("inconsistent: core %d's TLB holds %d, the entry %d", c, t, w.pte)
		}
	}
	for from := range w.ch {
		for to := range w.ch[from] {
			if w.ch[from][to].n != 0 {
				return fmt.Errorf("a message left on %d→%d", from, to)
			}
		}
	}
	return nil
}
