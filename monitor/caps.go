package main

import (
	"fmt"

	"multikernel/cap/dist"
	"multikernel/libos/sys"
)

// Capability operations that span cores (docs/capabilities.md): each
// monitor runs cap/dist's two-phase protocol for the shared capabilities
// it takes part in, exchanging its messages over the mesh (intermon
// capop). The capabilities here are the protocol's test objects: ranges
// that every core holds a copy of, owned by core 0, whose retypes the
// cap-race and cap-bench options exercise; they are not backed by memory.
// The CPU drivers' real capabilities run the same protocol through
// realcaps.go.

// Shared capabilities: race is the one every core races on; the
// benchmark's objects follow, one per participant count.
const (
	capRace      = 0
	capBench     = 1  // capBench+i: the benchmark's object with benchSizes[i] cores
	capBenchTree = 32 // capBenchTree+i: the same, along the SKB's tree

	raceRange = 64 << 12 // the race's capability: 64 pages
	maxDescs  = 64       // descendants a cap_state answer carries
)

// descs is one core's view of a shared capability (dist.Local): its copy
// and the descendants it made.
type descs struct {
	copy bool
	list []desc
}

// desc is one descendant: the range and the operation that made it.
type desc struct {
	r  dist.Range
	op dist.OpID
}

func (d *descs) HasCopy() bool { return d.copy }

func (d *descs) Overlaps(r dist.Range) bool {
	for _, x := range d.list {
		if x.r.Overlaps(r) {
			return true
		}
	}
	return false
}

func (d *descs) Retyped(r dist.Range, op dist.OpID) *descs {
	d.list = append(d.list, desc{r, op})
	return d
}

func (d *descs) Revoked(keepCopy bool) *descs {
	d.list = nil
	d.copy = d.copy && keepCopy
	return d
}

// OtherCopy: a test capability has one copy per core.
func (d *descs) OtherCopy() bool { return false }

// Adopted: the test capabilities keep no record of the holders.
func (d *descs) Adopted(uint8, uint64) *descs { return d }

func (d *descs) Deleted() *descs {
	d.copy = false
	return d
}

// capObj is this core's part in one shared capability.
type capObj struct {
	id    uint8
	cores uint8
	dm    dist.Monitor[*descs]

	// tree, when set, carries the operations this core coordinates:
	// Prepare, Commit and Abort go along it (capfwd) instead of to each
	// core. tree[c] is core c's parent; noParent marks the root and the
	// cores outside the tree.
	tree *[64]uint8
}

// noParent is a tree entry with no parent.
const noParent = 0xff

// broadcasts reports whether kind is one the coordinator sends to every
// core.
func broadcasts(kind dist.MsgKind) bool {
	return kind == dist.Prepare || kind == dist.Commit || kind == dist.Abort
}

// capState is the monitor's capability state.
type capState struct {
	objs  map[uint8]*capObj
	clock uint32 // Lamport clock: stamps of the operations started here
	// results holds the ends of the operations this core coordinates,
	// by id, until their waiter takes them (awaitResult). Waits nest: a
	// request that arrives while the monitor serves its channels during
	// one wait runs to its end inside it, so each waiter must find its
	// own result, whatever ended meanwhile.
	results map[dist.OpID]dist.Result
	race    raceState
	real    map[realKey]*realObj // the CPU drivers' capabilities (realcaps.go)
}

// obj returns shared capability id with cores participants, made on first
// use: every core holds a copy, core 0 owns it.
func (m *monitor) obj(id, cores uint8) (*capObj, error) {
	if m.caps.objs == nil {
		m.caps.objs = map[uint8]*capObj{}
	}
	if o := m.caps.objs[id]; o != nil {
		if o.cores != cores {
			return nil, fmt.Errorf("capability %d: %d cores take part, a message says %d", id, o.cores, cores)
		}
		return o, nil
	}
	if !m.takesPart(cores) {
		return nil, fmt.Errorf("capability %d: this core is not among its %d cores", id, cores)
	}
	o := &capObj{id: id, cores: cores, dm: dist.New(uint8(m.core), dist.FirstCores(int(cores)), 0, &descs{copy: true})}
	m.caps.objs[id] = o
	return o, nil
}

