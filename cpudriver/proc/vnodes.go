package proc

import (
	"encoding/binary"

	"multikernel/cap"
	"multikernel/cpudriver/kpi"
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
// its core's RAM capabilities are full: memacct.go.)
//
// A table is retyped before it is needed: a mapping takes spare tables
// with the space's lock held, and a walk that finds none of a level
// makes the mapping fail with errNeedMemory; the caller then refills
// (Process.grow) with capCore.mu and the space's lock held, in that
// order, and maps again. The set is guarded like the space that holds
// it.

// vnodeTypes are the VNode types by table level (0: PT ... 3: PML4).
var vnodeTypes = [4]cap.Type{cap.VNodePT, cap.VNodePD, cap.VNodePDPT, cap.VNodePML4}

// vnodeSet is one space's page tables.
type vnodeSet struct {
	spare  [4][]uint64       // zeroed tables not yet in use, by level
	caps   map[uint64]cap.ID // each table's VNode capability (spares too); the monitor's pool tables have none
	inUse  [4]int            // tables in use, by level
	capped [4]int            // of those, the VNode capabilities
	want   [4]int            // tables a walk missed since the last refill
	failed bool              // the last refill ran out of memory
}

// take returns a spare table of level, or 0 after noting that one is
// wanted.
func (v *vnodeSet) take(level int) uint64 {
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

// refill makes spare tables: those wanted, and one of each level below
// the root when none is spare, so that most faults find what they need.
// Each comes from the account a (grown from the core's RAM capabilities
// when it is empty) and becomes a VNode capability retyped from the chunk
// that holds it (unless it is a pool page of the monitor's). capCore.mu and the space's lock are
// held (or the space is being built). It returns false if memory ran
// out.
func (v *vnodeSet) refill(db *cap.DB, a *memAccount) (ok bool) {
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
			pa, err := a.alloc()
			if err == errNeedMemory {
				a.add(reserveChunkLocked(db, a.nextSize()))
				continue
			}
			if err != nil {
				return false
			}
			if c, ok := a.chunkOf(pa); ok && db != nil {
				ids, err := db.Retype(c.id, cap.RetypeArgs{Type: vnodeTypes[l], Offset: pa - c.base, Count: 1})
				if err != nil {
					a.giveBack(pa) // cannot happen: the page is the account's alone
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

// release hands the spare tables to drop (the account's dropAtExit; the
// tables in use go there from the walk that frees the space) and forgets
// them all; their capabilities go when the account's chunks are revoked.
func (v *vnodeSet) release(drop func(pa uint64)) {
	for l := range v.spare {
		for _, pa := range v.spare[l] {
			drop(pa)
		}
		v.spare[l] = nil
	}
	*v = vnodeSet{}
}

// capVNodes is SysCapVNodes: it writes the calling process's tables in
// use by level, then how many of each are VNode capabilities, to buf.
func (t *Thread) capVNodes(buf uint64) int64 {
	p := t.proc
	var b [64]byte
	p.mu.Lock()
	for l := 0; l < 4; l++ {
		binary.LittleEndian.PutUint64(b[8*l:], uint64(p.space.vn.inUse[l]))
		binary.LittleEndian.PutUint64(b[32+8*l:], uint64(p.space.vn.capped[l]))
	}
	p.mu.Unlock()
	if t.copyOut(buf, b[:]) != nil {
		return -kpi.EFAULT
	}
	return 0
}
