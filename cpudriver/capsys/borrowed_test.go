package capsys

import (
	"testing"

	"multikernel/cap"
	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/memory"
)

// TestRevokeNeedsOwnership: a program may not revoke a capability it
// received from another core, nor a copy it made of one (the revoke
// would reach the sender's capabilities); what it made itself it may
// revoke. (A retype places new IDs, never borrowed; it zeroes frames
// through the direct map, so the QEMU tests cover it.)
func TestRevokeNeedsOwnership(t *testing.T) {
	if err := memory.Init(0, 0x1000000, 0x100000); err != nil {
		t.Fatal(err)
	}
	h := &testHolder{}
	h.cs.Reset(2)
	db := capcore.Lock()
	ram, _ := memory.RetypeRAM(db, 0x2000, 0x2000)
	own, err := db.Retype(ram.Cap(), cap.RetypeArgs{Type: cap.Frame, ObjSize: 0x2000, Count: 1})
	if err != nil {
		t.Fatal(err)
	}
	h.cs.Set(1, own[0])
	got, err := db.Receive(cap.Cap{Type: cap.Frame, Base: 0x200000, Size: 0x4000, Rights: cap.AllRights, Owner: 1})
	capcore.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	recv := uint64(h.cs.Put(got))
	h.cs.Lend(got)
	do := func(nr, slot uint64, more ...uint64) int64 {
		var a [6]uint64
		a[0] = slot
		copy(a[1:], more)
		return Invoke(h, nr, a)
	}
	if r := do(kpi.SysCapRevoke, recv); r != -kpi.EPERM {
		t.Errorf("revoke of a received capability: %d, want EPERM", r)
	}
	cp := do(kpi.SysCapCopy, recv)
	if cp < 0 {
		t.Fatalf("copy: %d", cp)
	}
	if r := do(kpi.SysCapRevoke, uint64(cp)); r != -kpi.EPERM {
		t.Errorf("revoke of a copy of a received capability: %d, want EPERM", r)
	}
	mine := do(kpi.SysCapCopy, 1)
	if mine < 0 {
		t.Fatalf("copy of its own frame: %d", mine)
	}
	if r := do(kpi.SysCapRevoke, 1); r != 1 {
		t.Errorf("revoke of its own frame with one copy: %d, want 1", r)
	}
	if r := do(kpi.SysCapDelete, recv); r != 0 {
		t.Errorf("delete of the received capability: %d", r)
	}
	if h.cs.Borrowed(got) {
		t.Errorf("a deleted capability is still marked borrowed")
	}
}
