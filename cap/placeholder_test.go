package cap

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// TestSentFrameOutlivesSender is the sequence of a program that sends a
// Frame to another core and exits while a second program on its core
// then takes every page it can: the range stays taken on the sender's
// core until the receiver's copy is gone, and a revoke of the ancestor
// needs the monitors, which take the receiver's copy too.
func TestSentFrameOutlivesSender(t *testing.T) {
	const page = pageSize
	s, r := NewDB(0), NewDB(1)
	root, _ := s.Create(Cap{Type: RAM, Base: 0, Size: 64 * page, Rights: AllRights})
	slot, _ := s.Retype(root, RetypeArgs{Type: RAM, ObjSize: 16 * page, Count: 1})
	f, err := s.Retype(slot[0], RetypeArgs{Type: Frame, Offset: 4 * page, ObjSize: 4 * page, Count: 1})
	if err != nil {
		t.Fatal(err)
	}
	fc, _ := s.Identify(f[0])
	s.SetRemote(f[0], RemoteCopies) // the copy leaves
	fc.Remote = RemoteCopies
	rf, err := r.Receive(fc)
	if err != nil {
		t.Fatal(err)
	}
	// The sender exits: its capabilities are deleted.
	if err := s.Delete(f[0]); err != nil || !s.IsPlaceholder(f[0]) {
		t.Fatalf("delete of the sent frame: %v, placeholder %v", err, s.IsPlaceholder(f[0]))
	}
	if err := s.Delete(slot[0]); err != nil {
		t.Fatal(err)
	}
	for _, op := range []func() error{
		func() error { _, err := s.Copy(f[0]); return err },
		func() error { return s.Delete(f[0]) },
		func() error { _, err := s.Revoke(f[0]); return err },
	} {
		if err := op(); !errors.Is(err, ErrNoCap) {
			t.Errorf("an operation through a placeholder: %v, want ErrNoCap", err)
		}
	}
	// The next program takes every page it can.
	took := 0
	for off := uint64(0); off < 64*page; off += page {
		ids, err := s.Retype(root, RetypeArgs{Type: Frame, Offset: off, ObjSize: page, Count: 1})
		inF := off >= fc.Base && off < fc.End()
		switch {
		case inF && !errors.Is(err, ErrOverlap):
			t.Errorf("page %#x of the sent frame: retype %v, %v; want ErrOverlap", off, ids, err)
		case !inF && err != nil:
			t.Errorf("page %#x: %v", off, err)
		case err == nil:
			took++
		}
	}
	if took != 60 {
		t.Errorf("took %d pages, want 60", took)
	}
	if _, err := s.Revoke(root); !errors.Is(err, ErrNeedsMonitor) {
		t.Errorf("revoke of the ancestor: %v, want ErrNeedsMonitor", err)
	}
	// The receiver deletes its copy through the monitors: its copy goes,
	// and the sender learns that no copy lives elsewhere.
	if err := r.Delete(rf); !errors.Is(err, ErrNeedsMonitor) {
		t.Fatalf("receiver's delete: %v, want ErrNeedsMonitor", err)
	}
	r.SetRemote(rf, 0)
	r.Delete(rf)
	s.SetRemote(f[0], 0)
	if _, err := s.Identify(f[0]); !errors.Is(err, ErrNoCap) {
		t.Errorf("the placeholder outlived the last remote copy: %v", err)
	}
	if _, err := s.Retype(root, RetypeArgs{Type: Frame, Offset: fc.Base, ObjSize: page, Count: 1}); err != nil {
		t.Errorf("the range stayed taken after the last remote copy went: %v", err)
	}
}

