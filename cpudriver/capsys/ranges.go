package capsys

import (
	"errors"

	"multikernel/cap"
	"multikernel/cpudriver/addrspace"
	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/vmas"
)

// Frames in address ranges (docs/segments.md; kpi.SysRangeMapFrame): a
// program maps a Frame (a segment) into one of its ranges, and the
// mapping is recorded in maps as SysCapMap's are, so that deleting or
// revoking the Frame removes it (through the holder's UnmapFrame, which
// finds the range). A spanning program's capabilities are its home
// core's; a Frame mapped into a private range of another core is first
// exported by the home (Export: the Frame now has a copy elsewhere) and
// adopted by that core (Adopt: a copy in that core's database, in the
// CSpace of the program's replica there, mapped there), so that a
// revoke, which the monitors run on every core holding a copy, unmaps it
// on the core whose tables hold it, and that core's end deletes its
// copy. The capability lock orders all of it, taken before the range
// calls' locks.

// RangeMapper maps a Frame's pages (pa, size) at the place its caller
// chose in one of the holder's ranges with prot, uncached for device
// memory, and returns 0 or an errno. It runs under the capability lock,
// so it may grow the holder's memory as MapFrameLocked does.
type RangeMapper func(pa, size uint64, prot uint32, uncached bool) int64

// frameAccess checks that c is a Frame or DevFrame whose rights allow
// prot (PROT_* bits): 0, EINVAL or EPERM.
func frameAccess(c cap.Cap, prot uint32) int64 {
	if c.Type != cap.Frame && c.Type != cap.DevFrame {
		return -kpi.EINVAL
	}
	if prot&^addrspace.ProtMask != 0 || prot&vmas.Read != 0 && !c.Rights.Has(cap.RightRead) ||
		prot&vmas.Write != 0 && !c.Rights.Has(cap.RightWrite) || prot&vmas.Exec != 0 && !c.Rights.Has(cap.RightExecute) {
		return -kpi.EPERM
	}
	return 0
}

// slotFrame returns the Frame or DevFrame in slot of h and its ID,
// checked for prot. The capability lock is held.
func slotFrame(h Holder, db *cap.DB, slot uint64, prot uint32) (cap.Cap, cap.ID, int64) {
	if db == nil {
		return cap.Cap{}, 0, -kpi.ENOSYS
	}
	id := h.CSpace().Lookup(slot)
	if id == 0 {
		return cap.Cap{}, 0, -kpi.EBADF
	}
	c, err := db.Identify(id)
	if err != nil {
		return cap.Cap{}, 0, capcore.Errno(err)
	}
	return c, id, frameAccess(c, prot)
}

// MapIntoRange maps the Frame in slot of h at va of one of h's ranges
// with prot through m, and records the mapping.
func MapIntoRange(h Holder, slot, va uint64, prot uint32, m RangeMapper) int64 {
	db := capcore.Lock()
	defer capcore.Unlock()
	c, id, e := slotFrame(h, db, slot, prot)
	if e != 0 {
		return e
	}
	if e := m(c.Base, c.Size, prot, c.Type == cap.DevFrame); e != 0 {
		return e
	}
	maps = append(maps, mapping{h: h, va: va, size: c.Size, id: id})
	return 0
}

// Export returns the Frame in slot of h, checked for prot, for another
// core of h's program to adopt, and marks it as having a copy on another
// core (before the copy exists: a revoke that starts meanwhile asks
// every core).
func Export(h Holder, slot uint64, prot uint32) (cap.Cap, int64) {
	db := capcore.Lock()
	defer capcore.Unlock()
	c, id, e := slotFrame(h, db, slot, prot)
	if e != 0 {
		return cap.Cap{}, e
	}
	db.SetRemote(id, c.Remote|cap.RemoteCopies)
	return c, 0
}

// Adopt takes a copy of c, which the home core of h's program exported,
// into this core's database and h's CSpace (borrowed: not h's to
// revoke), maps it at va through m, and records the mapping; if the
// mapping fails the copy goes again.
func Adopt(h Holder, c cap.Cap, va uint64, prot uint32, m RangeMapper) int64 {
	if c.Space() != cap.SpacePhys || !c.Rights.Valid() || int(c.Owner) >= kpi.MaxCores {
		return -kpi.EINVAL
	}
	if e := frameAccess(c, prot); e != 0 {
		return e
	}
	c.Remote = cap.RemoteCopies
	db := capcore.Lock()
	defer capcore.Unlock()
	if db == nil {
		return -kpi.ENOSYS
	}
	id, err := db.Receive(c)
	if err != nil {
		return capcore.Errno(err)
	}
	cs := h.CSpace()
	if len(cs.Slots()) == 0 {
		cs.Reset(1) // a replica's first: slot 0 stays empty
	}
	slot := cs.Put(id)
	if slot < 0 {
		dropCopy(db, id)
		return -kpi.ENOMEM
	}
	cs.Lend(id)
	if e := m(c.Base, c.Size, prot, c.Type == cap.DevFrame); e != 0 {
		cs.Clear(uint64(slot), id)
		dropCopy(db, id)
		return e
	}
	maps = append(maps, mapping{h: h, va: va, size: c.Size, id: id, adopted: uint64(slot)})
	return 0
}

// dropCopy deletes an adopted copy; one with copies elsewhere (all of
// them) goes through the monitors' delete, which nobody waits for. The
// capability lock is held.
func dropCopy(db *cap.DB, id cap.ID) {
	if err := db.Delete(id); errors.Is(err, cap.ErrNeedsMonitor) {
		go deleteRemotely([]cap.ID{id})
	}
}

// UnmapIn removes h's mappings of Frames that lie in [start, end) (a
// range that is going) and deletes the copies adopted for them.
func UnmapIn(h Holder, start, end uint64) {
	db := capcore.Lock()
	defer capcore.Unlock()
	kept := maps[:0]
	for _, m := range maps {
		if m.h != h || m.va < start || m.va >= end {
			kept = append(kept, m)
			continue
		}
		m.h.UnmapFrame(m.va, m.size)
		forgetAdopted(h, db, m)
	}
	maps = kept
}

// forgetAdopted deletes the copy adopted for m, if it was (its slot is
// not 0). The capability lock is held.
func forgetAdopted(h Holder, db *cap.DB, m mapping) {
	if m.adopted == 0 || db == nil {
		return
	}
	h.CSpace().Clear(m.adopted, m.id)
	dropCopy(db, m.id)
}
