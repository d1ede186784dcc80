// Package futex keeps the threads of one process that wait in
// FUTEX_WAIT, by address, for the Linux futex calls (futex(2)): a
// process of the CPU driver owns one Table, and only its threads and its
// exit use it.
package futex

import (
	"sync"
	"time"

	"multikernel/cpudriver/kpi"
)

// Table holds the threads of a process waiting in FUTEX_WAIT, by
// address. Its own mutex orders waits and wakes: a waiter checks the futex
// word and enqueues under it, so a wake that follows a change of the word
// cannot be missed.
type Table struct {
	mu      sync.Mutex
	waiters map[uint64][]chan struct{}
	dead    bool
}

// Wait blocks while the 32-bit word at addr (read by load under the
// table's lock) equals val, until a wake, the timeout (0: none) or the
// process's end. It returns 0, -EAGAIN or -ETIMEDOUT.
func (f *Table) Wait(addr uint64, val uint32, load func() (uint32, error), timeout time.Duration) int64 {
	f.mu.Lock()
	cur, err := load()
	if err != nil {
		f.mu.Unlock()
		return -kpi.EFAULT
	}
	if cur != val || f.dead {
		f.mu.Unlock()
		return -kpi.EAGAIN
	}
	if f.waiters == nil {
		f.waiters = map[uint64][]chan struct{}{}
	}
	ch := make(chan struct{})
	f.waiters[addr] = append(f.waiters[addr], ch)
	f.mu.Unlock()
	if timeout <= 0 {
		<-ch
		return 0
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-ch:
		return 0
	case <-t.C:
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.remove(addr, ch) {
			return -kpi.ETIMEDOUT
		}
		return 0 // woken at the same time
	}
}

// remove takes ch off addr's queue; false if a wake already took it.
func (f *Table) remove(addr uint64, ch chan struct{}) bool {
	q := f.waiters[addr]
	for i, c := range q {
		if c == ch {
			f.waiters[addr] = append(q[:i:i], q[i+1:]...)
			return true
		}
	}
	return false
}

// Wake wakes up to n waiters on addr and returns how many it woke.
func (f *Table) Wake(addr uint64, n int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := f.waiters[addr]
	k := min(n, len(q))
	for _, ch := range q[:k] {
		close(ch)
	}
	if k == len(q) {
		delete(f.waiters, addr)
	} else {
		f.waiters[addr] = q[k:]
	}
	return k
}

// WakeAll releases every waiter (the process is ending).
func (f *Table) WakeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dead = true
	for a, q := range f.waiters {
		for _, ch := range q {
			close(ch)
		}
		delete(f.waiters, a)
	}
}
