package capsys

import (
	"testing"

	"multikernel/cap"
	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/memory"
)

// TestCapApply checks what a committed two-phase operation does to one
// core's copies: a revoke takes every copy and descendant (or all but the
// requester's, on the coordinating core, whose remote relations it
// clears), a delete only the requester's copy; adopting what a commit
// left sets the owner and the remote relations.
func TestCapApply(t *testing.T) {
	frame := cap.Cap{Type: cap.Frame, Base: 0x200000, Size: 0x2000, Rights: cap.AllRights, Owner: 1}
	args := func(what int, token uint32) [6]uint64 {
		return [6]uint64{uint64(what), uint64(frame.Type), frame.Base, frame.Size, uint64(token)}
	}
	setup := func(t *testing.T) (ids []cap.ID, token uint32) {
		if err := memory.Init(0, 0, 0); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			id, err := capcore.DB().Receive(frame)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		sub, err := capcore.DB().Retype(ids[0], cap.RetypeArgs{Type: cap.Frame, ObjSize: 0x1000, Count: 1})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, sub...)
		if err := capcore.DB().SetRemote(ids[0], cap.RemoteCopies); err != nil { // copies elsewhere, as after a send
			t.Fatal(err)
		}
		if _, err := capcore.DB().Revoke(ids[1]); err == nil {
			t.Fatal("a capability with remote copies was revoked locally")
		}
		token = distOps.Add(&distWait{id: ids[1], done: make(chan int64, 1)})
		t.Cleanup(func() { distOps.Remove(token) })
		return ids, token
	}
	alive := func(id cap.ID) bool { _, err := capcore.DB().Identify(id); return err == nil }

	ids, token := setup(t)
	if r := Has([6]uint64{uint64(frame.Type), frame.Base, frame.Size}); r != 2 {
		t.Errorf("capHas = %d, want 2 (copies)", r)
	}
	if r := Apply(args(kpi.ApplyRevoke, 0)); r != 0 || alive(ids[0]) || alive(ids[1]) || alive(ids[2]) {
		t.Errorf("revoke: %d; alive %v %v %v", r, alive(ids[0]), alive(ids[1]), alive(ids[2]))
	}
	if r := Has([6]uint64{uint64(frame.Type), frame.Base, frame.Size}); r != 0 {
		t.Errorf("capHas after the revoke = %d, want 0", r)
	}

	ids, token = setup(t)
	if r := Apply(args(kpi.ApplyRevokeKeep, token)); r != 0 || alive(ids[0]) || !alive(ids[1]) || alive(ids[2]) {
		t.Errorf("revoke keeping the requester's copy: %d; alive %v %v %v", r, alive(ids[0]), alive(ids[1]), alive(ids[2]))
	}
	if c, _ := capcore.DB().Identify(ids[1]); c.Remote != 0 {
		t.Errorf("the kept copy still has remote relations %#x", c.Remote)
	}

	ids, token = setup(t)
	if r := Apply(args(kpi.ApplyDelete, token)); r != 0 || !alive(ids[0]) || alive(ids[1]) {
		t.Errorf("delete: %d; alive %v %v", r, alive(ids[0]), alive(ids[1]))
	}
	if r := Apply(args(kpi.ApplyDelete, 9999)); r != -kpi.EINVAL {
		t.Errorf("delete for an unknown request: %d, want EINVAL", r)
	}
	// What the commit left: copies on core 3 too, then on this core only.
	adoptArgs := func(owner, holders uint64) [6]uint64 {
		return [6]uint64{kpi.ApplyAdopt, uint64(frame.Type), frame.Base, frame.Size, owner, holders}
	}
	if r := Apply(adoptArgs(3, 1<<0|1<<3)); r != 0 {
		t.Errorf("adopt: %d", r)
	}
	if c, _ := capcore.DB().Identify(ids[0]); c.Owner != 3 || c.Remote&cap.RemoteCopies == 0 {
		t.Errorf("after adopting owner 3 and holders 0 and 3: owner %d, remote %#x", c.Owner, c.Remote)
	}
	if _, err := capcore.DB().Revoke(ids[0]); err == nil {
		t.Errorf("revoked locally while core 3 holds a copy")
	}
	Apply(adoptArgs(0, 1<<0))
	if c, _ := capcore.DB().Identify(ids[0]); c.Owner != 0 || c.Remote != 0 {
		t.Errorf("after adopting owner 0 and holder 0 alone: owner %d, remote %#x", c.Owner, c.Remote)
	}
	if err := capcore.DB().Delete(ids[0]); err != nil {
		t.Errorf("the last copy, now local only, cannot be deleted locally: %v", err)
	}
	if r := OpDone(uint64(token), 0); r != 0 {
		t.Errorf("capOpDone: %d", r)
	}
	if r := OpDone(12345, 0); r != -kpi.EINVAL {
		t.Errorf("capOpDone of an unknown request: %d, want EINVAL", r)
	}
}

// TestCapApplyRetype checks the CPU driver's side of a two-phase retype:
// the overlap check every core runs, and the retype the coordinating core
// makes for the waiting request once all agreed.
func TestCapApplyRetype(t *testing.T) {
	if err := memory.Init(0, 0, 0); err != nil {
		t.Fatal(err)
	}
	frame := cap.Cap{Type: cap.Frame, Base: 0x400000, Size: 0x4000, Rights: cap.AllRights, Owner: 1}
	id, err := capcore.DB().Receive(frame)
	if err != nil {
		t.Fatal(err)
	}
	capcore.DB().SetRemote(id, cap.RemoteCopies)
	args := func(what int, a4, a5 uint64) [6]uint64 {
		return [6]uint64{uint64(what), uint64(frame.Type), frame.Base, frame.Size, a4, a5}
	}
	if r := Apply(args(kpi.ApplyOverlaps, 0x400000, 0x2000)); r != 0 {
		t.Errorf("overlap before any retype: %d", r)
	}
	ra := &cap.RetypeArgs{Type: cap.Frame, ObjSize: 0x2000, Count: 1}
	w := &distWait{id: id, retype: ra, done: make(chan int64, 1)}
	token := distOps.Add(w)
	defer distOps.Remove(token)
	if r := Apply(args(kpi.ApplyRetype, uint64(token), 0)); r != 0 || len(w.made) != 1 {
		t.Fatalf("agreed retype: %d, made %v", r, w.made)
	}
	if c, _ := capcore.DB().Identify(w.made[0]); c.Base != 0x400000 || c.Size != 0x2000 {
		t.Errorf("made %v", c)
	}
	for _, tc := range []struct {
		base, size uint64
		want       int64
	}{{0x401000, 0x2000, 1}, {0x402000, 0x2000, 0}, {0x3ff000, 0x1000, 0}, {0x3ff000, 0x2000, 1}} {
		if r := Apply(args(kpi.ApplyOverlaps, tc.base, tc.size)); r != tc.want {
			t.Errorf("overlap of %#x+%#x: %d, want %d", tc.base, tc.size, r, tc.want)
		}
	}
	if r := Apply(args(kpi.ApplyRetype, 9999, 0)); r != -kpi.EINVAL {
		t.Errorf("retype for an unknown request: %d, want EINVAL", r)
	}
}
