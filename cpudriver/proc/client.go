package proc

import (
	"sync"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/ring0"
	"multikernel/urpc/if/kernmon"
)

// Programs' channels to this core's monitor (interface monclient,
// docs/urpc.md). A program asks for one with SysConnect: the CPU driver
// takes a frame from the core's pool, maps it into the program at
// clientWindow and tells the monitor (kernmon client_open), which maps it
// with SysClient. When the program ends, the CPU driver tells the monitor
// (client_closed), which unmaps it with SysClientClose; the frame goes
// back to the pool once neither maps it.

// clientWindow is where a program's channel to its monitor is mapped;
// the monitor maps channel id at clientWindow + (id+1)*ChannelSize.
const clientWindow = 0x610000000000

// client is one program's channel to the monitor. Guarded by clients.mu.
type client struct {
	pa        uint64
	pid       int
	progOwns  bool // mapped in the program, which has not ended
	monMapped bool // mapped in the monitor
}

var clients = struct {
	mu   sync.Mutex
	next uint32
	byID map[uint32]*client
}{byID: map[uint32]*client{}}

// connect gives the calling program its channel to the monitor and
// returns the address; a second call returns the same address.
func (t *Thread) connect() int64 {
	p := t.proc
	if p.Monitor {
		return -kpi.EINVAL
	}
	clients.mu.Lock()
	for _, c := range clients.byID {
		if c.pid == p.PID && c.progOwns {
			clients.mu.Unlock()
			return clientWindow
		}
	}
	pa := ring0.AllocPage()
	if pa == 0 {
		clients.mu.Unlock()
		return -kpi.ENOMEM
	}
	id := clients.next
	clients.next++
	err := p.withSpace(func(s *space) error { return s.mapPinned(clientWindow, pa, kpi.ChannelSize) })
	if err != nil {
		ring0.FreePage(pa)
		clients.mu.Unlock()
		return -kpi.ENOMEM
	}
	clients.byID[id] = &client{pa: pa, pid: p.PID, progOwns: true}
	p.client, p.hasClient = id, true
	clients.mu.Unlock()
	// Outside the lock: the send may wait for the monitor to read.
	if !tellMonitor(func(b *kernmon.Binding) error { return b.SendClientOpen(id, uint32(p.PID), p.Name) }) {
		return -kpi.EAGAIN // no monitor: the channel stays, unserved, until exit
	}
	return clientWindow
}

// clientEnded is called when process p has gone (its space released).
func clientEnded(p *Process) {
	if !p.hasClient {
		return
	}
	id := p.client
	clients.mu.Lock()
	c := clients.byID[id]
	c.progOwns = false
	mapped := c.monMapped
	if !mapped {
		delete(clients.byID, id)
		ring0.FreePage(c.pa)
	}
	clients.mu.Unlock()
	tellMonitor(func(b *kernmon.Binding) error { return b.SendClientClosed(id) })
}

// mapClient maps channel id into the monitor and returns its address.
func (t *Thread) mapClient(id uint64) int64 {
	va, ok := monitorVA(id)
	if !ok {
		return -kpi.EINVAL
	}
	clients.mu.Lock()
	defer clients.mu.Unlock()
	c := clients.byID[uint32(id)]
	if c == nil || !c.progOwns {
		return -kpi.ENOENT // unknown, or its program has ended
	}
	if c.monMapped {
		return int64(va)
	}
	p := t.proc
	err := p.withSpace(func(s *space) error { return s.mapPinned(va, c.pa, kpi.ChannelSize) })
	if err != nil {
		p.logf("client channel %d: %v", id, err)
		return -kpi.ENOMEM
	}
	c.monMapped = true
	return int64(va)
}

// closeClient unmaps channel id from the monitor, and frees its frame if
// its program has ended.
func (t *Thread) closeClient(id uint64) int64 {
	va, ok := monitorVA(id)
	if !ok {
		return -kpi.EINVAL
	}
	clients.mu.Lock()
	defer clients.mu.Unlock()
	c := clients.byID[uint32(id)]
	if c == nil || !c.monMapped {
		return -kpi.ENOENT
	}
	p := t.proc
	p.mu.Lock()
	p.space.unmapPinned(va, va+kpi.ChannelSize)
	p.mu.Unlock()
	c.monMapped = false
	if !c.progOwns {
		delete(clients.byID, uint32(id))
		ring0.FreePage(c.pa)
	}
	return 0
}

// monitorVA is where the monitor maps program channel id; false for an
// id no channel can have.
func monitorVA(id uint64) (uint64, bool) {
	return clientWindow + (id+1)*kpi.ChannelSize, id < 1<<32
}
