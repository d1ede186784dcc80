package span

import (
	"math/bits"
	"sync/atomic"
)

// Futex waiter slots (docs/spanning.md, "Futexes"): each core of a
// spanning program has SlotsPerCore words in the program's slot page, one
// per thread of that core waiting in FUTEX_WAIT. A word is 0 (free),
// addr|SlotWaiting (a thread waits on the futex at addr, which is 4-byte
// aligned, so the low two bits are free) or addr|SlotWoken (a wake
// claimed that thread). Who writes a word:
//
//	free    -> waiting   the owning core (Post), before it reads the futex word
//	waiting -> woken     any core of the program (Claim: a compare-and-swap)
//	waiting -> free      the owning core (Release: a compare-and-swap; the wait ended without a claim)
//	woken   -> free      the owning core (Release)
//
// So a wake claims a waiter exactly once, counts it without asking its
// core, and only tells the core to run the thread. A waiter whose wait ends
// (timeout, the word differed) at the moment it was claimed counts as woken.

// SlotsPerCore is the number of waiter slots of each core.
const SlotsPerCore = 16

// Slot states, in a word's low two bits.
const (
	SlotWaiting = 1
	SlotWoken   = 2
)

// Post marks slot i of words as a waiter on addr. Its store is atomic (a
// full barrier on x86): the slot is visible before the caller reads the
// futex word.
func Post(words []uint64, i int, addr uint64) {
	atomic.StoreUint64(&words[i], addr|SlotWaiting)
}

// Claim claims up to n waiters on addr among the slots of words whose
// bit is set in mask, and returns the slots it claimed.
func Claim(words []uint64, mask uint64, addr uint64, n int) (claimed uint64) {
	for m := mask; m != 0 && n > 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		if i >= len(words) {
			break
		}
		if atomic.LoadUint64(&words[i]) == addr|SlotWaiting &&
			atomic.CompareAndSwapUint64(&words[i], addr|SlotWaiting, addr|SlotWoken) {
			claimed |= 1 << i
			n--
		}
	}
	return claimed
}

// Unclaim gives back a claim of slot i for addr that its core will not
// be told of (the notification could not be sent); false if the slot is
// no longer claimed for addr (its waiter ended meanwhile and counted
// itself woken).
func Unclaim(words []uint64, i int, addr uint64) bool {
	return atomic.CompareAndSwapUint64(&words[i], addr|SlotWoken, addr|SlotWaiting)
}

// Woken reports whether slot i holds a claimed waiter.
func Woken(words []uint64, i int) bool {
	return atomic.LoadUint64(&words[i])&3 == SlotWoken
}

// Release frees slot i, posted for addr, and reports whether a wake
// claimed it first.
func Release(words []uint64, i int, addr uint64) (woken bool) {
	if atomic.CompareAndSwapUint64(&words[i], addr|SlotWaiting, 0) {
		return false
	}
	atomic.StoreUint64(&words[i], 0)
	return true
}
