package capsys

import (
	"errors"
	"fmt"

	"multikernel/cap"
	"multikernel/cap/dist"
	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/devices"
	"multikernel/cpudriver/grant"
	"multikernel/cpudriver/klog"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/memory"
)

// programRAM is the RAM capability a program gets at start, from the
// core's, while there is room.
const programRAM = 1 << 20

// Start fills a new process's CSpace. Slot 0 stays empty. Every process
// gets, in slot 1 (kpi.RAMSlot), a RAM capability of programRAM bytes
// retyped from the core's, or nothing when none is free, and in slot 2
// (kpi.MemSlot) a copy of the memory service's client capability, with
// the limit grants set (mem:MiB) or memory.DefaultLimit; the monitor
// gets a copy of the core's Kernel capability in slot 3, and a program
// the device capabilities grants name from slot 3 on (an error says
// which could not be given). A program's capabilities are deleted when
// it ends (Ended), so the memory goes back.
func Start(h Holder, grants []grant.Grant) error {
	db := capcore.Lock()
	defer capcore.Unlock()
	cs := h.CSpace()
	cs.Reset(kpi.FirstGrantSlot) // RAMSlot and MemSlot stay empty if none is given
	h.Quota().SetLimit(memory.LimitOf(grants))
	if db == nil {
		if len(grant.Devices(grants)) > 0 {
			return fmt.Errorf("no capabilities on this core")
		}
		return nil
	}
	if c, ok := memory.RetypeRAM(db, programRAM, programRAM); ok {
		cs.Set(kpi.RAMSlot, c.Cap())
	}
	if id, err := db.Copy(capcore.RootLocked(cap.MemClient)); err == nil {
		cs.Set(kpi.MemSlot, id)
	}
	if !h.IsMonitor() {
		return devices.Grant(cs, grant.Devices(grants))
	}
	if id, err := db.Copy(capcore.RootLocked(cap.Kernel)); err == nil {
		cs.Append(id)
	}
	return nil
}

// HoldsKernel reports whether h holds a Kernel capability in its CSpace
// (the monitor's native calls need it).
func HoldsKernel(h Holder) bool {
	capcore.Lock()
	defer capcore.Unlock()
	return h.CSpace().HoldsLocked(cap.Kernel)
}

// Ended releases a process's capabilities when it has gone: its
// mappings are gone with its address space, its device lines are
// masked, its endpoints unbound, and every capability in its CSpace is
// deleted. The process's proc calls it first when its last thread
// ends, before its address space is released, so that no other
// process's revoke touches that space afterwards.
func Ended(h Holder) {
	db := capcore.Lock()
	defer capcore.Unlock()
	forgetMaps(h)
	devices.Ended(h)
	endpointsEnded(h)
	var remote []cap.ID
	cs := h.CSpace()
	for _, id := range cs.Slots() {
		if id == 0 || db == nil {
			continue
		}
		// A last local copy of one copied to other cores stays as a
		// placeholder while its RAM lives here (docs/capabilities.md,
		// "Remote descendants"). An error is a capability a revoke
		// already took, or such a copy without an ancestor here: that
		// one the monitors delete.
		if err := db.Delete(id); errors.Is(err, cap.ErrNeedsMonitor) {
			remote = append(remote, id)
		}
	}
	cs.Drop()
	if len(remote) > 0 {
		go deleteRemotely(remote) // the process is gone: nobody waits for it
	}
}

// deleteRemotely runs the monitors' two-phase delete for each capability
// in ids, one after the other.
func deleteRemotely(ids []cap.ID) {
	for _, id := range ids {
		db := capcore.Lock()
		c, err := db.Identify(id)
		capcore.Unlock()
		if err != nil {
			continue
		}
		if r, _ := requestDistributed(dist.Delete, id, c, nil, nil); r != 0 {
			klog.Printf("cpudriver: deleting %v of an ended process across cores: errno %d", c, -r)
		}
	}
}
