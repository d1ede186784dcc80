package kmesh

import (
	"errors"
	"fmt"
	"time"

	"multikernel/urpc"
)

// serve is the receive goroutine: it owns the waitset and the receive side
// of every endpoint, and never returns.
func (m *Mesh) serve() {
	if len(m.order) == 0 {
		return
	}
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

// noteSleep is the receive side's urpc.Sleeper: s, noting each sleep in
// *slept (the receive goroutine's own flag).
type noteSleep struct {
	s     urpc.Sleeper
	slept *bool
}

// Sleep sleeps on s.
func (n noteSleep) Sleep(ev urpc.Event) { *n.slept = true; n.s.Sleep(ev) }

// receiveOne waits for one endpoint and handles what it holds.
func (m *Mesh) receiveOne() {
	i, err := m.ws.Wait()
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
