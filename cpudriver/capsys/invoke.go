package capsys

import (
	"encoding/binary"
	"errors"

	"multikernel/cap"
	"multikernel/cap/dist"
	"multikernel/cpudriver/addrspace"
	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/ring0"
)

// errNeedsMonitor is what invoke returns for an operation the monitors
// must run (never seen by programs).
const errNeedsMonitor = -(1 << 20)

// Invoke runs capability invocation nr (kpi.SysCapIdentify to
// kpi.SysCapUnmap) for h with the call's arguments a. One the cap
// package refuses because copies live on other cores goes to the
// monitors' two-phase protocol (dist.go), and the caller waits for it.
func Invoke(h Holder, nr uint64, a [6]uint64) int64 {
	r := invoke(h, nr, a)
	if r != errNeedsMonitor {
		return r
	}
	kind := dist.Revoke
	switch nr {
	case kpi.SysCapDelete:
		kind = dist.Delete
	case kpi.SysCapRetype:
		kind = dist.Retype
	}
	return capDistributed(h, kind, a) // copies on other cores: the monitors' work
}

// invoke runs one invocation on this core's database alone.
func invoke(h Holder, nr uint64, a [6]uint64) int64 {
	if nr == kpi.SysCapIdentify {
		return identify(h, a[0], a[1])
	}
	db := capcore.Lock()
	defer capcore.Unlock()
	if db == nil {
		return -kpi.ENOSYS
	}
	if nr == kpi.SysCapUnmap {
		return unmapAt(h, a[0])
	}
	cs := h.CSpace()
	id := cs.Lookup(a[0])
	if id == 0 {
		return -kpi.EBADF // an empty slot, another process's slot, a made-up number
	}
	switch nr {
	case kpi.SysCapRetype:
		return retype(h, db, id, cap.RetypeArgs{Type: cap.Type(a[1]), Offset: a[2], ObjSize: a[3], Count: a[4]})
	case kpi.SysCapCopy, kpi.SysCapMint:
		var nid cap.ID
		var err error
		if nr == kpi.SysCapCopy {
			nid, err = db.Copy(id)
		} else {
			nid, err = db.Mint(id, cap.Rights(a[1]))
		}
		if err != nil {
			return capcore.Errno(err)
		}
		slot := cs.Put(nid)
		if slot < 0 {
			db.Delete(nid)
			return -kpi.ENOMEM
		}
		if cs.Borrowed(id) {
			cs.Lend(nid) // a copy of a borrowed capability is borrowed too
		}
		return slot
	case kpi.SysCapDelete:
		if err := db.Delete(id); err != nil {
			if errors.Is(err, cap.ErrNeedsMonitor) {
				return errNeedsMonitor
			}
			return capcore.Errno(err)
		}
		unmapCaps(map[cap.ID]bool{id: true})
		cs.Clear(a[0], id)
		return 0
	case kpi.SysCapRevoke:
		if cs.Borrowed(id) {
			return -kpi.EPERM // it would reach capabilities the caller does not own
		}
		gone := map[cap.ID]bool{}
		for _, x := range append(db.Copies(id), db.Descendants(id)...) {
			gone[x] = true
		}
		n, err := db.Revoke(id)
		if err != nil {
			if errors.Is(err, cap.ErrNeedsMonitor) {
				return errNeedsMonitor
			}
			return capcore.Errno(err)
		}
		unmapCaps(gone) // the capabilities are gone: so are their mappings
		return int64(n)
	case kpi.SysCapMap:
		return mapCap(h, db, id, a[1], uint32(a[2]))
	}
	return -kpi.ENOSYS
}

// identify writes the capability in slot to buf. The copy to the
// program's memory runs without the capability lock: it may fault a
// page in and grow the process's memory account, which takes that lock.
func identify(h Holder, slot, buf uint64) int64 {
	db := capcore.Lock()
	id := h.CSpace().Lookup(slot)
	var cp cap.Cap
	var err error
	if db != nil && id != 0 {
		cp, err = db.Identify(id)
	}
	capcore.Unlock()
	switch {
	case db == nil:
		return -kpi.ENOSYS
	case id == 0:
		return -kpi.EBADF
	case err != nil:
		return capcore.Errno(err)
	}
	var b [48]byte
	binary.LittleEndian.PutUint64(b[0:], uint64(cp.Type))
	binary.LittleEndian.PutUint64(b[8:], cp.Base)
	binary.LittleEndian.PutUint64(b[16:], cp.Size)
	binary.LittleEndian.PutUint64(b[24:], uint64(cp.Rights))
	binary.LittleEndian.PutUint64(b[32:], uint64(cp.Owner))
	binary.LittleEndian.PutUint64(b[40:], uint64(cp.Remote))
	if h.CopyOut(buf, b[:]) != nil {
		return -kpi.EFAULT
	}
	return 0
}

// retype retypes and puts the new capabilities in free slots
// (placeRetyped).
func retype(h Holder, db *cap.DB, id cap.ID, args cap.RetypeArgs) int64 {
	if args.Count > 64 {
		return -kpi.EINVAL // one call makes at most 64 objects
	}
	ids, err := db.Retype(id, args)
	if errors.Is(err, cap.ErrNeedsMonitor) {
		return errNeedsMonitor // copies on other cores: the monitors decide
	}
	if err != nil {
		return capcore.Errno(err)
	}
	return placeRetyped(h, db, ids)
}

// placeRetyped puts what a retype made into free slots and returns the
// first; new Frames are zeroed first, so no data leaks through memory that
// was someone else's. With no slot left, what is not placed is deleted.
// The capability lock is held.
func placeRetyped(h Holder, db *cap.DB, ids []cap.ID) int64 {
	first := int64(-1)
	for i, nid := range ids {
		c, _ := db.Identify(nid)
		if c.Type == cap.Frame {
			clear(ring0.PhysBytes(c.Base, int(c.Size)))
		}
		slot := h.CSpace().Put(nid)
		if slot < 0 {
			for _, x := range ids[i:] {
				db.Delete(x)
			}
			return -kpi.ENOMEM
		}
		if first < 0 {
			first = slot
		}
	}
	return first
}

// mapCap maps the Frame or DevFrame id at va with prot (PROT_* bits),
// which its rights must allow; device memory is mapped uncached. The
// capability lock is held.
func mapCap(h Holder, db *cap.DB, id cap.ID, va uint64, prot uint32) int64 {
	c, err := db.Identify(id)
	if err != nil {
		return capcore.Errno(err)
	}
	if e := frameAccess(c, prot); e != 0 {
		return e
	}
	if va&(addrspace.PageSize-1) != 0 || va+c.Size > addrspace.UserLimit || va+c.Size < va || va < 1<<20 {
		return -kpi.EINVAL
	}
	if h.MapFrameLocked(va, c.Base, c.Size, prot, c.Type == cap.DevFrame) != nil {
		return -kpi.EEXIST
	}
	maps = append(maps, mapping{h: h, va: va, size: c.Size, id: id})
	return 0
}
