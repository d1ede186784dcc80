package proc

import (
	"math/bits"
	"sync/atomic"
	"time"

	"multikernel/cpudriver/kmesh"
	"multikernel/urpc"
)

// Futexes of spanning programs (docs/spanning.md). Each core keeps its
// own waiters (the replica's futex.Table) and publishes, in its line of
// the span page, one bit per bucket of addresses (futexBucket) in which
// it has waiters. A wait sets its bucket's bit before the futex word is
// read (an atomic store: a full barrier); a wake, after the program's
// atomic change of the word, wakes this core's waiters and then asks
// each other core whose bit is set, one at a time, until n are woken. So
// a wake either finds the waiter's bit or the waiter finds the new
// word. A core's bit stays set while it has a waiter in the bucket.

// futexBucket returns addr's bucket (0-63).
func futexBucket(addr uint64) uint { return uint(addr>>2) & 63 }

// FutexWait is FUTEX_WAIT of t on the 32-bit word at addr (futex.Table.Wait),
// for one-core and spanning programs.
func (t *Thread) FutexWait(addr uint64, val uint32, load func() (uint32, error), timeout time.Duration) int64 {
	p := t.proc
	st := p.span
	if st == nil {
		return p.futexes.Wait(addr, val, load, timeout)
	}
	b := futexBucket(addr)
	st.mu.Lock()
	st.waiters[b]++
	if st.waiters[b] == 1 {
		st.publishFutex()
	}
	st.mu.Unlock()
	ret := p.futexes.Wait(addr, val, load, timeout)
	st.mu.Lock()
	st.waiters[b]--
	if st.waiters[b] == 0 {
		st.publishFutex()
	}
	st.mu.Unlock()
	return ret
}

// publishFutex stores this core's bucket bits. st.mu is held.
func (st *spanState) publishFutex() {
	var w uint64
	for b, n := range st.waiters {
		if n > 0 {
			w |= 1 << b
		}
	}
	atomic.StoreUint64(coreWord(st.page, st.self, spFutex), w)
}

// FutexWakes counts the wakes this core sent to other cores.
var FutexWakes atomic.Uint64

// FutexWake is FUTEX_WAKE of up to n waiters on addr: this core's first,
// then other cores' of a spanning program. It returns how many it woke.
func (t *Thread) FutexWake(addr uint64, n int) int {
	p := t.proc
	k := p.futexes.Wake(addr, n)
	st := p.span
	if st == nil || k >= n {
		return k
	}
	bit := uint64(1) << futexBucket(addr)
	w0 := packWord0(0, spanKey{st.home, st.id}, 0)
	for m := st.cores &^ (1 << st.self); m != 0 && k < n; m &= m - 1 {
		c := bits.TrailingZeros64(m)
		if atomic.LoadUint64(coreWord(st.page, c, spFutex))&bit == 0 {
			continue
		}
		key := seqKey()
		FutexWakes.Add(1)
		rep, ok := request(c, kmesh.SpanWake, spanMsg{w0, addr, uint64(n - k), key}, key, nil)
		if ok {
			k += int(rep[1])
		}
	}
	return k
}

// onSpanWake wakes waiters of the program on this core and answers how
// many.
func onSpanWake(from int, msg urpc.Message) error {
	m := decodeSpan(msg)
	_, k, _ := unpackWord0(m[0])
	p := spanLookup(k)
	go func() {
		woken := 0
		if p != nil {
			woken = p.futexes.Wake(m[1], int(min(m[2], 1<<30)))
			if woken > 0 {
				core.woken = true // a yield on this core lets them run
			}
		}
		send(from, kmesh.SpanWoken, spanMsg{m[0], uint64(woken), 0, m[3]})
	}()
	return nil
}

func onSpanWoken(from int, msg urpc.Message) error {
	m := decodeSpan(msg)
	answer(m[3], m)
	return nil
}
