package capsys

import (
	"multikernel/cap"
	"multikernel/cap/dist"
	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/monlink"
	"multikernel/cpudriver/ring0"
	"multikernel/cpudriver/trace"
	"multikernel/urpc/if/kernmon"
)

// Retype, revoke and delete of a capability with copies on other cores
// (docs/capabilities.md, "Across cores"): the cap package refuses them
// locally, so the CPU driver asks its monitor (kernmon capop_request) and
// the program waits; the monitors run cap/dist's two-phase protocol, each
// checks and applies the outcome to its core's copies through
// SysCapApply, and the coordinating monitor ends the wait with
// SysCapOpDone.

// distOps are the requests this core's programs wait for.
var distOps monlink.WaitTable[*distWait]

// distWait is one waiting request: the requester's capability, for a
// retype what to make and what ApplyRetype made, and where its result
// goes.
type distWait struct {
	id     cap.ID
	retype *cap.RetypeArgs
	made   []cap.ID // guarded by the capability lock
	done   chan int64
}

// capDistributed asks the monitor to run kind (dist.Retype, dist.Revoke
// or dist.Delete) on the capability in slot a[0] (a retype's arguments
// follow, as SysCapRetype takes them) and waits for the outcome. A retype
// returns the first slot of what it made.
func capDistributed(h Holder, kind dist.Kind, a [6]uint64) int64 {
	slot := a[0]
	capcore.Lock()
	id := h.CSpace().Lookup(slot)
	c, err := capcore.DB().Identify(id)
	capcore.Unlock()
	if id == 0 || err != nil {
		return -kpi.EBADF
	}
	var ra *cap.RetypeArgs
	if kind == dist.Retype {
		ra = &cap.RetypeArgs{Type: cap.Type(a[1]), Offset: a[2], ObjSize: a[3], Count: a[4]}
	}
	r, made := requestDistributed(kind, id, c, ra, h.Dying())
	capcore.Lock()
	defer capcore.Unlock()
	switch {
	case r == 0 && kind == dist.Delete:
		h.CSpace().Clear(slot, id)
	case r == 0 && kind == dist.Retype:
		r = placeRetyped(h, capcore.DB(), made)
	}
	return r
}

// requestDistributed asks the monitor to run kind on capability id (whose
// content is c; ra: a retype's arguments) and waits for the outcome, or
// until stop closes (nil: never). It returns the outcome and what a
// committed retype made, which the caller now holds.
func requestDistributed(kind dist.Kind, id cap.ID, c cap.Cap, ra *cap.RetypeArgs, stop <-chan struct{}) (result int64, made []cap.ID) {
	w := &distWait{id: id, retype: ra, done: make(chan int64, 1)}
	token := distOps.Add(w)
	defer func() {
		// Under the capability lock, so that no ApplyRetype runs between: what it
		// made is the caller's, or deleted if the request failed.
		capcore.Lock()
		distOps.Remove(token)
		made = w.made
		if result != 0 {
			for _, x := range made {
				capcore.DB().Delete(x)
			}
			made = nil
		}
		capcore.Unlock()
	}()
	var rbase, rsize uint64
	if ra != nil {
		b, e := ra.Range(c)
		rbase, rsize = b, e-b
	}
	trace.Add(trace.CapPhase, trace.CapRequest, uint32(kind))
	if !monlink.Tell(func(b *kernmon.Binding) error {
		return b.SendCapopRequest(token, uint8(kind), uint8(c.Type), c.Base, c.Size, rbase, rsize)
	}) {
		return -kpi.EBUSY, nil
	}
	select {
	case r := <-w.done:
		return r, nil
	case <-stop:
		return -kpi.EINTR, nil
	}
}

// Has returns how many copies of the capability named by type, base
// and size this core holds.
func Has(a [6]uint64) int64 {
	capcore.Lock()
	defer capcore.Unlock()
	return int64(len(localCopies(cap.Type(a[0]), a[1], a[2])))
}

// localCopies returns this core's copies of the capability. The caller
// holds the capability lock.
func localCopies(t cap.Type, base, size uint64) []cap.ID {
	if capcore.DB() == nil {
		return nil
	}
	want := cap.Cap{Type: t, Base: base, Size: size}
	var ids []cap.ID
	for _, id := range capcore.DB().IDs() {
		if c, err := capcore.DB().Identify(id); err == nil && cap.IsCopy(c, want) {
			ids = append(ids, id)
		}
	}
	return ids
}