// takesPart reports whether this core is among cores 0 to cores-1, the
// cores an operation with that count involves.
func (m *monitor) takesPart(cores uint8) bool {
	return cores > 0 && int(cores) <= maxCores && m.core < int(cores)
}

// tick advances the Lamport clock past stamp.
func (m *monitor) tick(stamp uint32) {
	m.caps.clock = max(m.caps.clock, stamp) + 1
}

// run feeds msgs to the protocol of test object o: those for this core
// are handled here, the others sent to their cores (along o's tree, if it
// has one, for the broadcasts this core coordinates).
func (m *monitor) run(o *capObj, msgs []dist.Msg) {
	runDist(m, &o.dm, msgs, fmt.Sprintf("capability %d", o.id), func(msg dist.Msg) {
		switch {
		case o.tree == nil || !broadcasts(msg.Kind) || int(msg.From) != m.core:
			m.sendCap(o, msg)
		case o.tree[msg.To] == uint8(m.core):
			m.forward(o, msg, o.tree) // a child: it passes it on
		}
		// Other cores of the tree get it from their parents.
	})
}

// runDist feeds msgs to dm: those for this core are handled here, the
// others go to send. A result of an operation this core coordinates is
// kept for capOp. A message the protocol refuses (a buggy peer) is
// reported and dropped.
func runDist[L dist.Local[L]](m *monitor, dm *dist.Monitor[L], msgs []dist.Msg, what string, send func(dist.Msg)) {
	q := append([]dist.Msg(nil), msgs...)
	for len(q) > 0 {
		msg := q[0]
		q = q[1:]
		if int(msg.To) != m.core {
			send(msg)
			continue
		}
		out, res, err := dm.Handle(msg)
		if err != nil {
			fmt.Printf("monitor %d: %s: %v (message dropped)\n", m.core, what, err)
			continue
		}
		if res != nil && res.Op.ID.Core == uint8(m.core) {
			if m.caps.results == nil {
				m.caps.results = map[dist.OpID]dist.Result{}
			}
			m.caps.results[res.Op.ID] = *res
		}
		q = append(q, out...)
	}
}

// sendCap sends one protocol message to its core.
func (m *monitor) sendCap(o *capObj, msg dist.Msg) {
	p := m.peers[msg.To]
	if p == nil || p.dead {
		fmt.Printf("monitor %d: capability %d: no channel to core %d\n", m.core, o.id, msg.To)
		return
	}
	op := msg.Op
	err := p.b.SendCapop(o.id, o.cores, uint8(msg.Kind), msg.From, msg.To, op.ID.Stamp, op.ID.Core,
		uint8(op.Kind), op.Range.Base, op.Range.Size, uint8(msg.Vote), msg.HasCopy, msg.Owner)
	if err != nil {
		m.fail(&p.conn, err)
	}
}

// newOpID returns the ID of a new operation this core coordinates.
func (m *monitor) newOpID() dist.OpID {
	m.caps.clock++
	return dist.OpID{Stamp: m.caps.clock, Core: uint8(m.core)}
}

// forward sends a broadcast message along tree to core msg.To, which
// handles it and passes it to its own children.
func (m *monitor) forward(o *capObj, msg dist.Msg, tree *[64]uint8) {
	p := m.peers[msg.To]
	if p == nil || p.dead {
		fmt.Printf("monitor %d: capability %d: no channel to core %d\n", m.core, o.id, msg.To)
		return
	}
	op := msg.Op
	err := p.b.SendCapfwd(o.id, o.cores, uint8(msg.Kind), msg.From, op.ID.Stamp, op.ID.Core,
		uint8(op.Kind), op.Range.Base, op.Range.Size, msg.Owner, *tree)
	if err != nil {
		m.fail(&p.conn, err)
	}
}

