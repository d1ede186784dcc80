package proc

import (
	"sync"
	"time"

	"multikernel/cap"
	"multikernel/urpc/if/kernmon"
)

// Capabilities between cores (docs/capabilities.md, "Across cores"): a
// program sends a copy of a capability it may grant (SysCapSend); its CPU
// driver marks the capability as having copies elsewhere and tells its
// monitor (kernmon cap_send), which passes it to the other core's monitor
// (intermon cap_transfer), which puts it into its core's inbox
// (SysCapImport), from which a program there takes it (SysCapReceive).
// The capability keeps its owner core. A capability with copies on other
// cores cannot be deleted or revoked locally (the cap package refuses
// it): that is the two-phase protocol's work.

// inbox holds the capabilities that arrived from other cores, oldest
// first, until a program takes them. Its IDs are in capCore.db.
var inbox = struct {
	mu      sync.Mutex
	ids     []cap.ID
	arrived bell // rung when one arrives
}{arrived: bell{changed: make(chan struct{})}}

// maxInbox bounds the capabilities waiting in a core's inbox.
const maxInbox = 256

// capSend sends a copy of the capability in slot to core's inbox.
func (t *Thread) capSend(slot, core uint64) int64 {
	if Mach == nil || core >= maxPeers {
		return -eINVAL
	}
	if _, _, ok := Mach.CoreInfo(int(core)); !ok || int(core) == int(capCoreIndex()) {
		return -eINVAL
	}
	capCore.mu.Lock()
	id := t.proc.caps.lookupSlot(slot)
	if id == 0 || capCore.db == nil {
		capCore.mu.Unlock()
		return -eBADF
	}
	c, err := capCore.db.Identify(id)
	switch {
	case err != nil:
		capCore.mu.Unlock()
		return capErrno(err)
	case !c.Rights.Has(cap.RightGrant):
		capCore.mu.Unlock()
		return -ePERM // passing a capability on needs the grant right
	case c.Space() != cap.SpacePhys || c.Type == cap.RAM:
		capCore.mu.Unlock()
		return -eINVAL // Frames and DevFrames travel; RAM stays with its core
	}
	capCore.db.SetRemote(id, c.Remote|cap.RemoteCopies)
	capCore.mu.Unlock()
	// Outside the lock: the send may wait for the monitor to read.
	if !tellMonitor(func(b *kernmon.Binding) error {
		return b.SendCapSend(uint16(core), uint8(c.Type), c.Base, c.Size, uint8(c.Rights), uint16(c.Owner))
	}) {
		return -eAGAIN
	}
	return 0
}

// capImport puts a capability that came from another core into the inbox
// (the monitor's call).
func capImport(a [6]uint64) int64 {
	c := cap.Cap{Type: cap.Type(a[0]), Base: a[1], Size: a[2], Rights: cap.Rights(a[3]),
		Owner: cap.Core(a[4]), Remote: cap.RemoteCopies}
	if c.Space() != cap.SpacePhys || c.Type == cap.RAM || !c.Rights.Valid() || a[4] >= maxPeers {
		return -eINVAL
	}
	inbox.mu.Lock()
	full := len(inbox.ids) >= maxInbox
	inbox.mu.Unlock()
	if full {
		return -eAGAIN
	}
	capCore.mu.Lock()
	if capCore.db == nil {
		capCore.mu.Unlock()
		return -eNOSYS
	}
	id, err := capCore.db.Receive(c)
	capCore.mu.Unlock()
	if err != nil {
		return capErrno(err)
	}
	inbox.mu.Lock()
	inbox.ids = append(inbox.ids, id)
	inbox.mu.Unlock()
	inbox.arrived.ring()
	return 0
}

// capReceive takes the oldest capability from the inbox into a new slot,
// waiting up to timeout (0: no limit).
func (t *Thread) capReceive(timeout time.Duration) int64 {
	expired, stop := optionalTimer(timeout)
	defer stop()
	for {
		_, ch := inbox.arrived.state() // before the look, so no arrival is missed
		inbox.mu.Lock()
		var id cap.ID
		if len(inbox.ids) > 0 {
			id = inbox.ids[0]
			inbox.ids = inbox.ids[1:]
		}
		inbox.mu.Unlock()
		if id != 0 {
			capCore.mu.Lock()
			slot := t.proc.caps.put(id)
			if slot >= 0 {
				t.proc.caps.lend(id) // another core's: not this program's to revoke
			}
			capCore.mu.Unlock()
			if slot < 0 {
				inbox.mu.Lock()
				inbox.ids = append([]cap.ID{id}, inbox.ids...) // back, for someone with room
				inbox.mu.Unlock()
				return -eNOMEM
			}
			return slot
		}
		select {
		case <-ch:
		case <-expired:
			return -eTIMEDOUT
		case <-t.proc.dying:
			return -eINTR
		}
	}
}

// capCoreIndex is this core's number as the capability database knows it.
func capCoreIndex() cap.Core {
	capCore.mu.Lock()
	defer capCore.mu.Unlock()
	if capCore.db == nil {
		return 0
	}
	return capCore.db.Core()
}
