package memory

import (
	"multikernel/cap"
	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/grant"
)

// The memory service's client capability and the per-process limit
// (docs/capabilities.md, "The memory service"). Asking for RAM
// (SysMemAlloc) is an invocation of a MemClient capability, which every
// program gets in slot 2 and may delete to give the authority up. What a
// process holds of the RAM it took that way is bounded by its limit: the
// boot configuration's mem:MIB grant, or DefaultLimit. RAM counts as
// held while the process's core still has a copy of it or anything made
// from it (a frame retyped from it, even one sent to another core): a
// delete of the RAM capability alone gives nothing back.

// DefaultLimit is a program's limit without a mem: grant.
const DefaultLimit = 1 << 30

// Quota is a process's limit and what it took; guarded by the core's capability lock (capcore).
type Quota struct {
	limit  uint64
	allocs []cap.Cap // the RAM capabilities it was given
}

// LimitOf returns the limit grants set, or DefaultLimit.
func LimitOf(grants []grant.Grant) uint64 {
	limit := uint64(DefaultLimit)
	for _, g := range grants {
		if g.Kind == grant.Mem {
			limit = g.Size
		}
	}
	return limit
}

// UsedLocked returns the bytes of RAM from the service the process still
// holds, and forgets what it holds no more. The core's capability lock is held.
func (q *Quota) UsedLocked(db *cap.DB) uint64 {
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

// Report returns the limit and what of it the process holds.
func (q *Quota) Report() (limit, used uint64) {
	db := capcore.Lock()
	defer capcore.Unlock()
	return q.limit, q.UsedLocked(db)
}

// SetLimit sets the limit (at the process's start, before it runs).
func (q *Quota) SetLimit(n uint64) { q.limit = n }
