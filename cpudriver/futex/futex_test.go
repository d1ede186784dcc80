package futex

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"multikernel/cpudriver/kpi"
)

// word is a futex word for the tests, loaded under the table's lock.
type word struct{ v atomic.Uint32 }

func (w *word) load() (uint32, error) { return w.v.Load(), nil }

func TestFutexWaitValueMismatch(t *testing.T) {
	var f Table
	var w word
	w.v.Store(1)
	if r := f.Wait(0x1000, 0, w.load, 0); r != -kpi.EAGAIN {
		t.Errorf("wait on a changed word = %d, want -EAGAIN", r)
	}
}

func TestFutexWakeWakesWaiters(t *testing.T) {
	var f Table
	var w word
	var wg sync.WaitGroup
	results := make(chan int64, 3)
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- f.Wait(0x1000, 0, w.load, 0)
		}()
	}
	// Wake until all three have been woken (they enqueue at their own pace).
	woken := 0
	deadline := time.Now().Add(5 * time.Second)
	for woken < 3 && time.Now().Before(deadline) {
		woken += f.Wake(0x1000, 2)
		time.Sleep(time.Millisecond)
	}
	wg.Wait()
	close(results)
	for r := range results {
		if r != 0 {
			t.Errorf("woken wait returned %d, want 0", r)
		}
	}
	if woken != 3 {
		t.Errorf("woke %d waiters, want 3", woken)
	}
	if n := f.Wake(0x1000, 1); n != 0 {
		t.Errorf("wake with no waiters woke %d", n)
	}
}

func TestFutexTimeoutAndOtherAddress(t *testing.T) {
	var f Table
	var w word
	done := make(chan int64)
	go func() { done <- f.Wait(0x2000, 0, w.load, 20*time.Millisecond) }()
	time.Sleep(5 * time.Millisecond)
	if n := f.Wake(0x3000, 1); n != 0 {
		t.Errorf("a wake on another address woke %d", n)
	}
	if r := <-done; r != -kpi.ETIMEDOUT {
		t.Errorf("timed-out wait returned %d, want -ETIMEDOUT", r)
	}
	if len(f.waiters[0x2000]) != 0 {
		t.Errorf("a timed-out waiter stayed queued")
	}
}

func TestFutexWakeAllOnExit(t *testing.T) {
	var f Table
	var w word
	done := make(chan int64)
	go func() { done <- f.Wait(0x1000, 0, w.load, 0) }()
	for {
		f.mu.Lock()
		n := len(f.waiters[0x1000])
		f.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	f.WakeAll()
	if r := <-done; r != 0 {
		t.Errorf("wait released at exit returned %d", r)
	}
	if r := f.Wait(0x1000, 0, w.load, 0); r != -kpi.EAGAIN {
		t.Errorf("wait after exit = %d, want -EAGAIN (no new sleepers)", r)
	}
}
