package memory

import (
	"multikernel/cap"
)

// First touch (docs/spanning.md, "Memory"): a spanning program's pages
// come from the NUMA node of the core whose thread touched them first, as
// Linux's default policy gives them. The account's chunks are each of one
// node; a fault asks for a page of its node (AllocOn), and when the
// account has none it grows by a chunk of that node: from the core's RAM
// capabilities of the node, else from the memory service, which is asked
// for that node alone (MoreOn). When neither has any, the node is marked
// full for the account until the core's RAM changes, and its faults take
// any node's pages, again as Linux falls back to the nearest node with
// memory. Like the rest of the account this is guarded by the lock of the
// space that owns it.

// AllocOn returns a zeroed page of node, ErrNeedMemory (Wanted says for
// which node the account must grow), or ErrNoMemory. AnyNode, or a node
// the account found full and holds no free page of, takes a page of any
// node (Alloc).
func (a *Account) AllocOn(node int) (uint64, error) {
	if node < 0 || node >= AnyNode {
		return a.allocAny()
	}
	if pa, ok := a.takeFree(node); ok {
		return a.handOut(pa), nil
	}
	if pa, ok := a.takeChunk(node); ok {
		return a.handOut(pa), nil
	}
	if a.NodeFull(node) {
		return a.allocAny()
	}
	a.want = node + 1
	return 0, ErrNeedMemory
}

// Wanted returns the node the last AllocOn found no page of, AnyNode if
// it asked for any node's.
func (a *Account) Wanted() int {
	if a.want == 0 {
		return AnyNode
	}
	return a.want - 1
}

// NodeFull reports whether the account found no memory of node, and
// nothing changed in the core's RAM since.
func (a *Account) NodeFull(node int) bool {
	return node >= 0 && node < len(a.nodeFullAt) && a.nodeFullAt[node] == ramChanged.Load()+1
}

// MarkNodeFull records that no memory of node was to be had at RAM
// generation gen (RAMGeneration before the search began), so that its
// faults take any node's pages until the core's RAM changes.
func (a *Account) MarkNodeFull(node int, gen uint64) {
	if node < 0 || node >= AnyNode {
		return
	}
	for len(a.nodeFullAt) <= node {
		a.nodeFullAt = append(a.nodeFullAt, 0)
	}
	a.nodeFullAt[node] = gen + 1
}

// RAMGeneration returns the count of changes to the core's RAM
// capabilities that may make room (grants, ended processes).
func RAMGeneration() uint64 { return ramChanged.Load() }

// HasFreeOn reports whether AllocOn(node) would find a page without
// growing; node -1 or AnyNode: any node's.
func (a *Account) HasFreeOn(node int) bool {
	if node >= AnyNode {
		node = -1
	}
	for n, f := range a.free {
		if len(f) > 0 && (node < 0 || n == node) {
			return true
		}
	}
	for _, c := range a.chunks {
		if c.next < c.size && (node < 0 || c.node == node) {
			return true
		}
	}
	return false
}

// takeFree pops a page given back of node (-1: any node).
func (a *Account) takeFree(node int) (uint64, bool) {
	for n := range a.free {
		if f := a.free[n]; len(f) > 0 && (node < 0 || n == node) {
			pa := f[len(f)-1]
			a.free[n] = f[:len(f)-1]
			return pa, true
		}
	}
	return 0, false
}

// putFree keeps pa, a page of node, for reuse.
func (a *Account) putFree(node int, pa uint64) {
	node = max(node, 0)
	for len(a.free) <= node {
		a.free = append(a.free, nil)
	}
	a.free[node] = append(a.free[node], pa)
}

// takeChunk hands out the next page of the newest chunk of node (-1:
// any node) that has room.
func (a *Account) takeChunk(node int) (uint64, bool) {
	for i := len(a.chunks) - 1; i >= 0; i-- {
		if c := &a.chunks[i]; c.next < c.size && (node < 0 || c.node == node) {
			pa := c.base + c.next
			c.next += pageSize
			return pa, true
		}
	}
	return 0, false
}

// ReserveChunkOnLocked retypes a RAM capability of up to size bytes, at
// least minChunk, from the core's RAM capabilities of node only. The
// capability lock is held; db is capcore.DB().
func ReserveChunkOnLocked(db *cap.DB, size uint64, node int) (Chunk, bool) {
	for ; size >= minChunk; size /= 2 {
		if c, ok := RetypeRAMOn(db, size, node); ok {
			return c, true
		}
	}
	return Chunk{}, false
}

// MoreOn asks the memory service for memory of node for a program (the
// monitor does not call it) and reports whether some came; it waits for
// the answer (up to Request's limit, or until stop closes).
func MoreOn(node int, stop <-chan struct{}) bool {
	if node < 0 || node >= AnyNode {
		return More(stop)
	}
	return Request(memGrantUnit, uint8(node), stop) != 0
}
