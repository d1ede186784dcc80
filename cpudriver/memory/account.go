package memory

import (
	"errors"
	"sync/atomic"

	"multikernel/cap"
	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/ring0"
)

// A process's memory comes from RAM capabilities (docs/capabilities.md,
// "Memory"): the CPU driver retypes chunks of its core's RAM capabilities
// for the process (those of the core's node first: local memory by
// default), holds them for it, and hands out their pages for demand
// paging, the program's image and its stack, and its page tables
// (vnodes.go). Pages given back (munmap, MADV_DONTNEED) are reused first.
// The chunks are not in the process's CSpace, so it cannot delete memory
// it still has mapped; they are deleted when it ends, and their memory
// goes back to the core's RAM capabilities. When those have no room left
// the memory service is asked for more (service.go), then the CPU
// driver's pool for what it can spare; when neither has any, the process
// is out of memory. The one exception is the monitor, part of the
// operating system like the CPU driver: when its core's RAM capabilities
// are full it takes pages from the CPU driver's pool directly, sharing it
// with the CPU driver as it grows (on a small machine the two would
// otherwise have to split the pool ahead of time).
//
// A Account is guarded by the lock of the space that owns it
// (proc.Process's lock), except while the process is being built. Chunks are
// retyped with the capability lock held and the space's lock not held (the lock
// order is the capability lock, then the space's): a caller that finds the account
// empty (ErrNeedMemory) drops its lock, grows the account
// (proc.Process.grow), and allocates under the lock again.

// ErrNeedMemory says the account has no free page: grow it and retry.
// ErrNoMemory says it cannot grow: the core's RAM capabilities were full
// and the memory service had nothing, and nothing changed since.
var (
	ErrNeedMemory = errors.New("process memory exhausted")
	ErrNoMemory   = errors.New("out of memory")
)

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

// accountPages counts the pages the accounts of this core hand out (for
// the idle reports).
var accountPages atomic.Int64

// AccountBytes returns the memory this core's processes use from RAM
// capabilities.
func AccountBytes() uint64 { return uint64(accountPages.Load()) * pageSize }

// ramChanged counts what may make room in the core's RAM capabilities:
// the memory service's grants and the chunks of ended processes. An
// account that found them full tries again after a change.
var ramChanged atomic.Uint64

// Account is one process's memory. Its chunks may be of several NUMA
// nodes: a spanning program's pages come from the node of the core that
// touched them first (AllocOn, account_nodes.go).
type Account struct {
	chunks []Chunk
	free   [][]uint64 // pages given back, by node, reused first
	fullAt uint64     // ramChanged+1 when the core's RAM capabilities were found full; 0: never
	Pool   bool       // the monitor's: when exhausted, take pages from the CPU driver's pool

	// nodeFullAt[n] is ramChanged+1 when neither the core's RAM
	// capabilities nor the memory service had memory of node n for the
	// account (AllocOn then takes any node's); want is 1 + the node the
	// last AllocOn found no page of, 0 when it asked for any node's.
	nodeFullAt []uint64
	want       int
}

// Chunk is one RAM capability held for the process, memory of node;
// pages up to next have been handed out.
type Chunk struct {
	id         cap.ID
	base, size uint64
	next       uint64
	node       int
}

// Exhausted reports whether the account cannot grow: the core's RAM
// capabilities were full and nothing changed since.
func (a *Account) Exhausted() bool { return a.fullAt == ramChanged.Load()+1 }

// Alloc returns a zeroed page of any node, ErrNeedMemory, or
// ErrNoMemory.
func (a *Account) Alloc() (uint64, error) { return a.AllocOn(AnyNode) }

// allocAny is Alloc: a page given back, else one of a chunk with room.
func (a *Account) allocAny() (uint64, error) {
	a.want = 0
	if pa, ok := a.takeFree(-1); ok {
		return a.handOut(pa), nil
	}
	if pa, ok := a.takeChunk(-1); ok {
		return a.handOut(pa), nil
	}
	switch {
	case a.Exhausted() && a.Pool:
		if pa := poolPage(); pa != 0 {
			return pa, nil // zeroed by the pool
		}
		return 0, ErrNoMemory
	case a.Exhausted():
		return 0, ErrNoMemory
	}
	return 0, ErrNeedMemory
}

// handOut zeroes the account's page pa and counts it handed out.
func (a *Account) handOut(pa uint64) uint64 {
	zeroPage(pa)
	accountPages.Add(1)
	return pa
}

// Owns reports whether pa lies in one of the account's chunks.
func (a *Account) Owns(pa uint64) bool {
	_, ok := a.ChunkOf(pa)
	return ok
}

// GiveBack takes back a page the process no longer maps.
func (a *Account) GiveBack(pa uint64) {
	if c, ok := a.ChunkOf(pa); ok {
		a.putFree(c.node, pa)
		accountPages.Add(-1)
		return
	}
	poolFree(pa) // the monitor's page from the pool
}

// DropAtExit is giveBack for a space being released: chunk pages are only
// counted (the chunks go as a whole), pool pages go back to the pool.
func (a *Account) DropAtExit(pa uint64) {
	if a.Owns(pa) {
		accountPages.Add(-1)
		return
	}
	poolFree(pa)
}

// NextSize is the size of the account's next chunk.
func (a *Account) NextSize() uint64 {
	if len(a.chunks) == 0 {
		return firstChunk
	}
	return min(maxChunk, 2*a.chunks[len(a.chunks)-1].size)
}

// Add records a chunk ReserveChunk made, or, if it made none, that the
// core's RAM capabilities are full.
func (a *Account) Add(c Chunk, ok bool) {
	if !ok {
		a.fullAt = ramChanged.Load() + 1
		return
	}
	a.fullAt = 0
	a.chunks = append(a.chunks, c)
}

// ReserveChunk retypes a RAM capability of up to size bytes from the
// first free part of the core's RAM capability, smaller if none is that
// big. The caller holds no process lock.
func ReserveChunk(size uint64) (Chunk, bool) {
	capcore.Lock()
	defer capcore.Unlock()
	return ReserveChunkLocked(capcore.DB(), size)
}

// ReserveChunkLocked is ReserveChunk with the capability lock held; db is
// capcore.DB().
func ReserveChunkLocked(db *cap.DB, size uint64) (Chunk, bool) {
	return RetypeRAM(db, size, minChunk)
}

// ChunkOf returns the chunk that holds pa.
func (a *Account) ChunkOf(pa uint64) (Chunk, bool) {
	for _, c := range a.chunks {
		if pa >= c.base && pa < c.base+c.size {
			return c, true
		}
	}
	return Chunk{}, false
}

// HasFree reports whether Alloc would find a page without growing.
func (a *Account) HasFree() bool { return a.HasFreeOn(-1) }

// Release deletes the account's chunks and what was retyped from them
// (the VNode capabilities of the page tables): the process has gone and
// its space was released. The core's RAM capabilities that nothing uses
// any more then go back where they came from (giveBackRAM).
func (a *Account) Release() {
	capcore.Lock()
	for _, c := range a.chunks {
		if capcore.DB() != nil {
			capcore.DB().Revoke(c.id)
			capcore.DB().Delete(c.id)
		}
	}
	var back []ramReturn
	if len(a.chunks) > 0 && capcore.DB() != nil {
		ramChanged.Add(1) // room for accounts that found none
		back = giveBackRAM()
	}
	a.chunks, a.free = nil, nil
	capcore.Unlock()
	returnRAM(back) // no lock held: the send may wait for the monitor
}
