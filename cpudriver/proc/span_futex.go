package proc

import (
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"multikernel/cpudriver/kmesh"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/notify"
	"multikernel/cpudriver/ring0"
	"multikernel/cpudriver/span"
	"multikernel/urpc"
)

// Futexes of spanning programs (docs/spanning.md, "Futexes"). A waiting
// thread takes one of its core's waiter slots in the program's slot page
// (package span: the slot names the futex address; the core's slot mask
// in its line of the span page says which slots are in use) before it
// reads the futex word, each store a full barrier. A wake, after the
// program's atomic change of the word, claims waiters on addr in the
// slots of every core of the program by compare-and-swap, so it counts
// them exactly and at once, and raises a notification on each core where
// it claimed one; that core, first thing on the notification (before the
// goroutines its bell wakes: notify.Take), runs the claimed threads
// (RunClaimed). So a wake either claims the waiter's slot or the
// waiter reads the new word, and a cross-core wake costs the waker one
// cache-line write and one IPI, and the waiter's core no message: the
// claim in the slot is the message, as a URPC slot with its notification
// (docs/urpc.md), and the receiving core looks at it from its
// notification path, not from its mesh receiver, a hop of goroutines
// later.
//
// A core whose slots are all taken keeps further waiters in the
// replica's futex.Table and publishes, in its line, one bit per bucket of
// addresses (futexBucket) in which it has such waiters; a wake that has
// not found n waiters in slots asks each core whose bit is set, one at a
// time, and waits for its count (SpanWake, SpanWoken).

// futexBucket returns addr's bucket (0-63).
func futexBucket(addr uint64) uint { return uint(addr>>2) & 63 }

// slotWords returns core c's waiter slots in the slot page at pa.
func slotWords(pa uint64, c int) []uint64 {
	return ring0.PhysWords(pa)[c*span.SlotsPerCore : (c+1)*span.SlotsPerCore]
}

// FutexWait is FUTEX_WAIT of t on the 32-bit word at addr (futex.Table.Wait),
// for one-core and spanning programs.
func (t *Thread) FutexWait(addr uint64, val uint32, load func() (uint32, error), timeout time.Duration) int64 {
	p := t.proc
	st := p.span
	if st == nil {
		return p.futexes.Wait(addr, val, load, timeout)
	}
	if i, ch, ok := st.postWaiter(addr); ok {
		return st.slotWait(i, ch, addr, val, load, timeout)
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

// postWaiter takes a free slot of this core for a waiter on addr and
// posts it; false when every slot is taken or the program is ending.
func (st *spanState) postWaiter(addr uint64) (int, chan struct{}, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	free := ^st.slotUsed & (1<<span.SlotsPerCore - 1)
	if free == 0 || st.futexDead || st.slots == 0 {
		return 0, nil, false
	}
	i := bits.TrailingZeros64(free)
	ch := make(chan struct{})
	if !st.slotListed {
		st.slotListed = true
		waitingSpans.add(st)
	}
	st.slotCh[i] = ch
	st.slotUsed |= 1 << i
	span.Post(slotWords(st.slots, st.self), i, addr)
	atomic.StoreUint64(coreWord(st.page, st.self, spSlots), st.slotUsed)
	return i, ch, true
}

// slotWait is the rest of FUTEX_WAIT for a waiter posted in slot i: the
// check of the word, the wait, and the slot's release.
func (st *spanState) slotWait(i int, ch chan struct{}, addr uint64, val uint32, load func() (uint32, error), timeout time.Duration) int64 {
	cur, err := load()
	if err != nil || cur != val {
		if st.releaseWaiter(i, addr) {
			return 0 // claimed meanwhile: counted as woken
		}
		if err != nil {
			return -kpi.EFAULT
		}
		return -kpi.EAGAIN
	}
	expired, stop := notify.Timer(timeout)
	defer stop()
	select {
	case <-ch:
		st.releaseWaiter(i, addr)
		return 0
	case <-expired:
		if st.releaseWaiter(i, addr) {
			return 0
		}
		return -kpi.ETIMEDOUT
	}
}

// releaseWaiter frees slot i and reports whether a wake claimed it.
func (st *spanState) releaseWaiter(i int, addr uint64) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	woken := span.Release(slotWords(st.slots, st.self), i, addr)
	st.slotUsed &^= 1 << i
	st.slotCh[i] = nil
	atomic.StoreUint64(coreWord(st.page, st.self, spSlots), st.slotUsed)
	return woken
}

// waitingSpans are this core's spanning programs that have had waiters
// in slots, from the first until the program ends here: the ones
// RunClaimed looks at. Its lock nests inside a spanState's mu, never the
// other way round.
var waitingSpans spanSet

type spanSet struct {
	mu  sync.Mutex
	set []*spanState
}

func (s *spanSet) add(st *spanState) {
	s.mu.Lock()
	s.set = append(s.set, st)
	s.mu.Unlock()
}

func (s *spanSet) remove(st *spanState) {
	s.mu.Lock()
	s.set = slices.DeleteFunc(s.set, func(x *spanState) bool { return x == st })
	s.mu.Unlock()
}

// snapshot copies the set into buf.
func (s *spanSet) snapshot(buf []*spanState) []*spanState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append(buf[:0], s.set...)
}

