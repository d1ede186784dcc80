package shares

import (
	"errors"
	"math/rand"
	"sync"
	"testing"
)

// TestShareModel runs random adds, removes and look-ups against a map:
// every live id finds its reference, a removed id (or one never handed
// out) finds none even when its slot was reused, a full share refuses,
// and the counts add up.
func TestShareModel(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for round := 0; round < 50; round++ {
		s := New(16, AnyCore)
		model := map[ID]Ref{}
		var dead []ID
		adds, removes := 0, 0
		for op := 0; op < 2000; op++ {
			switch rng.Intn(4) {
			case 0, 1:
				ref := Ref{Kind: Kind(1 + rng.Intn(4)), Value: rng.Uint64()}
				id, err := s.Add(ref)
				if len(model) == 16 {
					if !errors.Is(err, ErrFull) {
						t.Fatalf("round %d: a full share's Add = %v", round, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("round %d: Add: %v", round, err)
				}
				if _, dup := model[id]; dup {
					t.Fatalf("round %d: id %#x handed out twice", round, id)
				}
				model[id] = ref
				adds++
			case 2:
				if len(model) == 0 || rng.Intn(5) == 0 && len(dead) > 0 {
					if len(dead) > 0 {
						if err := s.Remove(dead[rng.Intn(len(dead))]); !errors.Is(err, ErrNotFound) {
							t.Fatalf("round %d: removing a dead id: %v", round, err)
						}
					}
					continue
				}
				for id := range model {
					if err := s.Remove(id); err != nil {
						t.Fatalf("round %d: Remove(%#x): %v", round, id, err)
					}
					delete(model, id)
					dead = append(dead, id)
					removes++
					break
				}
			case 3:
				for id, ref := range model {
					if got, ok := s.Lookup(id); !ok || got != ref {
						t.Fatalf("round %d: Lookup(%#x) = %v, %v; want %v", round, id, got, ok, ref)
					}
				}
				for _, id := range dead {
					if _, live := model[id]; live {
						continue
					}
					if got, ok := s.Lookup(id); ok {
						t.Fatalf("round %d: dead id %#x found %v", round, id, got)
					}
				}
			}
		}
		if st := s.Stats(); st.Adds != uint64(adds) || st.Removes != uint64(removes) || st.Contended != 0 {
			t.Errorf("round %d: stats %+v, want %d adds, %d removes, none contended", round, st, adds, removes)
		}
	}
	if _, err := New(4, AnyCore).Add(Ref{}); !errors.Is(err, ErrBadRef) {
		t.Errorf("a reference without a kind: %v", err)
	}
}

// TestLocalShare: a local share is changed only from its core.
func TestLocalShare(t *testing.T) {
	core := 3
	currentCore = func() int { return core }
	defer func() { currentCore = realCurrent }()
	s := Root(3)
	if Root(3) != s || s.Owner() != 3 {
		t.Fatalf("Root(3) is not one share of core 3")
	}
	id, err := s.Add(Ref{Kind: Range, Value: 0x200000000000})
	if err != nil {
		t.Fatal(err)
	}
	core = 4
	if _, err := s.Add(Ref{Kind: Value, Value: 1}); !errors.Is(err, ErrNotLocal) {
		t.Errorf("Add from another core: %v", err)
	}
	if err := s.Remove(id); !errors.Is(err, ErrNotLocal) {
		t.Errorf("Remove from another core: %v", err)
	}
	if ref, ok := s.Lookup(id); !ok || ref.Kind != Range {
		t.Errorf("Lookup from another core: %v, %v", ref, ok)
	}
}

var realCurrent = currentCore

// TestConcurrentShare: readers look ids up while writers on other
// goroutines add and remove (run with -race): a look-up finds an id's
// own reference or nothing, never another's, and the writers' lock is
// counted contended.
func TestConcurrentShare(t *testing.T) {
	s := New(256, AnyCore)
	var wg sync.WaitGroup
	ids := make(chan ID, 1024)
	var values sync.Map // id: the value added under it
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				v := uint64(w)<<32 | uint64(i)
				id, err := s.Add(Ref{Kind: Value, Value: v})
				if err != nil {
					continue
				}
				values.Store(id, v)
				select {
				case ids <- id:
				default:
				}
				if err := s.Remove(id); err != nil {
					t.Errorf("Remove: %v", err)
				}
			}
		}()
	}
	stop := make(chan struct{})
	var rg sync.WaitGroup
	for r := 0; r < 4; r++ {
		rg.Add(1)
		go func() {
			defer rg.Done()
			for {
				select {
				case <-stop:
					return
				case id := <-ids:
					want, _ := values.Load(id)
					if ref, ok := s.Lookup(id); ok && (ref.Kind != Value || ref.Value != want) {
						t.Errorf("Lookup(%#x) = %v, want value %v", id, ref, want)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	rg.Wait()
	if st := s.Stats(); st.Adds != st.Removes || st.Adds == 0 {
		t.Errorf("stats %+v", st)
	}
}

// TestNested: a share names another through a Nested reference, and
// only a share's handle finds it.
func TestNested(t *testing.T) {
	inner, outer := New(16, AnyCore), New(16, AnyCore)
	id, err := outer.Add(inner.Ref())
	if err != nil {
		t.Fatal(err)
	}
	r, ok := outer.Lookup(id)
	got, found := Nest(r)
	if !ok || !found || got != inner {
		t.Errorf("nested look-up: %v %v, found %v (%p, want %p)", r, ok, found, got, inner)
	}
	if _, ok := Nest(Ref{Kind: Value, Value: inner.Handle()}); ok {
		t.Errorf("a Value reference was taken for a share")
	}
	if _, ok := ByHandle(0); ok {
		t.Errorf("handle 0 found a share")
	}
	if inner.Handle() == outer.Handle() {
		t.Errorf("two shares have handle %d", inner.Handle())
	}
}
