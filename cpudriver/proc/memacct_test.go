package proc

import (
	"math/rand/v2"
	"testing"
)

// fakePages replaces the account's page operations for a host test: it
// records zeroed pages and serves a small pool.
type fakePages struct {
	zeroed   map[uint64]bool
	pool     []uint64
	poolUsed map[uint64]bool
}

func useFakePages(t *testing.T, poolPages int) *fakePages {
	f := &fakePages{zeroed: map[uint64]bool{}, poolUsed: map[uint64]bool{}}
	for i := 0; i < poolPages; i++ {
		f.pool = append(f.pool, 0x7000_0000+uint64(i)*pageSize)
	}
	oz, op, of := zeroPage, poolPage, poolFree
	zeroPage = func(pa uint64) { f.zeroed[pa] = true }
	poolPage = func() uint64 {
		if len(f.pool) == 0 {
			return 0
		}
		pa := f.pool[len(f.pool)-1]
		f.pool = f.pool[:len(f.pool)-1]
		f.poolUsed[pa] = true
		return pa
	}
	poolFree = func(pa uint64) {
		if !f.poolUsed[pa] {
			t.Errorf("page %#x freed to the pool it did not come from", pa)
		}
		delete(f.poolUsed, pa)
		f.pool = append(f.pool, pa)
	}
	t.Cleanup(func() { zeroPage, poolPage, poolFree = oz, op, of })
	return f
}

// growing alloc is the fault path: on errNeedMemory, grow and retry.
func allocGrow(t *testing.T, a *memAccount) uint64 {
	t.Helper()
	for {
		pa, err := a.alloc()
		if err == errNeedMemory {
			a.add(reserveChunk(a.nextSize()))
			continue
		}
		if err != nil {
			return 0
		}
		return pa
	}
}

// TestMemAccounts runs two processes' accounts against one core's RAM
// capability with random allocations and give-backs, and checks against
// a model: no page is held twice, every page handed out was zeroed, lies
// in a chunk of its account or came from the pool once the capability was
// full, and releasing the accounts leaves the RAM capability without
// descendants and the pool whole.
func TestMemAccounts(t *testing.T) {
	const ramBase, ramSize = 0x1000_0000, 3 << 20 // small: the pool path runs too
	poolServed := 0
	for seed := uint64(0); seed < 20; seed++ {
		f := useFakePages(t, 512)
		if err := InitCapabilities(0, ramBase, ramSize); err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(seed, 7))
		accts := []*memAccount{{}, {}}
		held := map[uint64]int{} // page -> account index
		var pages [2][]uint64
		for step := 0; step < 4000; step++ {
			i := rng.IntN(2)
			a := accts[i]
			if rng.IntN(3) > 0 || len(pages[i]) == 0 {
				pa := allocGrow(t, a)
				if pa == 0 {
					continue // the pool ran out too: an out-of-memory fault
				}
				if j, dup := held[pa]; dup {
					t.Fatalf("seed %d: page %#x handed to account %d while account %d holds it", seed, pa, i, j)
				}
				fromPool := f.poolUsed[pa]
				if !fromPool && !f.zeroed[pa] {
					t.Fatalf("seed %d: page %#x not zeroed", seed, pa)
				}
				if !fromPool && !a.owns(pa) {
					t.Fatalf("seed %d: page %#x outside account %d's chunks", seed, pa, i)
				}
				if fromPool && !a.usePool {
					t.Fatalf("seed %d: pool page while the RAM capability had room", seed)
				}
				if fromPool {
					poolServed++
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
			a.giveBack(pa)
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
				a.dropAtExit(pa)
			}
			a.release()
		}
		if n := len(capCore.db.Descendants(ramRoots[0].id)); n != 0 {
			t.Fatalf("seed %d: %d descendants of the RAM capability left", seed, n)
		}
		if len(f.poolUsed) != 0 {
			t.Fatalf("seed %d: %d pool pages not given back", seed, len(f.poolUsed))
		}
		if got := accountPages.Load(); got != 0 {
			t.Fatalf("seed %d: %d pages still counted", seed, got)
		}
	}
	if poolServed == 0 {
		t.Errorf("no allocation fell back to the pool: the test does not cover that path")
	}
}
