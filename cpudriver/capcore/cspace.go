package capcore

import (
	"multikernel/cap"
	"multikernel/cpudriver/kpi"
)

// MaxSlots bounds a CSpace.
const MaxSlots = 1024

// CSpace is a process's capability slots; 0 is an empty slot. Guarded by
// the core's lock.
type CSpace struct {
	slots []cap.ID
	// borrowed holds the capabilities the process received from another
	// core (SysCapReceive) and its copies of them: they are not its own,
	// and it may not revoke them, since the revoke would reach the copy it
	// came from and every other holder's (docs/capabilities.md, "Who may
	// revoke": only capabilities the caller owns, those it made or was
	// granted at start, and what it derived or handed out from them).
	// What it retypes from one is its own.
	borrowed map[cap.ID]bool
}

// Reset gives the CSpace n empty slots (slot 0 stays empty for ever).
func (cs *CSpace) Reset(n int) {
	cs.slots = make([]cap.ID, n, max(n, 8))
	cs.borrowed = nil
}

// Slots returns the slots, for a walk over what the process holds.
func (cs *CSpace) Slots() []cap.ID { return cs.slots }

// Set stores id in slot, which exists.
func (cs *CSpace) Set(slot int, id cap.ID) { cs.slots[slot] = id }

// Lookup returns the capability ID in slot; 0 for an empty or
// out-of-range slot (a forged reference).
func (cs *CSpace) Lookup(slot uint64) cap.ID {
	if slot >= uint64(len(cs.slots)) {
		return 0
	}
	return cs.slots[slot]
}

// Put stores id in a free slot and returns the slot; -1 if the CSpace is
// full.
func (cs *CSpace) Put(id cap.ID) int64 {
	for i := 1; i < len(cs.slots); i++ {
		if cs.slots[i] == 0 {
			cs.slots[i] = id
			return int64(i)
		}
	}
	if len(cs.slots) >= MaxSlots {
		return -1
	}
	cs.slots = append(cs.slots, id)
	return int64(len(cs.slots) - 1)
}

// Append stores id in a new slot at the end.
func (cs *CSpace) Append(id cap.ID) { cs.slots = append(cs.slots, id) }

// Clear empties slot, which held id.
func (cs *CSpace) Clear(slot uint64, id cap.ID) {
	if cs.Lookup(slot) == id {
		cs.slots[slot] = 0
	}
	delete(cs.borrowed, id)
}

// Lend records that id, in one of the slots, is borrowed.
func (cs *CSpace) Lend(id cap.ID) {
	if cs.borrowed == nil {
		cs.borrowed = map[cap.ID]bool{}
	}
	cs.borrowed[id] = true
}

// Borrowed reports whether id was received from another core (or is a
// copy of such a capability).
func (cs *CSpace) Borrowed(id cap.ID) bool { return cs.borrowed[id] }

// Drop forgets every slot: the process has gone, and what it held was
// deleted.
func (cs *CSpace) Drop() { cs.slots, cs.borrowed = nil, nil }

// HoldsLocked reports whether one of the slots holds a capability of
// type ty. The core's lock is held.
func (cs *CSpace) HoldsLocked(ty cap.Type) bool {
	for _, id := range cs.slots {
		if id == 0 || core.db == nil {
			continue
		}
		if c, err := core.db.Identify(id); err == nil && c.Type == ty {
			return true
		}
	}
	return false
}

// SlotCapLocked returns the capability in slot, which must be of type
// want: the capability, or the errno. The core's lock is held.
func (cs *CSpace) SlotCapLocked(slot uint64, want cap.Type) (cap.Cap, int64) {
	if core.db == nil {
		return cap.Cap{}, -kpi.ENOSYS
	}
	id := cs.Lookup(slot)
	if id == 0 {
		return cap.Cap{}, -kpi.EBADF
	}
	c, err := core.db.Identify(id)
	if err != nil {
		return cap.Cap{}, Errno(err)
	}
	if c.Type != want {
		return cap.Cap{}, -kpi.EINVAL
	}
	return c, 0
}