// TestAgreedRevokeReachesRemoteCopies: the monitors' revoke of an
// ancestor removes a sent frame on the receiving core, which holds no
// copy of the ancestor, and the placeholder on the sender's.
func TestAgreedRevokeReachesRemoteCopies(t *testing.T) {
	s, r := NewDB(0), NewDB(1)
	root, _ := s.Create(Cap{Type: RAM, Base: 0, Size: 16 * pageSize, Rights: AllRights})
	f, _ := s.Retype(root, RetypeArgs{Type: Frame, ObjSize: pageSize, Count: 1})
	fc, _ := s.Identify(f[0])
	s.SetRemote(f[0], RemoteCopies)
	fc.Remote = RemoteCopies
	rf, _ := r.Receive(fc)
	rp, err := r.RetypeAgreed(rf, RetypeArgs{Type: Frame, ObjSize: pageSize / 2, Count: 1})
	if err == nil {
		t.Fatalf("retype of a frame into half pages: %v", rp)
	}
	s.Delete(f[0])
	rc, _ := s.Identify(root)
	if got := s.RevokeAgreed(rc, root); len(got) != 1 || got[0] != f[0] {
		t.Errorf("sender's agreed revoke removed %v, want the placeholder %d", got, f[0])
	}
	if got := r.RevokeAgreed(rc, 0); len(got) != 1 || got[0] != rf {
		t.Errorf("receiver's agreed revoke removed %v, want its copy %d", got, rf)
	}
	if s.Len() != 1 || r.Len() != 0 {
		t.Errorf("left %d on the sender (want the root) and %d on the receiver", s.Len(), r.Len())
	}
}

// gref names a capability on one of two cores.
type gref struct {
	core int
	id   ID
}

// twoCores is a sender and a receiver core run through random sends,
// deletes, retypes and revokes, with the monitors' protocol outcomes
// applied as the CPU drivers apply them, and a history of which object
// was made from which across both.
type twoCores struct {
	t      *testing.T
	db     [2]*DB
	root   ID // the sender's RAM, which it never deletes
	obj    map[gref]int
	parent []int
}

func (w *twoCores) newObj(parent int) int {
	w.parent = append(w.parent, parent)
	return len(w.parent) - 1
}

func (w *twoCores) descends(d, a int) bool {
	for p := w.parent[d]; p >= 0; p = w.parent[p] {
		if p == a {
			return true
		}
	}
	return false
}

// pick returns a capability of core c for which want holds, if any.
func (w *twoCores) pick(rng *rand.Rand, c int, want func(ID, Cap) bool) (ID, bool) {
	var ids []ID
	for _, id := range w.db[c].IDs() {
		if x, _ := w.db[c].Identify(id); !w.db[c].IsPlaceholder(id) && want(id, x) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return 0, false
	}
	return ids[rng.IntN(len(ids))], true
}

// sync drops from the history what the DBs no longer hold.
func (w *twoCores) sync() {
	for g := range w.obj {
		if _, err := w.db[g.core].Identify(g.id); err != nil {
			delete(w.obj, g)
		}
	}
}

// adopt is a commit's announcement: every core's copies of c learn
// whether copies live on the other core.
func (w *twoCores) adopt(c Cap) {
	var holds [2][]ID
	for k := range w.db {
		for _, id := range w.db[k].IDs() {
			if x, _ := w.db[k].Identify(id); IsCopy(x, c) {
				holds[k] = append(holds[k], id)
			}
		}
	}
	for k := range w.db {
		if len(holds[k]) == 0 {
			continue
		}
		r, _ := w.db[k].Remote(holds[k][0])
		if len(holds[1-k]) > 0 {
			r |= RemoteCopies
		} else {
			r &^= RemoteCopies
		}
		w.db[k].SetRemote(holds[k][0], r)
	}
}

