package kmesh

import (
	"errors"
	"fmt"
	"multikernel/cpudriver/trace"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"multikernel/urpc"
)

// Machine is what a mesh needs of the machine: package main implements it
// over the shared area, the host tests over Go memory.
type Machine interface {
	// Self is this core's index.
	Self() int
	// Cores is how many cores were planned.
	Cores() int
	// Frame returns the channel frame this core shares with peer (zeroed
	// at boot, the only memory the two CPU drivers share), nil if there
	// is none.
	Frame(peer int) []byte
	// Up reports whether peer's CPU driver is up.
	Up(peer int) bool
	// Notify raises a notification on peer and reports whether it could.
	Notify(peer int) bool
}

// Errors of Send.
var (
	// ErrDown: the peer is not up, is this core, or has no channel.
	ErrDown = errors.New("kmesh: peer not up")
	// ErrFull: the peer's ring stayed full for SendBound.
	ErrFull = errors.New("kmesh: ring full")
	// ErrBroken: the peer broke the channel's framing and is cut off.
	ErrBroken = errors.New("kmesh: channel broken")
)

// SendBound is the longest Send waits for room in a full ring.
var SendBound = 10 * time.Millisecond

// A Handler handles one message of its type from core from, on the
// receive goroutine; m.Data has the table's length and is valid only
// until the handler returns. It returns an error for fields it refuses
// (the message is then counted and reported). It must not block.
type Handler func(from int, m urpc.Message) error

// Mesh is one core's end of every channel: its endpoints, its receive
// waitset and its handlers. All of it lives in this core's heap.
type Mesh struct {
	mach     Machine
	self     int
	peers    []*peer // by core; nil for this core and cores without a channel
	ws       *urpc.Waitset
	order    []*peer // waitset index -> peer
	handlers [numTypes]atomic.Pointer[Handler]
	pollNs   atomic.Int64 // this core's poll time for its receive goroutine (SetPollTime)
	// rx is held by whoever receives: the receive goroutine, except
	// while it sleeps, or Drain. It guards the waitset, the receive
	// sides of the endpoints, and asked and slept: what a peer's ping
	// asked the receiver to poll, and whether the receive goroutine
	// slept since (which ends the request).
	rx    sync.Mutex
	asked time.Duration
	slept bool
	clock func() uint64 // this core's time-stamp counter
	// Stats counts what this core's end sent, received and refused.
	Stats Stats

	pings pings // ping.go
	bench bench // bench.go
}

// peer is this core's endpoint of the channel to one other core.
type peer struct {
	core   int
	ep     *urpc.Endpoint
	mu     sync.Mutex // orders senders: the endpoint's send side
	broken atomic.Bool
	// sent (under mu) and received (under the mesh's rx) count the
	// messages of each direction: a message's number on its channel,
	// which the trace's send and receive events share (cpudriver/trace).
	sent, received uint32
}

// notifier raises a notification on one peer (urpc.Notifier).
type notifier struct {
	mach Machine
	core int
}

// Notify raises the notification; the event does not matter, the peer's
// receive goroutine looks at everything when it wakes.
func (n notifier) Notify(urpc.Event) { n.mach.Notify(n.core) }

// newMesh makes an endpoint over every frame mach has for this core,
// sleeping on s, with clock the time-stamp counter. Nothing runs until
// serve.
func newMesh(mach Machine, s urpc.Sleeper, clock func() uint64) (*Mesh, error) {
	if err := checkTable(table[:]); err != nil {
		return nil, err
	}
	m := &Mesh{mach: mach, self: mach.Self(), clock: clock}
	m.ws = urpc.NewWaitset(noteSleep{s, &m.slept, &m.rx}, -1)
	m.pollNs.Store(-1)
	m.peers = make([]*peer, mach.Cores())
	for c := range m.peers {
		if c == m.self {
			continue
		}
		mem := mach.Frame(c)
		if mem == nil {
			continue
		}
		side := urpc.SideA
		if m.self > c {
			side = urpc.SideB
		}
		ep, err := urpc.New(mem, side, urpc.Config{
			Notifier: notifier{mach, c}, Sleeper: s, PollTime: -1, MaxMessage: urpc.PayloadSize,
		})
		if err != nil {
			return nil, fmt.Errorf("kmesh: channel to core %d: %v", c, err)
		}
		p := &peer{core: c, ep: ep}
		m.peers[c] = p
		m.ws.Add(ep)
		m.order = append(m.order, p)
	}
	m.Handle(Ping, m.onPing)
	m.Handle(Pong, m.onPong)
	return m, nil
}

// Channels returns how many peers this core has a channel to.
func (m *Mesh) Channels() int { return len(m.order) }

// Handle makes h the handler of type t on this mesh (replacing any
// other); it may be called at any time, from any goroutine of the core.
func (m *Mesh) Handle(t Type, h Handler) {
	if _, ok := Lookup(t); !ok {
		panic(fmt.Sprintf("kmesh: Handle of undeclared %v", t))
	}
	m.handlers[t].Store(&h)
}

// SetPollTime sets how long the receive goroutine polls before it sleeps
// (negative: sleep at once, the default), unless a peer's ping asked for
// longer (ping.go); it takes effect at its next wait.
func (m *Mesh) SetPollTime(d time.Duration) { m.pollNs.Store(int64(d)) }

// Send sends one message of type t with payload (exactly the table's
// length) to core, notifying it if it sleeps. It returns ErrDown for a
// peer that is not up, ErrFull when the ring stayed full for SendBound,
// ErrBroken for a peer cut off.
func (m *Mesh) Send(core int, t Type, payload []byte) error {
	s, ok := Lookup(t)
	if !ok || len(payload) != s.Size {
		return fmt.Errorf("kmesh: send of %v with %d bytes: not in the table", t, len(payload))
	}
	if core < 0 || core >= len(m.peers) || m.peers[core] == nil || !m.mach.Up(core) {
		m.Stats.count(m.self, core, down, t.String())
		return ErrDown
	}
	p := m.peers[core]
	if p.broken.Load() {
		return ErrBroken
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var deadline time.Time
	for {
		at := trace.Now(trace.URPCSend)
		err := p.ep.TryPost(uint16(t), payload)
		if err == nil {
			p.ep.Flush()
			m.Stats.Sent.Add(1)
			trace.AddAt(at, trace.URPCSend, uint16(core), trace.MsgB(uint8(t), p.sent))
			p.sent++
			return nil
		}
		if err != urpc.ErrWouldBlock {
			m.cutOff(p, err)
			return ErrBroken
		}
		// Full: the peer has not acked. Make sure it knows of what
		// is there, and let this core's other goroutines run.
		p.ep.Flush()
		if deadline.IsZero() {
			deadline = time.Now().Add(SendBound)
		} else if time.Now().After(deadline) {
			m.Stats.count(m.self, core, full, t.String())
			return ErrFull
		}
		runtime.Gosched()
	}
}

// SendNow is Send that notifies the peer whether or not its receiver
// announced that it sleeps: a core that runs a program's thread in ring
// 3 takes the notification interrupt and reads the message at once, as
// a TLB shootdown, a futex wake and an exit need.
func (m *Mesh) SendNow(core int, t Type, payload []byte) error {
	if err := m.Send(core, t, payload); err != nil {
		return err
	}
	m.mach.Notify(core)
	return nil
}

// cutOff marks p broken after err and reports it once.
func (m *Mesh) cutOff(p *peer, err error) {
	p.broken.Store(true)
	m.Stats.count(m.self, p.core, broken, err.Error())
}
