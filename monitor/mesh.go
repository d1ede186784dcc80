package main

import (
	"fmt"
	"os"
	"time"

	"multikernel/libos/mesh"
	"multikernel/libos/sys"
	"multikernel/urpc"
	"multikernel/urpc/if/intermon"
)

// maxCores bounds the core numbers (the CPU driver's limit).
const maxCores = 64

// monitor is this core's monitor. One goroutine runs it: the waitset, the
// receive and send sides of every endpoint, and the measurements all
// belong to it, so nothing here is locked.
type monitor struct {
	core, node int
	apic       uint32
	sleeper    mesh.Sleeper // the one goroutine's sleeper
	ws         *urpc.Waitset
	peers      [maxCores]*peer // by core; nil for this core and cores not planned
	byIndex    []*peer         // by waitset index
	greeted    uint64          // cores whose hello arrived
	pollNs     int64           // the waitset's poll time as set_poll sets it

	// The probe in flight (measure.go).
	probeSeq uint64
	probeGot bool
}

// peer is the channel to another core's monitor.
type peer struct {
	core int
	node int
	apic uint32
	b    *intermon.Binding
	dead bool // its endpoint failed: no longer served
}

// connect maps a channel to every other planned core and greets each
// monitor. A core that is not up yet finds the hello in its channel
// when its monitor starts.
func connect(core, node int) (*monitor, error) {
	apic, _, err := sys.CoreInfo(core)
	if err != nil {
		return nil, fmt.Errorf("this core's information: %v", err)
	}
	m := &monitor{core: core, node: node, apic: apic}
	m.ws = urpc.NewWaitset(&m.sleeper, 0)
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
		p := &peer{core: c, node: pnode, apic: papic}
		p.b = intermon.NewBinding(ep, &link{m: m, p: p})
		m.peers[c] = p
		m.byIndex = append(m.byIndex, p)
		m.ws.Add(ep)
	}
	for _, p := range m.byIndex {
		if err := p.b.SendHello(uint16(core), apic, uint8(node)); err != nil {
			m.fail(p, err)
		}
	}
	return m, nil
}

// serve dispatches messages from every channel, forever.
func (m *monitor) serve() {
	for {
		m.step()
	}
}

// step waits for one message on any channel and dispatches it.
func (m *monitor) step() { m.handle(m.ws.Wait()) }

// handle receives and dispatches the message the waitset found ready on
// endpoint i, or reports err.
func (m *monitor) handle(i int, err error) {
	if i < 0 || i >= len(m.byIndex) {
		fmt.Fprintf(os.Stderr, "monitor %d: waitset: %v\n", m.core, err)
		time.Sleep(time.Second)
		return
	}
	p := m.byIndex[i]
	if err != nil {
		m.fail(p, err) // the waitset skips this endpoint from now on
		return
	}
	msg, err := p.b.Endpoint().TryRecv()
	switch {
	case err == urpc.ErrWouldBlock:
		return // part of a message: the rest is on its way
	case err != nil:
		m.fail(p, err)
	case p.dead:
		// A broken peer: its messages are read and dropped.
	default:
		if err := p.b.Dispatch(msg); err != nil {
			m.fail(p, err)
		}
	}
}

// fail reports a channel that broke (a malformed slot from a buggy peer,
// an undecodable or unexpected message) and stops dispatching its
// messages; the monitor goes on with the others.
func (m *monitor) fail(p *peer, err error) {
	if p.dead {
		return
	}
	p.dead = true
	fmt.Fprintf(os.Stderr, "monitor %d: channel to core %d: %v; no longer served\n", m.core, p.core, err)
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
