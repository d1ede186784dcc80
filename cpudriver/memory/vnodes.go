package memory

import (
	"multikernel/cap"
)

// Page tables are VNode capabilities (docs/capabilities.md, "Page
// tables"): every table of a process's lower half, and its root, is a
// page of the process's memory account retyped into a VNode capability
// of its level (VNodePT, VNodePD, VNodePDPT, VNodePML4) from the chunk
// that holds it. The CPU driver holds these capabilities for the
// process, as it holds the chunks: the cap.DB knows every page that is a
// page table, so no retype can hand it out as anything else while it is
// one, and the tables go with the chunks (revoked) when the process
// ends. (The monitor's tables are pool pages, without capabilities, once
// its core's RAM capabilities are full: account.go.)
//
// A table is retyped before it is needed: a mapping takes spare tables
// with the space's lock held, and a walk that finds none of a level
// makes the mapping fail with ErrNeedMemory; the caller then refills
// (proc.Process.grow) with the capability lock and the space's lock held, in that
// order, and maps again. The set is guarded like the space that holds
// it.

// vnodeTypes are the VNode types by table level (0: PT ... 3: PML4).
var vnodeTypes = [4]cap.Type{cap.VNodePT, cap.VNodePD, cap.VNodePDPT, cap.VNodePML4}

// VNodeSet is one space's page tables.
type VNodeSet struct {
	spare  [4][]uint64       // zeroed tables not yet in use, by level
	caps   map[uint64]cap.ID // each table's VNode capability (spares too); the monitor's pool tables have none
	inUse  [4]int            // tables in use, by level
	capped [4]int            // of those, the VNode capabilities
	want   [4]int            // tables a walk missed since the last refill
	failed bool              // the last refill ran out of memory
}

// Take returns a spare table of level, or 0 after noting that one is
// wanted.
func (v *VNodeSet) Take(level int) uint64 {
	n := len(v.spare[level])
	if n == 0 {
		v.want[level]++
		return 0
	}
	pa := v.spare[level][n-1]
	v.spare[level] = v.spare[level][:n-1]
	v.inUse[level]++
	if v.caps[pa] != 0 {
		v.capped[level]++
	}
	return pa
}

// Refill makes spare tables: those wanted, and one of each level below
// the root when none is spare, so that most faults find what they need.
// Each comes from the account a (grown from the core's RAM capabilities
// when it is empty) and becomes a VNode capability retyped from the chunk
// that holds it (unless it is a pool page of the monitor's). the capability lock and the space's lock are
// held (or the space is being built). It returns false if memory ran
// out.
func (v *VNodeSet) Refill(db *cap.DB, a *Account) (ok bool) {
	defer func() { v.failed = !ok }()
	if v.caps == nil {
		v.caps = map[uint64]cap.ID{}
	}
	for l := range v.spare {
		n := v.want[l]
		if l < 3 && n == 0 && len(v.spare[l]) == 0 {
			n = 1
		}
		for len(v.spare[l]) < n {
			pa, err := a.Alloc()
			if err == ErrNeedMemory {
				a.Add(ReserveChunkLocked(db, a.NextSize()))
				continue
			}
			if err != nil {
				return false
			}
			if c, ok := a.ChunkOf(pa); ok && db != nil {
				ids, err := db.Retype(c.id, cap.RetypeArgs{Type: vnodeTypes[l], Offset: pa - c.base, Count: 1})
				if err != nil {
					a.GiveBack(pa) // cannot happen: the page is the account's alone
					return false
				}
				v.caps[pa] = ids[0]
			}
			v.spare[l] = append(v.spare[l], pa)
		}
		v.want[l] = 0
	}
	return true
}

// Release hands the spare tables to drop (the account's dropAtExit; the
// tables in use go there from the walk that frees the space) and forgets
// them all; their capabilities go when the account's chunks are revoked.
func (v *VNodeSet) Release(drop func(pa uint64)) {
	for l := range v.spare {
		for _, pa := range v.spare[l] {
			drop(pa)
		}
		v.spare[l] = nil
	}
	*v = VNodeSet{}
}

// Recycle takes back the table pa of level, no longer in use (a private
// range deleted: addrspace.Range), zeroed as a spare again.
func (v *VNodeSet) Recycle(pa uint64, level int) {
	zeroPage(pa)
	v.spare[level] = append(v.spare[level], pa)
	v.inUse[level]--
	if v.caps[pa] != 0 {
		v.capped[level]--
	}
}

// Counts returns the tables in use by level, and how many of each are
// VNode capabilities (SysCapVNodes). The space's lock is held.
func (v *VNodeSet) Counts() (inUse, capped [4]int) { return v.inUse, v.capped }

// Failed reports whether the last refill ran out of memory.
func (v *VNodeSet) Failed() bool { return v.failed }
