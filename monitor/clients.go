package main

import (
	"fmt"

	"multikernel/libos/mesh"
	"multikernel/libos/sys"
	"multikernel/urpc/if/monclient"
)

// Programs' channels (docs/urpc.md, "Programs and their monitor"): the
// CPU driver announces each one over its kernmon channel; the monitor
// maps it, serves it in its waitset, and hands it back when the program
// has ended.

// kernLink is the kernmon.Handler: messages from this core's CPU driver.
type kernLink struct{ m *monitor }

func (k *kernLink) ClientOpen(id, pid uint32, name string) error {
	m := k.m
	if _, dup := m.clients[id]; dup {
		return fmt.Errorf("client channel %d opened twice", id)
	}
	ep, err := mesh.DialClient(m.core, id, &m.sleeper, monclient.MaxMessage)
	if err != nil {
		// The program may have ended already; its channel is gone.
		fmt.Printf("monitor %d: channel of program %d (%s): %v\n", m.core, pid, name, err)
		return nil
	}
	c := &conn{name: fmt.Sprintf("program %d (%s)", pid, name), ep: ep}
	c.dispatch = monclient.NewBinding(ep, &clientLink{m, id}).Dispatch
	m.clients[id] = c
	m.add(c)
	return nil
}

func (k *kernLink) ClientClosed(id uint32) error {
	m := k.m
	c, ok := m.clients[id]
	if !ok {
		return nil // never mapped: the CPU driver freed it
	}
	delete(m.clients, id)
	m.remove(c)
	m.skbClientEnded(id)
	if err := sys.ClientClose(id); err != nil {
		fmt.Printf("monitor %d: closing the channel of %s: %v\n", m.core, c.name, err)
	}
	return nil
}

// CapSend passes a capability a program of this core sent on to the
// monitor of its destination core.
func (k *kernLink) CapSend(to uint16, ep uint32, ctype uint8, base, size uint64, rights uint8, owner uint16) error {
	m := k.m
	if int(to) >= maxCores || m.peers[to] == nil || m.peers[to].dead {
		fmt.Printf("monitor %d: a capability for core %d, which has no monitor: dropped\n", m.core, to)
		return nil
	}
	p := m.peers[to]
	if err := p.b.SendCapTransfer(ep, ctype, base, size, rights, owner); err != nil {
		m.fail(&p.conn, err)
	}
	return nil
}

// clientLink is the monclient.Handler of a program's channel id.
type clientLink struct {
	m  *monitor
	id uint32
}

func (c *clientLink) SkbQuery(goal string) (string, error) {
	return c.m.skbQueryFor(skbCaller{core: c.m.core, program: true, channel: c.id}, goal)
}
