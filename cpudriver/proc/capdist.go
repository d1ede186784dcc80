package proc

import (
	"sync"

	"multikernel/cap"
	"multikernel/cap/dist"
	"multikernel/cpudriver/ring0"
	"multikernel/libos/sys"
	"multikernel/urpc/if/kernmon"
)

// Revoke and delete of a capability with copies on other cores
// (docs/capabilities.md, "Across cores"): the cap package refuses them
// locally, so the CPU driver asks its monitor (kernmon capop_request) and
// the program waits; the monitors run cap/dist's two-phase protocol, each
// applies the outcome to its core's copies through SysCapApply, and the
// coordinating monitor ends the wait with SysCapOpDone.

// errNeedsMonitor is what capCall returns for an operation the monitors
// must run (never seen by programs).
const errNeedsMonitor = -(1 << 20)

// distOps are the requests this core's programs wait for.
var distOps = struct {
	mu      sync.Mutex
	next    uint32
	waiting map[uint32]*distWait
}{waiting: map[uint32]*distWait{}}

// distWait is one waiting request: the requester's capability and where
// its result goes.
type distWait struct {
	id   cap.ID
	done chan int64
}

// capDistributed asks the monitor to run kind (dist.Revoke or
// dist.Delete) on the capability in slot and waits for the outcome.
func (t *Thread) capDistributed(kind dist.Kind, slot uint64) int64 {
	capCore.mu.Lock()
	id := t.proc.caps.lookupSlot(slot)
	c, err := capCore.db.Identify(id)
	capCore.mu.Unlock()
	if id == 0 || err != nil {
		return -eBADF
	}
	r := requestDistributed(kind, id, c, t.proc.dying)
	if r == 0 && kind == dist.Delete {
		capCore.mu.Lock()
		if t.proc.caps.lookupSlot(slot) == id {
			t.proc.caps.slots[slot] = 0
		}
		capCore.mu.Unlock()
	}
	return r
}

// requestDistributed asks the monitor to run kind on capability id (whose
// content is c) and waits for the outcome, or until stop closes (nil:
// never).
func requestDistributed(kind dist.Kind, id cap.ID, c cap.Cap, stop <-chan struct{}) int64 {
	w := &distWait{id: id, done: make(chan int64, 1)}
	distOps.mu.Lock()
	distOps.next++
	token := distOps.next
	distOps.waiting[token] = w
	distOps.mu.Unlock()
	defer func() {
		distOps.mu.Lock()
		delete(distOps.waiting, token)
		distOps.mu.Unlock()
	}()
	if !tellMonitor(func(b *kernmon.Binding) error {
		return b.SendCapopRequest(token, uint8(kind), uint8(c.Type), c.Base, c.Size)
	}) {
		return -eBUSY
	}
	select {
	case r := <-w.done:
		return r
	case <-stop:
		return -eINTR
	}
}

// capHas returns how many copies of the capability named by type, base
// and size this core holds.
func capHas(a [6]uint64) int64 {
	capCore.mu.Lock()
	defer capCore.mu.Unlock()
	return int64(len(localCopies(cap.Type(a[0]), a[1], a[2])))
}

// localCopies returns this core's copies of the capability. The caller
// holds capCore.mu.
func localCopies(t cap.Type, base, size uint64) []cap.ID {
	if capCore.db == nil {
		return nil
	}
	want := cap.Cap{Type: t, Base: base, Size: size}
	var ids []cap.ID
	for _, id := range capCore.db.IDs() {
		if c, err := capCore.db.Identify(id); err == nil && cap.IsCopy(c, want) {
			ids = append(ids, id)
		}
	}
	return ids
}

// capApply applies a committed revoke or delete to this core's copies
// (SysCapApply): the monitors decided it, so the remote relations that
// made the cap package refuse it locally are cleared first; ApplyAdopt,
// which follows every commit, sets them again as the commit says.
func (t *Thread) capApply(a [6]uint64) int64 {
	what, token := a[0], uint32(a[4])
	capCore.mu.Lock()
	defer capCore.mu.Unlock()
	db := capCore.db
	ids := localCopies(cap.Type(a[1]), a[2], a[3])
	if db == nil || len(ids) == 0 {
		return 0 // nothing here
	}
	if what == sys.ApplyAdopt {
		return adopt(db, ids[0], a[4], a[5])
	}
	keep := ids[0]
	if what != sys.ApplyRevoke {
		distOps.mu.Lock()
		w := distOps.waiting[token]
		distOps.mu.Unlock()
		if w == nil {
			return -eINVAL
		}
		keep = w.id
	}
	db.SetRemote(keep, 0)
	gone := map[cap.ID]bool{}
	switch what {
	case sys.ApplyRevoke, sys.ApplyRevokeKeep:
		for _, x := range append(db.Copies(keep), db.Descendants(keep)...) {
			gone[x] = true
		}
		if _, err := db.Revoke(keep); err != nil {
			return capErrno(err)
		}
		if what == sys.ApplyRevoke {
			if err := db.Delete(keep); err != nil {
				return capErrno(err)
			}
			gone[keep] = true
		}
	case sys.ApplyDelete:
		if err := db.Delete(keep); err != nil {
			return capErrno(err)
		}
		gone[keep] = true
	default:
		return -eINVAL
	}
	t.unmapCaps(gone)
	return 0
}

// adopt records on id and its local copies the owner a committed
// operation decided and whether copies live on other cores (holders: the
// cores holding copies). Once none does, the cap package may delete and
// revoke them locally again. capCore.mu is held.
func adopt(db *cap.DB, id cap.ID, owner, holders uint64) int64 {
	if owner < maxPeers {
		db.SetOwner(id, cap.Core(owner))
	}
	r, err := db.Remote(id)
	if err != nil {
		return capErrno(err)
	}
	if holders&^(1<<ring0.Core().Index) == 0 {
		r &^= cap.RemoteCopies
	} else {
		r |= cap.RemoteCopies
	}
	db.SetRemote(id, r)
	return 0
}

// capOpDone ends the waiting request token with result.
func capOpDone(token uint64, result int64) int64 {
	distOps.mu.Lock()
	w := distOps.waiting[uint32(token)]
	distOps.mu.Unlock()
	if w == nil || result > 0 {
		return -eINVAL
	}
	select {
	case w.done <- result:
	default:
	}
	return 0
}
