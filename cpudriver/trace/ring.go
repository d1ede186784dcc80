package trace

import (
	"sync/atomic"
	"unsafe"
)

// Ring layout, in words (doc.go, "The ring").
const (
	wMagic   = 0 // ringMagic
	wCap     = 1 // capacity in records
	wCore    = 2
	wHead    = 3 // records reserved so far (owner)
	wDropped = 4 // events not recorded: the ring was full (owner)
	wTail    = 8 // records taken so far (drainer): line 1
	wRecords = 16
)

// ringMagic marks an initialised ring ("MKTRRING").
const ringMagic = 0x474e49525254524b

// RingWords returns the words a ring of n records takes.
func RingWords(n int) int { return wRecords + 2*n }

// Ring is a core's trace ring over memory of its own (doc.go). The
// owner calls Add; one drainer calls Drain.
type Ring struct {
	w []uint64
}

// NewRing initialises a ring of core over w (RingWords(n) words for n
// records: len(w) decides) and returns it. Only the owner calls it,
// before it publishes the ring.
func NewRing(w []uint64, core uint8) *Ring {
	n := (len(w) - wRecords) / 2
	clear(w)
	w[wCap], w[wCore] = uint64(n), uint64(core)
	atomic.StoreUint64(&w[wMagic], ringMagic)
	return &Ring{w: w}
}

// OpenRing returns the ring another core initialised over w, or false if
// w holds none (no magic, or a capacity or core that does not fit).
func OpenRing(w []uint64) (*Ring, bool) {
	if len(w) < wRecords || atomic.LoadUint64(&w[wMagic]) != ringMagic {
		return nil, false
	}
	if n := w[wCap]; n == 0 || n > uint64(len(w)-wRecords)/2 || w[wCore] > 0xff {
		return nil, false
	}
	return &Ring{w: w[:RingWords(int(w[wCap]))]}, true
}

// HeaderWords is the size of a ring's header, in words.
const HeaderWords = wRecords

// PeekCap returns the capacity the ring header in w (HeaderWords words
// at least) claims, and false if w holds no ring: what a drainer reads
// before it maps the whole ring.
func PeekCap(w []uint64) (int, bool) {
	if len(w) < HeaderWords || atomic.LoadUint64(&w[wMagic]) != ringMagic {
		return 0, false
	}
	return int(min(w[wCap], 1<<40)), true
}

// Core returns the ring's core.
func (r *Ring) Core() uint8 { return uint8(r.w[wCore]) }

// Cap returns the ring's capacity in records.
func (r *Ring) Cap() int { return int(r.w[wCap]) }

// Dropped returns how many events found the ring full.
func (r *Ring) Dropped() uint64 { return atomic.LoadUint64(&r.w[wDropped]) }

// Add records ev at time now with arguments a and b, or counts it
// dropped if the ring is full. The owning core only; safe from any of its
// goroutines or threads at once. Allocation-free and nosplit: it runs
// beneath the CPU driver's scheduler too.
//
//go:nosplit
func (r *Ring) Add(now uint64, ev Event, a uint16, b uint32) {
	n := r.w[wCap]
	var h uint64
	for {
		h = atomic.LoadUint64(&r.w[wHead])
		if h-atomic.LoadUint64(&r.w[wTail]) >= n {
			atomic.AddUint64(&r.w[wDropped], 1)
			return
		}
		if atomic.CompareAndSwapUint64(&r.w[wHead], h, h+1) {
			break
		}
	}
	i := wRecords + 2*(h%n)
	atomic.StoreUint64(&r.w[i], now)
	atomic.StoreUint64(&r.w[i+1], pack(ev, uint8(r.w[wCore]), a, b))
}

// Drain takes up to max records (all: max <= 0) in the order they were
// reserved, stopping at one reserved but not yet written, and calls f
// with each as its two words, then frees their slots. The drainer only.
// It returns how many it took.
func (r *Ring) Drain(max int, f func(w0, w1 uint64)) int {
	n := r.w[wCap]
	t := atomic.LoadUint64(&r.w[wTail])
	h := atomic.LoadUint64(&r.w[wHead])
	took := 0
	for ; t < h && (max <= 0 || took < max); t++ {
		i := wRecords + 2*(t%n)
		w1 := atomic.LoadUint64(&r.w[i+1])
		if w1 == 0 {
			break
		}
		f(atomic.LoadUint64(&r.w[i]), w1)
		atomic.StoreUint64(&r.w[i+1], 0)
		took++
	}
	atomic.StoreUint64(&r.w[wTail], t)
	return took
}

// Words returns a ring's memory as words: the physical memory at p, of
// n bytes (the direct map's address of a ring's pages).
func Words(p unsafe.Pointer, n int) []uint64 { return unsafe.Slice((*uint64)(p), n/8) }
