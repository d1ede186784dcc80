package memory

import (
	"multikernel/cap"
	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/ring0"
)

// ramRoots are the core's RAM capabilities: the one it started with and
// those the memory service granted it since (service.go). The CPU driver
// holds them; processes get parts. Guarded by the core's capability lock
// (capcore).
var ramRoots []ramRoot

// ramRoot is one of the core's RAM capabilities, the node whose memory
// it is, and where it came from.
type ramRoot struct {
	id   cap.ID
	node int
	from ramSource
	used bool // something was retyped from it: it may go back once nothing is
}

// Where a RAM capability of the core came from (service.go); all but
// the first go back when nothing is retyped from them any more.
type ramSource int

const (
	fromBoot    ramSource = iota // planned at boot
	fromService                  // granted by another core's memory server
	fromSelf                     // carved from the reserve this core serves
	fromPool                     // the CPU driver's pool
)

// Init makes this core's capability database (capcore.Init) with one
// RAM capability for [base, base+size) (memory set aside for
// capabilities on this core's node), owned by core.
func Init(core int, base, size uint64) error {
	capcore.Init(core)
	db := capcore.Lock()
	defer capcore.Unlock()
	ramRoots = nil
	if size == 0 {
		return nil
	}
	id, err := db.Create(cap.Cap{Type: cap.RAM, Base: base, Size: size, Rights: cap.AllRights, Owner: cap.Core(core)})
	if err != nil {
		return err
	}
	ramRoots = []ramRoot{{id: id, node: ring0.Core().Node, from: fromBoot}}
	return nil
}

// Cap returns the chunk's RAM capability.
func (c Chunk) Cap() cap.ID { return c.id }

// RetypeRAM retypes a RAM capability of size bytes from the first free
// part of one of the core's RAM capabilities, those of the core's own
// node first, halving the size down to least when none has room. The
// core's capability lock is held; db is its database.
func RetypeRAM(db *cap.DB, size, least uint64) (Chunk, bool) {
	own := ring0.Core().Node
	for ; size >= least && size >= pageSize; size /= 2 {
		if c, ok := RetypeRAMOn(db, size, own); ok {
			return c, true
		}
		if c, ok := RetypeRAMOn(db, size, -1); ok {
			return c, true
		}
	}
	return Chunk{}, false
}

// RetypeRAMOn retypes a RAM capability of size bytes from the first free
// part of one of the core's RAM capabilities of node (-1: any node).
// The core's capability lock is held.
func RetypeRAMOn(db *cap.DB, size uint64, node int) (Chunk, bool) {
	if db == nil {
		return Chunk{}, false
	}
	for i := range ramRoots {
		if r := &ramRoots[i]; node < 0 || r.node == node {
			if c, ok := retypeFree(db, r.id, size); ok {
				r.used = true
				c.node = r.node
				return c, true
			}
		}
	}
	return Chunk{}, false
}

// retypeFree retypes a RAM capability of size bytes from the first free
// size-aligned part of the RAM capability root. The core's capability
// lock is held.
func retypeFree(db *cap.DB, root cap.ID, size uint64) (Chunk, bool) {
	r, err := db.Identify(root)
	if err != nil {
		return Chunk{}, false
	}
	for off := uint64(0); off+size <= r.Size; off += size {
		ids, err := db.Retype(root, cap.RetypeArgs{Type: cap.RAM, Offset: off, ObjSize: size, Count: 1})
		if err == nil {
			return Chunk{id: ids[0], base: r.Base + off, size: size}, true
		}
	}
	return Chunk{}, false
}

// NodeRAM returns the bytes of the core's RAM capabilities by node, for
// nodes 0 to n-1.
func NodeRAM(n int) []uint64 {
	out := make([]uint64, n)
	db := capcore.Lock()
	defer capcore.Unlock()
	for _, r := range ramRoots {
		if c, err := db.Identify(r.id); err == nil && r.node < n {
			out[r.node] += c.Size
		}
	}
	return out
}
