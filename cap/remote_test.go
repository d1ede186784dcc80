package cap

import (
	"errors"
	"testing"
)

// TestOwnerAndRemote: SetOwner and SetRemote change every local copy and
// nothing else, and Remote reads them back.
func TestOwnerAndRemote(t *testing.T) {
	db := NewDB(2)
	root, _ := db.Create(Cap{Type: RAM, Base: 0x100000, Size: 0x10000, Rights: AllRights})
	f, _ := db.Retype(root, RetypeArgs{Type: Frame, ObjSize: 0x1000, Count: 1})
	c, _ := db.Copy(f[0])
	if err := db.SetOwner(f[0], 5); err != nil {
		t.Fatal(err)
	}
	if err := db.SetRemote(c, RemoteCopies); err != nil {
		t.Fatal(err)
	}
	for _, id := range []ID{f[0], c} {
		got, _ := db.Identify(id)
		r, err := db.Remote(id)
		if got.Owner != 5 || r != RemoteCopies || err != nil {
			t.Errorf("copy %d: owner %d remote %v (%v), want 5 and RemoteCopies", id, got.Owner, r, err)
		}
	}
	if got, _ := db.Identify(root); got.Owner != 2 || got.Remote != 0 {
		t.Errorf("the parent changed: owner %d remote %v", got.Owner, got.Remote)
	}
	if err := db.SetOwner(99, 1); !errors.Is(err, ErrNoCap) {
		t.Errorf("SetOwner of a missing capability: %v", err)
	}
	if _, err := db.Remote(99); !errors.Is(err, ErrNoCap) {
		t.Errorf("Remote of a missing capability: %v", err)
	}
}

// TestRetypeAgreed: a source with copies on other cores is retyped only
// with the monitors' agreement, and then under every other rule.
func TestRetypeAgreed(t *testing.T) {
	db := NewDB(0)
	root, _ := db.Create(Cap{Type: RAM, Base: 0x100000, Size: 0x4000, Rights: AllRights})
	db.SetRemote(root, RemoteCopies)
	a := RetypeArgs{Type: Frame, Offset: 0x1000, ObjSize: 0x1000, Count: 2}
	if _, err := db.Retype(root, a); !errors.Is(err, ErrNeedsMonitor) {
		t.Fatalf("local retype of a shared source: %v, want ErrNeedsMonitor", err)
	}
	ids, err := db.RetypeAgreed(root, a)
	if err != nil || len(ids) != 2 {
		t.Fatalf("agreed retype: %v, %v", ids, err)
	}
	if c, _ := db.Identify(ids[1]); c.Base != 0x102000 || c.Remote != 0 {
		t.Errorf("second object %v", c)
	}
	if _, err := db.RetypeAgreed(root, RetypeArgs{Type: Frame, Offset: 0x2000, ObjSize: 0x2000, Count: 1}); !errors.Is(err, ErrOverlap) {
		t.Errorf("agreed retype over a descendant: %v, want ErrOverlap", err)
	}
	if b, e := a.Range(Cap{Base: 0x100000}); b != 0x101000 || e != 0x103000 {
		t.Errorf("Range = %#x-%#x", b, e)
	}
}
