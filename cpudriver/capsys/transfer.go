package capsys

import (
	"sync"
	"time"

	"multikernel/cap"
	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/monlink"
	"multikernel/cpudriver/notify"
	"multikernel/urpc/if/kernmon"
)

// Capabilities between cores (docs/capabilities.md, "Copies between
// cores"): a program sends a copy of a capability it may grant to an
// endpoint of another core (SysCapSend); its CPU driver marks the
// capability as having copies elsewhere and tells its monitor (kernmon
// cap_send), which passes it to the other core's monitor (intermon
// cap_transfer), which puts it into the endpoint's queue there
// (SysCapImport), from which only the program that bound the endpoint
// takes it (SysCapReceive). The capability keeps its owner core. A
// capability with copies on other cores cannot be deleted or revoked
// locally (the cap package refuses it): that is the two-phase protocol's
// work.

// endpoints holds the capabilities that arrived from other cores, by
// endpoint, oldest first, until the program bound to the endpoint takes
// them, and which process bound each endpoint. Its IDs are in
// the core's database. It is taken after the capability lock when both
// are held.
var endpoints = struct {
	mu      sync.Mutex
	queued  map[uint32][]cap.ID
	n       int // capabilities queued, on all endpoints
	bound   map[uint32]Holder
	arrived *notify.Bell // rung when one arrives
}{queued: map[uint32][]cap.ID{}, bound: map[uint32]Holder{}, arrived: notify.NewBell()}

// maxInbox bounds the capabilities waiting on a core's endpoints.
const maxInbox = 256

// Send sends a copy of the capability in slot to endpoint ep of core.
func Send(h Holder, slot, core, ep uint64) int64 {
	if monlink.Mach == nil || core >= kpi.MaxCores || ep > 1<<32-1 {
		return -kpi.EINVAL
	}
	if _, _, ok := monlink.Mach.CoreInfo(int(core)); !ok || int(core) == int(capcore.Index()) {
		return -kpi.EINVAL
	}
	capcore.Lock()
	id := h.CSpace().Lookup(slot)
	if id == 0 || capcore.DB() == nil {
		capcore.Unlock()
		return -kpi.EBADF
	}
	c, err := capcore.DB().Identify(id)
	switch {
	case err != nil:
		capcore.Unlock()
		return capcore.Errno(err)
	case !c.Rights.Has(cap.RightGrant):
		capcore.Unlock()
		return -kpi.EPERM // passing a capability on needs the grant right
	case c.Space() != cap.SpacePhys || c.Type == cap.RAM:
		capcore.Unlock()
		return -kpi.EINVAL // Frames and DevFrames travel; RAM stays with its core
	}
	capcore.DB().SetRemote(id, c.Remote|cap.RemoteCopies)
	capcore.Unlock()
	// Outside the lock: the send may wait for the monitor to read.
	if !monlink.Tell(func(b *kernmon.Binding) error {
		return b.SendCapSend(uint16(core), uint32(ep), uint8(c.Type), c.Base, c.Size, uint8(c.Rights), uint16(c.Owner))
	}) {
		return -kpi.EAGAIN
	}
	return 0
}

// Import puts a capability that came from another core into the
// queue of endpoint a[5] (the monitor's call).
func Import(a [6]uint64) int64 {
	c := cap.Cap{Type: cap.Type(a[0]), Base: a[1], Size: a[2], Rights: cap.Rights(a[3]),
		Owner: cap.Core(a[4]), Remote: cap.RemoteCopies}
	if c.Space() != cap.SpacePhys || c.Type == cap.RAM || !c.Rights.Valid() || a[4] >= kpi.MaxCores || a[5] > 1<<32-1 {
		return -kpi.EINVAL
	}
	ep := uint32(a[5])
	endpoints.mu.Lock()
	full := endpoints.n >= maxInbox
	endpoints.mu.Unlock()
	if full {
		return -kpi.EAGAIN
	}
	capcore.Lock()
	if capcore.DB() == nil {
		capcore.Unlock()
		return -kpi.ENOSYS
	}
	id, err := capcore.DB().Receive(c)
	capcore.Unlock()
	if err != nil {
		return capcore.Errno(err)
	}
	endpoints.mu.Lock()
	endpoints.queued[ep] = append(endpoints.queued[ep], id)
	endpoints.n++
	endpoints.mu.Unlock()
	endpoints.arrived.Ring()
	return 0
}

// bindEndpoint binds ep to p if no other process holds it: 0, or EBUSY.
// endpoints.mu is held.
func bindEndpoint(ep uint32, p Holder) int64 {
	switch q := endpoints.bound[ep]; {
	case q == p:
	case q != nil:
		return -kpi.EBUSY
	default:
		endpoints.bound[ep] = p
	}
	return 0
}

// endpointsEnded unbinds the endpoints of a process that has gone; what
// waits on them stays for the next program to bind them.
func endpointsEnded(p Holder) {
	endpoints.mu.Lock()
	defer endpoints.mu.Unlock()
	for ep, q := range endpoints.bound {
		if q == p {
			delete(endpoints.bound, ep)
		}
	}
}

// Receive takes the oldest capability sent to endpoint ep into a new
// slot, waiting up to timeout (0: no limit). The first call binds ep to
// the process; it fails with EBUSY if another process holds it.
func Receive(h Holder, ep uint64, timeout time.Duration) int64 {
	if ep > 1<<32-1 {
		return -kpi.EINVAL
	}
	e := uint32(ep)
	expired, stop := notify.Timer(timeout)
	defer stop()
	for {
		_, ch := endpoints.arrived.State() // before the look, so no arrival is missed
		endpoints.mu.Lock()
		if r := bindEndpoint(e, h); r != 0 {
			endpoints.mu.Unlock()
			return r
		}
		var id cap.ID
		if q := endpoints.queued[e]; len(q) > 0 {
			id = q[0]
			endpoints.queued[e] = q[1:]
			endpoints.n--
		}
		endpoints.mu.Unlock()
		if id != 0 {
			capcore.Lock()
			slot := h.CSpace().Put(id)
			if slot >= 0 {
				h.CSpace().Lend(id) // another core's: not this program's to revoke
			}
			capcore.Unlock()
			if slot < 0 {
				endpoints.mu.Lock()
				endpoints.queued[e] = append([]cap.ID{id}, endpoints.queued[e]...) // back, for when it has room
				endpoints.n++
				endpoints.mu.Unlock()
				return -kpi.ENOMEM
			}
			return slot
		}
		select {
		case <-ch:
		case <-expired:
			return -kpi.ETIMEDOUT
		case <-h.Dying():
			return -kpi.EINTR
		}
	}
}
