package monlink

import "sync"

// WaitTable numbers the requests a CPU driver sends its monitor and waits
// for (a capability operation across cores, memory from the service): the
// monitor's answer names the request by its token. Safe for concurrent
// use.
type WaitTable[W any] struct {
	mu      sync.Mutex
	next    uint32
	waiting map[uint32]W
}

// Add records w and returns its token.
func (t *WaitTable[W]) Add(w W) uint32 {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.waiting == nil {
		t.waiting = map[uint32]W{}
	}
	t.next++
	t.waiting[t.next] = w
	return t.next
}

// Get returns the request of token; ok is false if none waits.
func (t *WaitTable[W]) Get(token uint32) (w W, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	w, ok = t.waiting[token]
	return w, ok
}

// Remove forgets the request of token.
func (t *WaitTable[W]) Remove(token uint32) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.waiting, token)
}

// Each calls fn on every waiting request, with t's lock held: fn must
// not use t.
func (t *WaitTable[W]) Each(fn func(W)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, w := range t.waiting {
		fn(w)
	}
}
