package proc

import (
	"errors"
	"sync/atomic"

	"multikernel/cap"
	"multikernel/cpudriver/ring0"
)

// A process's memory comes from RAM capabilities (docs/capabilities.md,
// "Memory"): the CPU driver retypes chunks of its core's RAM capability
// for the process (the core's node: local memory by default), holds them
// for it, and hands out their pages for demand paging, the program's
// image and its stack. Pages given back (munmap, MADV_DONTNEED) are
// reused first. The chunks are not in the process's CSpace, so it cannot
// delete memory it still has mapped; they are deleted when it ends, and
// their memory goes back to the core's RAM capability. When the core's
// RAM capability has no room left, pages come from the CPU driver's own
// pool instead, and go back there.
//
// A memAccount is guarded by the lock of the space that owns it
// (Process.mu), except while the process is being built. Chunks are
// retyped with capCore.mu held and the space's lock not held (the lock
// order is capCore.mu, then Process.mu): a caller that finds the account
// empty (errNeedMemory) drops its lock, calls reserveChunk, and adds the
// chunk under the lock again.

// errNeedMemory says the account has no free page: grow it and retry.
var errNeedMemory = errors.New("process memory exhausted")

// Chunk sizes: the first chunk, and the largest; each grant doubles.
const (
	firstChunk = 4 << 20
	maxChunk   = 32 << 20
	minChunk   = 64 << 10
)

// The page operations an account needs from the CPU driver; host tests
// replace them (no memory is touched on the host).
var (
	zeroPage = func(pa uint64) { clear(ring0.PhysBytes(pa, pageSize)) }
	poolPage = ring0.AllocPage // a zeroed page of the pool, 0 if none
	poolFree = ring0.FreePage
)

// accountPages counts the pages the accounts of this core hand out from
// RAM capabilities (for the idle reports), poolPages those they hand out
// from the pool.
var accountPages, poolPages atomic.Int64

// AccountBytes returns the memory this core's processes use from RAM
// capabilities.
func AccountBytes() uint64 { return uint64(accountPages.Load()) * pageSize }

// memAccount is one process's memory.
type memAccount struct {
	chunks  []memChunk
	free    []uint64 // pages given back, reused first
	usePool bool     // the core's RAM capabilities were full: use the pool
	poolGen uint64   // ramGen when they were; a grant since ends usePool
}

// pooling reports whether the account takes pages from the pool: its
// core's RAM capabilities were full and the memory service granted
// nothing since.
func (a *memAccount) pooling() bool { return a.usePool && a.poolGen == ramGen.Load() }

// memChunk is one RAM capability held for the process; pages up to next
// have been handed out.
type memChunk struct {
	id         cap.ID
	base, size uint64
	next       uint64
}

// alloc returns a zeroed page, or errNeedMemory.
func (a *memAccount) alloc() (uint64, error) {
	var pa uint64
	switch n := len(a.free); {
	case n > 0:
		pa = a.free[n-1]
		a.free = a.free[:n-1]
	case len(a.chunks) > 0 && a.chunks[len(a.chunks)-1].next < a.chunks[len(a.chunks)-1].size:
		c := &a.chunks[len(a.chunks)-1]
		pa = c.base + c.next
		c.next += pageSize
	case a.pooling():
		if pa = poolPage(); pa == 0 {
			return 0, errFault
		}
		poolPages.Add(1)
		return pa, nil // zeroed by the pool
	default:
		return 0, errNeedMemory
	}
	zeroPage(pa)
	accountPages.Add(1)
	return pa, nil
}

// owns reports whether pa lies in one of the account's chunks.
func (a *memAccount) owns(pa uint64) bool {
	_, ok := a.chunkOf(pa)
	return ok
}

// giveBack takes back a page the process no longer maps.
func (a *memAccount) giveBack(pa uint64) {
	if a.owns(pa) {
		a.free = append(a.free, pa)
		accountPages.Add(-1)
		return
	}
	poolPages.Add(-1)
	poolFree(pa)
}

// dropAtExit is giveBack for a space being released: chunk pages are
// only counted (the chunks go as a whole), pool pages go to the pool.
func (a *memAccount) dropAtExit(pa uint64) {
	if a.owns(pa) {
		accountPages.Add(-1)
		return
	}
	poolPages.Add(-1)
	poolFree(pa)
}

// nextSize is the size of the account's next chunk.
func (a *memAccount) nextSize() uint64 {
	if len(a.chunks) == 0 {
		return firstChunk
	}
	return min(maxChunk, 2*a.chunks[len(a.chunks)-1].size)
}

// add records a chunk reserveChunk made, or, if it made none, switches
// the account to the pool.
func (a *memAccount) add(c memChunk, ok bool) {
	if !ok {
		a.usePool, a.poolGen = true, ramGen.Load()
		return
	}
	a.usePool = false
	a.chunks = append(a.chunks, c)
}

// reserveChunk retypes a RAM capability of up to size bytes from the
// first free part of the core's RAM capability, smaller if none is that
// big. The caller holds no process lock.
func reserveChunk(size uint64) (memChunk, bool) {
	capCore.mu.Lock()
	defer capCore.mu.Unlock()
	return reserveChunkLocked(capCore.db, size)
}

// reserveChunkLocked is reserveChunk with capCore.mu held; db is
// capCore.db.
func reserveChunkLocked(db *cap.DB, size uint64) (memChunk, bool) {
	return retypeRAM(db, size, minChunk)
}

// chunkOf returns the chunk that holds pa.
func (a *memAccount) chunkOf(pa uint64) (memChunk, bool) {
	for _, c := range a.chunks {
		if pa >= c.base && pa < c.base+c.size {
			return c, true
		}
	}
	return memChunk{}, false
}

// hasFree reports whether alloc would find a page without growing.
func (a *memAccount) hasFree() bool {
	n := len(a.chunks)
	return len(a.free) > 0 || a.pooling() || n > 0 && a.chunks[n-1].next < a.chunks[n-1].size
}

// release deletes the account's chunks and what was retyped from them
// (the VNode capabilities of the page tables): the process has gone and
// its space was released.
func (a *memAccount) release() {
	capCore.mu.Lock()
	defer capCore.mu.Unlock()
	for _, c := range a.chunks {
		if capCore.db != nil {
			capCore.db.Revoke(c.id)
			capCore.db.Delete(c.id)
		}
	}
	a.chunks, a.free = nil, nil
}
