package ring0

import "sync/atomic"

// The pool running low (cpudriver's poolwatch.go reports it): the first
// time this core's pool has less than 1/poolLowFraction of its pages
// free after a page is taken (the runtime's heap growing, a page the CPU
// driver allocates, memory lent to programs), poolLow goes from 0 to 1
// and a notification is made pending, so that the next idle HLT exit
// runs the notification path, whose hook takes it (TakePoolLow). No
// timer: an idle core stays tickless.
const poolLowFraction = 8

var poolLow uint32 // 0: not yet low; 1: low, not yet reported; 2: reported

// checkPoolLow notes the pool's first time low. Called after a page is
// taken, with interrupts off or on this core's own goroutines only.
//
//go:nosplit
func checkPoolLow() {
	if poolLow == 0 && pool.FreePages()*poolLowFraction < pool.TotalPages() {
		atomic.StoreUint32(&poolLow, 1)
		notifyPending = 1
	}
}

// TakePoolLow reports, once, that the pool ran low: a plain load on
// every notification but that one.
func TakePoolLow() bool {
	return atomic.LoadUint32(&poolLow) == 1 && atomic.CompareAndSwapUint32(&poolLow, 1, 2)
}