// Apply applies a committed revoke or delete to this core's copies
// (SysCapApply): the monitors decided it, so the remote relations that
// made the cap package refuse it locally are cleared first; ApplyAdopt,
// which follows every commit, sets them again as the commit says. A
// revoke reaches this core's descendants of the object even where the
// core holds no copy of it (a frame sent here from the core that holds
// its RAM).
func Apply(a [6]uint64) int64 {
	what, token := a[0], uint32(a[4])
	trace.Add(trace.CapPhase, trace.CapApply, uint32(what))
	capcore.Lock()
	defer capcore.Unlock()
	db := capcore.DB()
	if db == nil {
		return 0
	}
	obj := cap.Cap{Type: cap.Type(a[1]), Base: a[2], Size: a[3]}
	switch what {
	case kpi.ApplyOverlaps:
		return overlapsHere(db, obj, a[4], a[5])
	case kpi.ApplyRevoke, kpi.ApplyRevokeKeep:
		var keep cap.ID
		if what == kpi.ApplyRevokeKeep {
			w, _ := distOps.Get(token)
			if w == nil {
				return -kpi.EINVAL
			}
			keep = w.id
		}
		gone := map[cap.ID]bool{}
		for _, x := range db.RevokeAgreed(obj, keep) {
			gone[x] = true
		}
		unmapCaps(gone)
		return 0
	}
	ids := localCopies(obj.Type, obj.Base, obj.Size)
	if len(ids) == 0 {
		return 0 // nothing here
	}
	switch what {
	case kpi.ApplyAdopt:
		return adopt(db, ids[0], a[4], a[5])
	case kpi.ApplyRetype:
		return retypeAgreed(db, token)
	case kpi.ApplyDelete:
		w, _ := distOps.Get(token)
		if w == nil {
			return -kpi.EINVAL
		}
		db.SetRemote(w.id, 0)
		if err := db.Delete(w.id); err != nil {
			return capcore.Errno(err)
		}
		unmapCaps(map[cap.ID]bool{w.id: true})
		return 0
	}
	return -kpi.EINVAL
}

// overlapsHere reports (1) whether this core holds a descendant of obj
// that overlaps [rbase, rbase+rsize); 0 if not. Voting yes, a core that
// holds copies of obj but does not make the retype learns that obj has
// descendants elsewhere from now on (if the retype aborts, it keeps
// believing so: that only keeps the range taken longer). the capability lock is
// held.
func overlapsHere(db *cap.DB, obj cap.Cap, rbase, rsize uint64) int64 {
	var copies []cap.ID
	for _, id := range db.IDs() {
		c, err := db.Identify(id)
		if err != nil {
			continue
		}
		if cap.IsDescendant(c, obj) && c.Base < rbase+rsize && rbase < c.Base+c.Size {
			return 1
		}
		if cap.IsCopy(c, obj) {
			copies = append(copies, id)
		}
	}
	if len(copies) > 0 && !retypingHere(db, obj) {
		r, _ := db.Remote(copies[0])
		db.SetRemote(copies[0], r|cap.RemoteDescendants)
	}
	return 0
}

// retypingHere reports whether a program of this core waits for a
// retype of obj: then this core makes the descendants. the capability lock is
// held.
func retypingHere(db *cap.DB, obj cap.Cap) bool {
	found := false
	distOps.Each(func(w *distWait) {
		if c, err := db.Identify(w.id); err == nil && w.retype != nil && cap.IsCopy(c, obj) {
			found = true
		}
	})
	return found
}

// retypeAgreed makes the retype request token waits for, which every
// core's monitor agreed to; the requester takes what it made when its
// wait ends. the capability lock is held.
func retypeAgreed(db *cap.DB, token uint32) int64 {
	w, _ := distOps.Get(token)
	if w == nil || w.retype == nil {
		return -kpi.EINVAL // the requester has gone: nothing is made
	}
	ids, err := db.RetypeAgreed(w.id, *w.retype)
	if err != nil {
		return capcore.Errno(err)
	}
	w.made = ids
	return 0
}

// adopt records on id and its local copies the owner a committed
// operation decided and whether copies live on other cores (holders: the
// cores holding copies). Once none does, the cap package may delete and
// revoke them locally again. the capability lock is held.
func adopt(db *cap.DB, id cap.ID, owner, holders uint64) int64 {
	if owner < kpi.MaxCores {
		db.SetOwner(id, cap.Core(owner))
	}
	r, err := db.Remote(id)
	if err != nil {
		return capcore.Errno(err)
	}
	if holders&^(1<<ring0.Core().Index) == 0 {
		r &^= cap.RemoteCopies
	} else {
		r |= cap.RemoteCopies
	}
	db.SetRemote(id, r)
	return 0
}

// OpDone ends the waiting request token with result.
func OpDone(token uint64, result int64) int64 {
	trace.Add(trace.CapPhase, trace.CapDone, uint32(result))
	w, _ := distOps.Get(uint32(token))
	if w == nil || result > 0 {
		return -kpi.EINVAL
	}
	select {
	case w.done <- result:
	default:
	}
	return 0
}
