package memory

import (
	"math/rand/v2"
	"testing"

	"multikernel/cpudriver/capcore"
)

// fakePages replaces the account's page clearing for a host test: it
// records zeroed pages.
type fakePages struct {
	zeroed map[uint64]bool
}

func useFakePages(t *testing.T) *fakePages {
	f := &fakePages{zeroed: map[uint64]bool{}}
	oz := zeroPage
	zeroPage = func(pa uint64) { f.zeroed[pa] = true }
	t.Cleanup(func() { zeroPage = oz })
	return f
}

// growing alloc is the fault path: on ErrNeedMemory, grow and retry; 0
// when the account is exhausted (there is no memory service here).
func allocGrow(t *testing.T, a *Account) uint64 {
	t.Helper()
	for {
		pa, err := a.Alloc()
		if err == ErrNeedMemory {
			a.Add(ReserveChunk(a.NextSize()))
			continue
		}
		if err != nil {
			if err != ErrNoMemory {
				t.Fatalf("alloc: %v", err)
			}
			return 0
		}
		return pa
	}
}

// TestMemAccounts runs two processes' accounts against one core's RAM
// capability with random allocations and give-backs, and checks against
// a model: no page is held twice, every page handed out was zeroed and
// lies in a chunk of its account, an account is out of memory only when
// the capability has no chunk left for it, and releasing the accounts
// leaves the RAM capability without descendants.
func TestMemAccounts(t *testing.T) {
	const ramBase, ramSize = 0x1000_0000, 3 << 20 // small: accounts run out too
	outOfMemory := 0
	for seed := uint64(0); seed < 20; seed++ {
		f := useFakePages(t)
		if err := Init(0, ramBase, ramSize); err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(seed, 7))
		accts := []*Account{{}, {}}
		held := map[uint64]int{} // page -> account index
		var pages [2][]uint64
		for step := 0; step < 4000; step++ {
			i := rng.IntN(2)
			a := accts[i]
			if rng.IntN(3) > 0 || len(pages[i]) == 0 {
				pa := allocGrow(t, a)
				if pa == 0 {
					outOfMemory++
					capcore.Lock()
					c, room := ReserveChunkLocked(capcore.DB(), minChunk)
					if room {
						capcore.DB().Delete(c.id)
					}
					capcore.Unlock()
					if room {
						t.Fatalf("seed %d: account %d out of memory while the RAM capability has room", seed, i)
					}
					continue
				}
				if j, dup := held[pa]; dup {
					t.Fatalf("seed %d: page %#x handed to account %d while account %d holds it", seed, pa, i, j)
				}
				if !f.zeroed[pa] {
					t.Fatalf("seed %d: page %#x not zeroed", seed, pa)
				}
				if !a.Owns(pa) {
					t.Fatalf("seed %d: page %#x outside account %d's chunks", seed, pa, i)
				}
				delete(f.zeroed, pa)
				held[pa] = i
				pages[i] = append(pages[i], pa)
				continue
			}
			k := rng.IntN(len(pages[i]))
			pa := pages[i][k]
			pages[i] = append(pages[i][:k], pages[i][k+1:]...)
			delete(held, pa)
			a.GiveBack(pa)
		}
		// Chunks of the two accounts never overlap.
		for _, c := range accts[0].chunks {
			for _, d := range accts[1].chunks {
				if c.base < d.base+d.size && d.base < c.base+c.size {
					t.Fatalf("seed %d: chunks %#x+%#x and %#x+%#x overlap", seed, c.base, c.size, d.base, d.size)
				}
			}
		}
		for i, a := range accts {
			for _, pa := range pages[i] {
				a.DropAtExit(pa)
			}
			a.Release()
		}
		if n := len(capcore.DB().Descendants(ramRoots[0].id)); n != 0 {
			t.Fatalf("seed %d: %d descendants of the RAM capability left", seed, n)
		}
		if got := accountPages.Load(); got != 0 {
			t.Fatalf("seed %d: %d pages still counted", seed, got)
		}
	}
	if outOfMemory == 0 {
		t.Errorf("no account ran out of memory: the test does not cover that path")
	}
}