// RunClaimed runs the waiters that other cores claimed in this core's
// slots, for every program: a notification hook (notify.AddHook), on the
// notification listener's goroutine or an interrupted user thread's.
func RunClaimed() {
	var buf [8]*spanState
	for _, st := range waitingSpans.snapshot(buf[:]) {
		st.runClaimed()
	}
}

// runClaimed lets this core's claimed waiters run. It takes st.mu only
// and never blocks.
func (st *spanState) runClaimed() {
	st.mu.Lock()
	defer st.mu.Unlock()
	words := slotWords(st.slots, st.self)
	for m := st.slotUsed; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		if st.slotCh[i] != nil && span.Woken(words, i) {
			close(st.slotCh[i])
			st.slotCh[i] = nil
			core.woken = true // a yield on this core lets them run
		}
	}
}

// endFutexes releases every waiter in this core's slots (the program is
// ending here) and refuses new ones.
func (st *spanState) endFutexes() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.futexDead = true
	if st.slotListed {
		st.slotListed = false
		waitingSpans.remove(st)
	}
	for i, ch := range st.slotCh {
		if ch != nil {
			close(ch)
			st.slotCh[i] = nil
		}
	}
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

// wakeCount returns core c's count of cross-core wake messages in the
// slot page at pa, after the slots (slotCountOff): the notifications of
// claimed slots in the low 32 bits, the requests to the
// tables of cores whose slots were full in the high 32. Core c alone
// writes it; the home reads it at the program's end.
func wakeCount(pa uint64, c int) *uint64 { return &ring0.PhysWords(pa)[slotCountOff+c] }

// slotCountOff is the word of the slot page where the wake counts begin.
const slotCountOff = spanMaxCores * span.SlotsPerCore

// reportFutexes prints the program's cross-core futex wakes at its end
// (home only, once no other core runs it).
func (p *Process) reportFutexes() {
	st := p.span
	var slot, table uint64
	for m := st.coreMask(); m != 0; m &= m - 1 {
		w := atomic.LoadUint64(wakeCount(st.slots, bits.TrailingZeros64(m)))
		slot += w & (1<<32 - 1)
		table += w >> 32
	}
	if slot+table > 0 {
		p.Logf("%d cross-core futex wakes: %d by a slot claim and a notification, %d by a request to a core whose slots were full", slot+table, slot, table)
	}
}

// FutexWake is FUTEX_WAKE of up to n waiters on addr: this core's first,
// then other cores' of a spanning program. It returns how many it woke.
//
// The table's lock, taken first, is a full barrier: the program's change
// of the futex word is visible before the slot masks are read.
func (t *Thread) FutexWake(addr uint64, n int) int {
	p := t.proc
	k := p.futexes.Wake(addr, n)
	st := p.span
	if st == nil || k >= n {
		return k
	}
	k += st.claimHere(addr, n-k)
	others := st.coreMask() &^ (1 << st.self)
	for m := others; m != 0 && k < n; m &= m - 1 {
		k += st.claimOn(bits.TrailingZeros64(m), addr, n-k)
	}
	w0 := packWord0(0, spanKey{st.home, st.id}, 0)
	bit := uint64(1) << futexBucket(addr)
	for m := others; m != 0 && k < n; m &= m - 1 {
		c := bits.TrailingZeros64(m)
		if atomic.LoadUint64(coreWord(st.page, c, spFutex))&bit == 0 {
			continue
		}
		key := seqKey()
		atomic.AddUint64(wakeCount(st.slots, st.self), 1<<32)
		rep, ok := request(c, kmesh.SpanWake, spanMsg{w0, addr, uint64(n - k), key}, key, nil)
		if ok {
			k += int(rep[1])
		}
	}
	return k
}

// claimHere claims up to n waiters on addr in this core's slots and lets
// them run.
func (st *spanState) claimHere(addr uint64, n int) int {
	if st.slots == 0 {
		return 0
	}
	got := span.Claim(slotWords(st.slots, st.self), atomic.LoadUint64(coreWord(st.page, st.self, spSlots)), addr, n)
	if got != 0 {
		st.runClaimed()
	}
	return bits.OnesCount64(got)
}

// claimOn claims up to n waiters on addr in core c's slots and notifies
// c; a claim c cannot be told of is given back.
func (st *spanState) claimOn(c int, addr uint64, n int) int {
	mask := atomic.LoadUint64(coreWord(st.page, c, spSlots))
	if mask == 0 || st.slots == 0 {
		return 0
	}
	words := slotWords(st.slots, c)
	got := span.Claim(words, mask, addr, n)
	if got == 0 {
		return 0
	}
	atomic.AddUint64(wakeCount(st.slots, st.self), 1)
	if kmesh.Notify(c) {
		return bits.OnesCount64(got)
	}
	k := 0
	for m := got; m != 0; m &= m - 1 {
		if !span.Unclaim(words, bits.TrailingZeros64(m), addr) {
			k++ // its waiter ended and counted itself woken
		}
	}
	return k
}

// onSpanWake wakes waiters of the program in this core's table and
// answers how many.
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

// The slots and the counts fit the slot page.
const _ = uint(4096/8 - slotCountOff - spanMaxCores)
