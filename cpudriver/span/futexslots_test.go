package span

import (
	"math/bits"
	"sync"
	"sync/atomic"
	"testing"
)

func TestSlotStates(t *testing.T) {
	w := make([]uint64, SlotsPerCore)
	const a, b = 0x1000, 0x2000
	Post(w, 0, a)
	Post(w, 1, b)
	Post(w, 2, a)
	if got := Claim(w, 0b111, b, 5); got != 0b010 {
		t.Fatalf("claim b: %b", got)
	}
	if got := Claim(w, 0b111, a, 1); got != 0b001 {
		t.Fatalf("claim one a: %b", got)
	}
	if got := Claim(w, 0b011, a, 5); got != 0 {
		t.Fatalf("claimed slots outside the mask or twice: %b", got)
	}
	if !Woken(w, 0) || !Woken(w, 1) || Woken(w, 2) {
		t.Fatalf("woken: %v %v %v", Woken(w, 0), Woken(w, 1), Woken(w, 2))
	}
	if !Unclaim(w, 1, b) || Woken(w, 1) || Unclaim(w, 1, b) {
		t.Fatal("unclaim")
	}
	if !Release(w, 0, a) || Release(w, 1, b) || Release(w, 2, a) {
		t.Fatal("release reports the claims wrong")
	}
	for i, x := range w {
		if x != 0 {
			t.Fatalf("slot %d left %#x", i, x)
		}
	}
	// A mask wider than the slots stops at the last slot.
	if got := Claim(w[:2], ^uint64(0), a, 5); got != 0 {
		t.Fatalf("claim on free slots: %b", got)
	}
}

// TestSlotsConcurrent runs waiters that post, wait a little and release,
// against wakers that claim, and checks the ledger: every claim a waker
// counted is a release that reported woken, and no slot is left in use.
func TestSlotsConcurrent(t *testing.T) {
	const cores, rounds = 4, 2000
	words := make([][]uint64, cores)
	for c := range words {
		words[c] = make([]uint64, SlotsPerCore)
	}
	var masks [cores]atomic.Uint64
	var claimed, wokenSeen atomic.Int64
	var wg sync.WaitGroup
	for c := 0; c < cores; c++ {
		for s := 0; s < 2; s++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				i := s // each waiter goroutine owns one slot of its core
				addr := uint64(0x1000 + 4*((c+s)%3))
				for r := 0; r < rounds; r++ {
					Post(words[c], i, addr)
					masks[c].Or(1 << i)
					for k := 0; k < r%7; k++ {
						_ = atomic.LoadUint64(&words[c][i])
					}
					masks[c].And(^uint64(1 << i))
					if Release(words[c], i, addr) {
						wokenSeen.Add(1)
					}
				}
			}()
		}
	}
	stop := make(chan struct{})
	var wakers sync.WaitGroup
	for k := 0; k < 3; k++ {
		wakers.Add(1)
		go func() {
			defer wakers.Done()
			for r := 0; ; r++ {
				select {
				case <-stop:
					return
				default:
				}
				addr := uint64(0x1000 + 4*(r%3))
				for c := 0; c < cores; c++ {
					got := Claim(words[c], masks[c].Load()|0b11, addr, 1+r%2)
					claimed.Add(int64(bits.OnesCount64(got)))
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	wakers.Wait()
	if claimed.Load() != wokenSeen.Load() {
		t.Fatalf("wakers claimed %d waiters, waiters saw %d claims", claimed.Load(), wokenSeen.Load())
	}
	for c := range words {
		for i, x := range words[c] {
			if x != 0 {
				t.Fatalf("core %d slot %d left %#x", c, i, x)
			}
		}
	}
	t.Logf("%d claims", claimed.Load())
}
