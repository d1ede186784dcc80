package main

import (
	"fmt"
	"os"
	"time"

	"multikernel/libos/mesh"
	"multikernel/libos/sys"
	"multikernel/skb"
	"multikernel/urpc"
	"multikernel/urpc/if/intermon"
	"multikernel/urpc/if/kernmon"
)

// maxCores bounds the core numbers (the CPU driver's limit).
const maxCores = 64

// monitor is this core's monitor. One goroutine runs it: the waitset, the
// receive and send sides of every endpoint, the measurements and the SKB
// all belong to it, so nothing here is locked.
type monitor struct {
	core, node int
	apic       uint32
	sleeper    mesh.Sleeper // the one goroutine's sleeper
	ws         *urpc.Waitset
	conns      []*conn         // by waitset index
	peers      [maxCores]*peer // by core; nil for this core and cores not planned
	greeted    uint64          // cores whose hello arrived
	pollNs     int64           // the waitset's poll time as set_poll sets it
	clients    map[uint32]*conn
	kb         *skb.Engine            // core 0 only, once booted
	kbClients  *kbClients             // the SKB's clients' scopes; with kb
	caps       capState               // shared capabilities (caps.go)
	memReqs    map[uint32]*memRequest // the CPU driver's memory requests (memserv.go)
	memNodes   []int                  // the order in which to ask the nodes' memory servers

	// The probe in flight (measure.go).
	probeSeq uint64
	probeGot bool
}

// conn is one channel the monitor serves: to another monitor, to its CPU
// driver, or to a program of its core.
type conn struct {
	name     string
	ep       *urpc.Endpoint
	dispatch func(urpc.Message) error
	dead     bool // it failed: its messages are dropped
}

// peer is the channel to another core's monitor.
type peer struct {
	conn
	core int
	node int
	apic uint32
	b    *intermon.Binding
}

// connect maps a channel to every other planned core and greets each
// monitor, and maps the channel from its CPU driver. A core that is not up
// yet finds the hello in its channel when its monitor starts. poll is the
// waitset's poll time (urpc.NewWaitset).
func connect(core, node int, poll time.Duration) (*monitor, error) {
	apic, _, err := sys.CoreInfo(core)
	if err != nil {
		return nil, fmt.Errorf("this core's information: %v", err)
	}
	m := &monitor{core: core, node: node, apic: apic, clients: map[uint32]*conn{}}
	m.ws = urpc.NewWaitset(&m.sleeper, poll)
	kep, err := mesh.DialKernel(core, &m.sleeper, kernmon.MaxMessage)
	if err != nil {
		return nil, fmt.Errorf("channel from the CPU driver: %v", err)
	}
	kb := kernmon.NewBinding(kep, &kernLink{m})
	m.add(&conn{name: "the CPU driver", ep: kep, dispatch: kb.Dispatch})
	for c := 0; c < maxCores; c++ {
		if c == core {
			continue
		}
		papic, pnode, err := sys.CoreInfo(c)
		if err != nil {
			break // cores are planned from 0 up
		}
		ep, err := mesh.Dial(core, c, &m.sleeper, 0, intermon.MaxMessage)
		if err != nil {
			return nil, fmt.Errorf("channel to core %d: %v", c, err)
		}
		p := &peer{conn: conn{name: fmt.Sprintf("core %d", c), ep: ep}, core: c, node: pnode, apic: papic}
		p.b = intermon.NewBinding(ep, &link{m: m, p: p})
		p.dispatch = p.b.Dispatch
		m.peers[c] = p
		m.add(&p.conn)
	}
	for _, p := range m.peers {
		if p != nil {
			if err := p.b.SendHello(uint16(core), apic, uint8(node)); err != nil {
				m.fail(&p.conn, err)
			}
		}
	}
	return m, nil
}

// add puts c in the waitset.
func (m *monitor) add(c *conn) {
	m.ws.Add(c.ep)
	m.conns = append(m.conns, c)
}

// remove takes c out of the waitset; its frame may go afterwards.
func (m *monitor) remove(c *conn) {
	m.ws.Remove(c.ep)
	for i, x := range m.conns {
		if x == c {
			m.conns = append(m.conns[:i], m.conns[i+1:]...)
			return
		}
	}
}

// serve dispatches messages from every channel, forever.
func (m *monitor) serve() {
	for {
		m.step()
	}
}

// step waits for one message on any channel and dispatches it.
func (m *monitor) step() { m.handle(m.ws.Wait()) }

// stepFor serves messages until d has passed.
func (m *monitor) stepFor(d time.Duration) {
	end := time.Now().Add(d)
	for {
		i, err := m.ws.WaitUntil(end)
		if err == urpc.ErrTimeout {
			return
		}
		m.handle(i, err)
	}
}

// handle receives and dispatches the message the waitset found ready on
// endpoint i, or reports err.
func (m *monitor) handle(i int, err error) {
	if i < 0 || i >= len(m.conns) {
		fmt.Fprintf(os.Stderr, "monitor %d: waitset: %v\n", m.core, err)
		time.Sleep(time.Second)
		return
	}
	c := m.conns[i]
	if err != nil {
		m.fail(c, err) // the waitset skips this endpoint from now on
		return
	}
	msg, err := c.ep.TryRecv()
	switch {
	case err == urpc.ErrWouldBlock:
		return // part of a message: the rest is on its way
	case err != nil:
		m.fail(c, err)
	case c.dead:
		// A broken peer: its messages are read and dropped.
	default:
		if err := c.dispatch(msg); err != nil {
			m.fail(c, err)
		}
	}
}

// fail reports a channel that broke (a malformed slot from a buggy peer,
// an undecodable or unexpected message) and stops dispatching its
// messages; the monitor goes on with the others.
func (m *monitor) fail(c *conn, err error) {
	if c.dead {
		return
	}
	c.dead = true
	fmt.Fprintf(os.Stderr, "monitor %d: channel to %s: %v; no longer served\n", m.core, c.name, err)
}

// link is the intermon.Handler of one channel: it knows which peer a
// message came from.
type link struct {
	m *monitor
	p *peer
}

func (l *link) Hello(core uint16, apic uint32, node uint8) error {
	if int(core) != l.p.core || apic != l.p.apic || int(node) != l.p.node {
		return fmt.Errorf("hello claims core %d apic %d node %d, but the channel is to core %d apic %d node %d",
			core, apic, node, l.p.core, l.p.apic, l.p.node)
	}
	l.m.greeted |= 1 << l.p.core
	return nil
}

func (l *link) Ping(seq, tsc uint64) error { return l.p.b.SendPong(seq, tsc) }

func (l *link) Pong(seq, tsc uint64) error {
	if seq == l.m.probeSeq {
		l.m.probeGot = true
	}
	return nil
}

func (l *link) Measure(peers uint64, rounds uint32) ([64]uint32, error) {
	if rounds == 0 || rounds > 100000 {
		return [64]uint32{}, fmt.Errorf("rounds %d out of range 1-100000", rounds)
	}
	return l.m.measureAll(peers, int(rounds)), nil
}

func (l *link) SetPoll(ns int64) (int64, error) {
	prev := l.m.pollNs
	l.m.pollNs = ns
	l.m.ws.SetPollTime(time.Duration(ns))
	return prev, nil
}

func (l *link) Print(text string) (uint32, error) {
	n, err := fmt.Printf("from core %d: %s\n", l.p.core, text)
	return uint32(n), err
}

func (l *link) SkbQuery(goal string) (string, error) { return l.m.skbForwarded(l.p.core, goal) }