// Capfwd receives a broadcast message sent along a tree: it passes it to
// this core's children first, then handles its own copy.
func (l *link) Capfwd(obj, cores, kind, from uint8, stamp uint32, opcore, opkind uint8, base, size uint64, owner uint8, parent [64]uint8) error {
	m := l.m
	if dist.MsgKind(kind) != dist.Prepare && dist.MsgKind(kind) != dist.Commit && dist.MsgKind(kind) != dist.Abort {
		return fmt.Errorf("capfwd of message kind %d", kind)
	}
	if parent[m.core] != uint8(l.p.core) {
		return fmt.Errorf("capfwd from core %d, which is not this core's parent in its tree", l.p.core)
	}
	o, err := m.obj(obj, cores)
	if err != nil {
		return err
	}
	m.tick(stamp)
	msg := dist.Msg{Kind: dist.MsgKind(kind), From: from, Owner: owner,
		Op: dist.Op{ID: dist.OpID{Stamp: stamp, Core: opcore}, Kind: dist.Kind(opkind), Range: dist.Range{Base: base, Size: size}}}
	for c := 0; c < int(cores) && c < maxCores; c++ {
		if parent[c] == uint8(m.core) && c != m.core {
			fwd := msg
			fwd.To = uint8(c)
			m.forward(o, fwd, &parent)
		}
	}
	msg.To = uint8(m.core)
	m.run(o, []dist.Msg{msg})
	return nil
}

// capOp runs one operation this core coordinates to its end, serving
// every channel meanwhile, and returns its result. An operation refused
// as busy is retried with the same id, so that it ages and, under
// wait-die, eventually wins: reusing the id is safe because the abort
// that ended the last attempt reached every core before the retry's
// Prepare (channels are FIFO) and no core still queued it (the
// coordinator decides only once every core voted).
func (m *monitor) capOp(o *capObj, id dist.OpID, kind dist.Kind, r dist.Range) dist.Result {
	op := dist.Op{ID: id, Kind: kind, Range: r}
	out, res := o.dm.Start(op)
	if res != nil {
		return *res
	}
	m.run(o, out)
	return m.awaitResult(op.ID)
}

// awaitResult serves every channel until the operation id, which this
// core coordinates, has ended, and returns how.
func (m *monitor) awaitResult(id dist.OpID) dist.Result {
	for {
		if res, ok := m.caps.results[id]; ok {
			delete(m.caps.results, id)
			return res
		}
		m.step()
	}
}

// Capop receives one protocol message from l's peer.
func (l *link) Capop(obj, cores, kind, from, to uint8, stamp uint32, opcore, opkind uint8, base, size uint64, vote uint8, hascopy bool, owner uint8) error {
	m := l.m
	if int(from) != l.p.core || int(to) != m.core {
		return fmt.Errorf("capop from %d to %d on the channel from core %d", from, to, l.p.core)
	}
	o, err := m.obj(obj, cores)
	if err != nil {
		return err
	}
	m.tick(stamp)
	msg := dist.Msg{Kind: dist.MsgKind(kind), From: from, To: to,
		Op:   dist.Op{ID: dist.OpID{Stamp: stamp, Core: opcore}, Kind: dist.Kind(opkind), Range: dist.Range{Base: base, Size: size}},
		Vote: dist.Reason(vote), HasCopy: hascopy, Owner: owner}
	m.run(o, []dist.Msg{msg})
	return nil
}

// CapState answers with the descendants this core holds of obj.
func (l *link) CapState(obj uint8) (uint32, [64]uint64, [64]uint64, error) {
	var bases, sizes [64]uint64
	o := l.m.caps.objs[obj]
	if o == nil {
		return 0, bases, sizes, nil // never took part
	}
	list := o.dm.Local().list
	if len(list) > maxDescs {
		return 0, bases, sizes, fmt.Errorf("%d descendants, more than an answer carries", len(list))
	}
	for i, d := range list {
		bases[i], sizes[i] = d.r.Base, d.r.Size
	}
	return uint32(len(list)), bases, sizes, nil
}

// CapTransfer puts a capability a program of the peer's core sent into
// the queue of endpoint ep of this core.
func (l *link) CapTransfer(ep uint32, ctype uint8, base, size uint64, rights uint8, owner uint16) error {
	if err := sys.CapImport(ep, ctype, base, size, rights, owner); err != nil {
		fmt.Printf("monitor %d: a capability from core %d refused: %v\n", l.m.core, l.p.core, err)
	}
	return nil
}
