package native

import (
	"sync"

	"multikernel/cpudriver/addrspace"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/monlink"
	"multikernel/cpudriver/proc"
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

// clients are the channels by id, and each program's, by process;
// guarded by mu.
var clients = struct {
	mu     sync.Mutex
	next   uint32
	byID   map[uint32]*client
	byProc map[*proc.Process]uint32
}{byID: map[uint32]*client{}, byProc: map[*proc.Process]uint32{}}

// connect gives the calling program its channel to the monitor and
// returns the address; a second call returns the same address.
func connect(t *proc.Thread, _ [6]uint64) int64 {
	p := t.Proc()
	if p.Monitor {
		return -kpi.EINVAL
	}
	clients.mu.Lock()
	if _, ok := clients.byProc[p]; ok {
		clients.mu.Unlock()
		return clientWindow
	}
	pa := ring0.AllocPage()
	if pa == 0 {
		clients.mu.Unlock()
		return -kpi.ENOMEM
	}
	id := clients.next
	clients.next++
	err := p.WithSpace(func(s *addrspace.Space) error { return s.MapPinned(clientWindow, pa, kpi.ChannelSize) })
	if err != nil {
		ring0.FreePage(pa)
		clients.mu.Unlock()
		return -kpi.ENOMEM
	}
	clients.byID[id] = &client{pa: pa, pid: p.PID, progOwns: true}
	clients.byProc[p] = id
	clients.mu.Unlock()
	// Outside the lock: the send may wait for the monitor to read.
	if !monlink.Tell(func(b *kernmon.Binding) error { return b.SendClientOpen(id, uint32(p.PID), p.Name) }) {
		return -kpi.EAGAIN // no monitor: the channel stays, unserved, until exit
	}
	return clientWindow
}

// clientEnded is called when process p has gone (its space released).
func clientEnded(p *proc.Process) {
	clients.mu.Lock()
	id, ok := clients.byProc[p]
	if !ok {
		clients.mu.Unlock()
		return
	}
	delete(clients.byProc, p)
	c := clients.byID[id]
	c.progOwns = false
	mapped := c.monMapped
	if !mapped {
		delete(clients.byID, id)
		ring0.FreePage(c.pa)
	}
	clients.mu.Unlock()
	monlink.Tell(func(b *kernmon.Binding) error { return b.SendClientClosed(id) })
}

// mapClient maps channel id into the monitor and returns its address.
func mapClient(t *proc.Thread, a [6]uint64) int64 {
	id := a[0]
	clients.mu.Lock()
	defer clients.mu.Unlock()
	va, c, errno := clientAt(id)
	if errno == 0 && !c.progOwns {
		errno = -kpi.ENOENT // its program has ended
	}
	if errno != 0 {
		return errno
	}
	if c.monMapped {
		return int64(va)
	}
	p := t.Proc()
	err := p.WithSpace(func(s *addrspace.Space) error { return s.MapPinned(va, c.pa, kpi.ChannelSize) })
	if err != nil {
		p.Logf("client channel %d: %v", id, err)
		return -kpi.ENOMEM
	}
	c.monMapped = true
	return int64(va)
}

// closeClient unmaps channel id from the monitor, and frees its frame if
// its program has ended.
func closeClient(t *proc.Thread, a [6]uint64) int64 {
	id := a[0]
	clients.mu.Lock()
	defer clients.mu.Unlock()
	va, c, errno := clientAt(id)
	if errno == 0 && !c.monMapped {
		errno = -kpi.ENOENT
	}
	if errno != 0 {
		return errno
	}
	p := t.Proc()
	p.UnmapFrame(va, kpi.ChannelSize)
	c.monMapped = false
	if !c.progOwns {
		delete(clients.byID, uint32(id))
		ring0.FreePage(c.pa)
	}
	return 0
}

// clientAt returns where the monitor maps channel id and the channel:
// EINVAL for an id no channel can have, ENOENT for one that has none.
// clients.mu is held.
func clientAt(id uint64) (uint64, *client, int64) {
	va, ok := monitorVA(id)
	if !ok {
		return 0, nil, -kpi.EINVAL
	}
	c := clients.byID[uint32(id)]
	if c == nil {
		return 0, nil, -kpi.ENOENT
	}
	return va, c, 0
}

// monitorVA is where the monitor maps program channel id; false for an
// id no channel can have.
func monitorVA(id uint64) (uint64, bool) {
	return clientWindow + (id+1)*kpi.ChannelSize, id < 1<<32
}
