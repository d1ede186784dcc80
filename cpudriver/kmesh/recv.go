package kmesh

import (
	"errors"
	"fmt"
	"multikernel/cpudriver/trace"
	"sync"
	"time"

	"multikernel/urpc"
)

// serve is the receive goroutine: it holds rx (the waitset and the receive
// side of every endpoint) except while it sleeps, and never returns.
func (m *Mesh) serve() {
	if len(m.order) == 0 {
		return
	}
	m.rx.Lock()
	poll := time.Duration(-1)
	for {
		if p := m.pollTime(); p != poll {
			poll = p
			m.ws.SetPollTime(p)
		}
		m.receiveOne()
	}
}

// pollTime is the receive goroutine's poll time now: this core's setting,
// or a peer's request until the goroutine next slept, whichever is longer.
func (m *Mesh) pollTime() time.Duration {
	if m.slept {
		m.asked, m.slept = 0, false
	}
	p := time.Duration(m.pollNs.Load())
	if m.asked > 0 && m.asked > p {
		p = m.asked
	}
	return p
}

// noteSleep is the receive waitset's urpc.Sleeper: s, noting each sleep
// in *slept, with rx let go for the sleep so that Drain may receive
// meanwhile.
type noteSleep struct {
	s     urpc.Sleeper
	slept *bool
	rx    *sync.Mutex
}

// Sleep sleeps on s.
func (n noteSleep) Sleep(ev urpc.Event) {
	*n.slept = true
	n.rx.Unlock()
	n.s.Sleep(ev)
	n.rx.Lock()
}

// drainMax bounds the messages one Drain handles: the rest wait for the
// receive goroutine, which the same notification woke.
const drainMax = 64

// Drain handles the messages waiting on this core's channels on the
// calling goroutine, a notification hook (notify.AddHook): the handlers
// run a goroutine hop sooner than on the receive goroutine, which the
// notification wakes too. It does nothing while the receive goroutine is
// receiving (it handles them itself), and handles at most drainMax.
func (m *Mesh) Drain() {
	if len(m.order) == 0 || !m.rx.TryLock() {
		return
	}
	defer m.rx.Unlock()
	for k := 0; k < drainMax; k++ {
		i, ok, err := m.ws.Poll()
		if !ok {
			break
		}
		m.receive(i, err)
	}
	m.ws.Ack()
}

// receiveOne waits for one endpoint and handles what it holds.
func (m *Mesh) receiveOne() {
	i, err := m.ws.Wait()
	m.receive(i, err)
}

// receive handles what endpoint i, which Wait or Poll returned with err,
// holds. rx is held.
func (m *Mesh) receive(i int, err error) {
	p := m.order[i]
	if err != nil {
		// The waitset reports a broken endpoint once and skips it.
		m.cutOff(p, err)
		return
	}
	msg, err := p.ep.TryRecv()
	switch {
	case errors.Is(err, urpc.ErrWouldBlock):
		return // a first fragment: kmesh messages have one, so the next is malformed
	case err != nil:
		m.cutOff(p, err)
		return
	}
	trace.Add(trace.URPCRecv, uint16(p.core), trace.MsgB(uint8(msg.Type), p.received))
	p.received++
	m.dispatch(p.core, msg)
}

// dispatch checks msg from core from against the table and hands it to
// its handler, counting and reporting what it refuses.
func (m *Mesh) dispatch(from int, msg urpc.Message) {
	t := Type(msg.Type)
	if r := check(msg); r != fine {
		m.Stats.count(m.self, from, r, fmt.Sprintf("%v, %d bytes", t, len(msg.Data)))
		return
	}
	h := m.handlers[t].Load()
	if h == nil {
		m.Stats.count(m.self, from, noHandler, t.String())
		return
	}
	if err := (*h)(from, msg); err != nil {
		m.Stats.count(m.self, from, badFields, fmt.Sprintf("%v: %v", t, err))
		return
	}
	m.Stats.Received.Add(1)
}
