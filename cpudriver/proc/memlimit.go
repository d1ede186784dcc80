package proc

import (
	"multikernel/cap"

	"multikernel/cpudriver/kpi"
)

// The memory service's client capability and the per-process limit
// (docs/capabilities.md, "The memory service"). Asking for RAM
// (SysMemAlloc) is an invocation of a MemClient capability, which every
// program gets in slot 2 and may delete to give the authority up. What a
// process holds of the RAM it took that way is bounded by its limit: the
// boot configuration's mem:MIB grant, or defaultMemLimit. RAM counts as
// held while the process's core still has a copy of it or anything made
// from it (a frame retyped from it, even one sent to another core): a
// delete of the RAM capability alone gives nothing back.

// defaultMemLimit is a program's limit without a mem: grant.
const defaultMemLimit = 1 << 30

// memQuota is a process's limit and what it took; guarded by capCore.mu.
type memQuota struct {
	limit  uint64
	allocs []cap.Cap // the RAM capabilities it was given
}

// memLimitOf returns the limit grants set, or defaultMemLimit.
func memLimitOf(grants []Grant) uint64 {
	limit := uint64(defaultMemLimit)
	for _, g := range grants {
		if g.Kind == GrantMem {
			limit = g.Size
		}
	}
	return limit
}

// deviceGrants returns grants without the memory limit.
func deviceGrants(grants []Grant) []Grant {
	var out []Grant
	for _, g := range grants {
		if g.Kind != GrantMem {
			out = append(out, g)
		}
	}
	return out
}

// usedLocked returns the bytes of RAM from the service the process still
// holds, and forgets what it holds no more. capCore.mu is held.
func (q *memQuota) usedLocked(db *cap.DB) uint64 {
	var used uint64
	kept := q.allocs[:0]
	for _, c := range q.allocs {
		if db != nil && db.InUse(c) {
			kept = append(kept, c)
			used += c.Size
		}
	}
	q.allocs = kept
	return used
}

// memClientIn checks that slot names a MemClient capability of the
// calling process: 0, or the errno. capCore.mu is held.
func (t *Thread) memClientIn(slot uint64) int64 {
	id := t.proc.caps.lookupSlot(slot)
	if id == 0 || capCore.db == nil {
		return -kpi.EBADF
	}
	if c, err := capCore.db.Identify(id); err != nil || c.Type != cap.MemClient {
		return -kpi.EINVAL
	}
	return 0
}