// step makes one random move.
func (w *twoCores) step(rng *rand.Rand) {
	frames := func(_ ID, c Cap) bool { return c.Type == Frame }
	any := func(ID, Cap) bool { return true }
	k := rng.IntN(2)
	db := w.db[k]
	switch rng.IntN(5) {
	case 0: // the sender retypes a frame from one of its RAM capabilities
		src, ok := w.pick(rng, 0, func(_ ID, c Cap) bool { return c.Type == RAM })
		if !ok {
			return
		}
		sc, _ := w.db[0].Identify(src)
		pages := uint64(1) << rng.IntN(3)
		off := uint64(rng.IntN(int(sc.Size/pageSize))) * pageSize
		ty := []Type{Frame, RAM}[rng.IntN(2)]
		if ids, err := w.db[0].Retype(src, RetypeArgs{Type: ty, Offset: off, ObjSize: pages * pageSize, Count: 1}); err == nil {
			w.obj[gref{0, ids[0]}] = w.newObj(w.obj[gref{0, src}])
		}
	case 1: // the sender sends a frame to the receiver
		id, ok := w.pick(rng, 0, frames)
		if !ok {
			return
		}
		c, _ := w.db[0].Identify(id)
		w.db[0].SetRemote(id, c.Remote|RemoteCopies)
		c.Remote = RemoteCopies
		rid, err := w.db[1].Receive(c)
		if err != nil {
			w.t.Fatalf("receive %v: %v", c, err)
		}
		w.obj[gref{1, rid}] = w.obj[gref{0, id}]
	case 2: // a core deletes a capability (not the core's RAM), through the monitors if it must
		id, ok := w.pick(rng, k, func(id ID, _ Cap) bool { return k != 0 || id != w.root })
		if !ok {
			return
		}
		c, _ := db.Identify(id)
		if err := db.Delete(id); errors.Is(err, ErrNeedsMonitor) {
			db.SetRemote(id, 0)
			if err := db.Delete(id); err != nil {
				w.t.Fatalf("agreed delete: %v", err)
			}
			w.adopt(c)
		}
	case 3: // the receiver retypes part of a frame it received, agreed by both
		src, ok := w.pick(rng, 1, frames)
		if !ok {
			return
		}
		sc, _ := w.db[1].Identify(src)
		a := RetypeArgs{Type: Frame, Offset: uint64(rng.IntN(int(sc.Size/pageSize))) * pageSize, ObjSize: pageSize, Count: 1}
		base, end := a.Range(sc)
		for _, id := range w.db[0].IDs() {
			if x, _ := w.db[0].Identify(id); IsDescendant(x, sc) && x.Base < end && base < x.End() {
				return // the sender votes no
			}
		}
		ids, err := w.db[1].RetypeAgreed(src, a)
		if err != nil {
			return
		}
		w.obj[gref{1, ids[0]}] = w.newObj(w.obj[gref{1, src}])
		for _, id := range w.db[0].IDs() { // the sender learns of the descendant
			if x, _ := w.db[0].Identify(id); IsCopy(x, sc) {
				w.db[0].SetRemote(id, x.Remote|RemoteDescendants)
				break
			}
		}
	case 4: // a core revokes, through the monitors if it must
		id, ok := w.pick(rng, k, any)
		if !ok {
			return
		}
		if _, err := db.Revoke(id); errors.Is(err, ErrNeedsMonitor) {
			c, _ := db.Identify(id)
			db.RevokeAgreed(c, id)
			w.db[1-k].RevokeAgreed(c, 0)
			w.adopt(c)
		}
	}
	w.sync()
}

// check is the memory-safety invariant across both cores: two
// capabilities that overlap name one object or one was made from the
// other.
func (w *twoCores) check() {
	for a, oa := range w.obj {
		ca, _ := w.db[a.core].Identify(a.id)
		for b, ob := range w.obj {
			if a.core == b.core {
				continue
			}
			cb, _ := w.db[b.core].Identify(b.id)
			if Overlaps(ca, cb) && oa != ob && !w.descends(oa, ob) && !w.descends(ob, oa) {
				w.t.Fatalf("core %d's %v and core %d's %v overlap but are unrelated", a.core, ca, b.core, cb)
			}
		}
	}
}

// TestTwoCoresNeverShareFreedMemory runs random sequences over a sender
// and a receiver and checks, after every step, that no range the
// receiver holds is reused on the sender's core for something else.
func TestTwoCoresNeverShareFreedMemory(t *testing.T) {
	seeds, steps := 30, 400
	if testing.Short() {
		seeds = 8
	}
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 11))
		w := &twoCores{t: t, db: [2]*DB{NewDB(0), NewDB(1)}, obj: map[gref]int{}}
		w.root, _ = w.db[0].Create(Cap{Type: RAM, Base: 0, Size: 32 * pageSize, Rights: AllRights})
		w.obj[gref{0, w.root}] = w.newObj(-1)
		for range steps {
			w.step(rng)
			w.check()
		}
	}
}
