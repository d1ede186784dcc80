package memory

import (
	"math/bits"
	"multikernel/cpudriver/trace"
	"sync/atomic"
	"time"

	"multikernel/cap"
	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/klog"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/monlink"
	"multikernel/cpudriver/ring0"
	"multikernel/urpc/if/kernmon"
)

// The memory service (docs/capabilities.md, "The memory service"). At
// boot each core's RAM capability is a modest part of its node's memory;
// the rest of the node, beyond what the CPU drivers keep, is the node's
// reserve, a few RAM capabilities held by the CPU driver of the node's
// first core, its memory server. A core that runs out asks its monitor
// (kernmon mem_request); the monitor asks the memory servers of the nodes
// in the SKB's order, its own node first (intermon mem_alloc); a server's
// monitor has its CPU driver carve a piece of the reserve (SysMemServe)
// and answers with it (mem_grant); the asking monitor hands it to its CPU
// driver (SysMemGrant), where it becomes one more RAM capability of that
// core, which it uses as its own (those of its own node first): the
// piece moved, it was not copied. The server keeps the piece as a descendant of its reserve,
// marked as living on another core, so it is never granted twice.
// Granted memory stays with its core.
//
// A program may also ask for RAM of a given node (SysMemAlloc): it is
// retyped from its core's RAM capabilities of that node, which the
// service tops up.

// memGrantUnit is what a core asks for when its RAM capabilities are
// full: the largest chunk a process's account takes.
const memGrantUnit = maxChunk

// AnyNode asks the service for memory of the nearest node that has some.
const AnyNode = 255

// reserveRoots is the node's reserve, if this core is its node's memory
// server; servedHere are the pieces it served to its own core, by base,
// until Grant adopts them; grantedTo those it granted other cores, by
// base, until they come back. Guarded by the capability lock.
var (
	reserveRoots []cap.ID
	servedHere   = map[uint64]cap.ID{}
	grantedTo    = map[uint64]served{}
)

// served is a piece of the reserve another core holds.
type served struct {
	id   cap.ID
	size uint64
	core uint64
}

// ramGrants counts the grants this core received; ramRefused is
// ramChanged+1 when the service last had nothing for this core, so that
// it is not asked again until something changes.
var ramGrants, ramRefused atomic.Uint64

// InitReserve makes the RAM capabilities of the node's reserve this core
// serves: pieces of [base, base+size).
func InitReserve(pieces [][2]uint64) error {
	capcore.Lock()
	defer capcore.Unlock()
	for _, r := range pieces {
		if r[1] == 0 {
			continue
		}
		id, err := capcore.DB().Create(cap.Cap{Type: cap.RAM, Base: r[0], Size: r[1], Rights: cap.AllRights})
		if err != nil {
			return err
		}
		reserveRoots = append(reserveRoots, id)
	}
	return nil
}

// Serve is SysMemServe(size, core): the monitor of the node's memory
// server carves up to size bytes (halving down to 1 MiB when no run that
// big is free) of the reserve for core. It returns the base with log2 of
// the size granted in the low bits (bases are page aligned, sizes powers
// of two), or -ENOMEM.
func Serve(size, core uint64) int64 {
	if size < 1<<20 || size > 1<<40 || core >= kpi.MaxCores {
		return -kpi.EINVAL
	}
	size = 1 << (63 - bits.LeadingZeros64(size)) // a power of two
	capcore.Lock()
	defer capcore.Unlock()
	db := capcore.DB()
	for ; size >= 1<<20; size /= 2 {
		for _, r := range reserveRoots {
			c, ok := retypeFree(db, r, size)
			if !ok {
				continue
			}
			if core == uint64(ring0.Core().Index) {
				servedHere[c.base] = c.id // Grant adopts it
			} else {
				// The piece now lives on core: what stays here only marks
				// it taken, and the cap package refuses to delete it
				// without the monitors, until it comes back (Return).
				db.SetRemote(c.id, cap.RemoteCopies)
				grantedTo[c.base] = served{c.id, c.size, core}
			}
			return int64(c.base) | int64(bits.TrailingZeros64(size))
		}
	}
	return -kpi.ENOMEM
}

// memRequests are the requests to the service this core waits for.
var memRequests monlink.WaitTable[*memWait]

// memWait is one waiting request: where the new capability goes.
type memWait struct {
	done chan cap.ID
}

// Request asks the memory service for size bytes of node (AnyNode:
// the nearest that has some) and waits up to 10 s, or until stop closes,
// for the answer. It returns the new RAM capability, which has joined
// the core's RAM capabilities, or 0 if none came.
func Request(size uint64, node uint8, stop <-chan struct{}) cap.ID {
	w := &memWait{done: make(chan cap.ID, 1)}
	token := memRequests.Add(w)
	defer memRequests.Remove(token)
	trace.Add(trace.MemRequest, uint16(node), uint32(size>>10))
	if !monlink.Tell(func(b *kernmon.Binding) error { return b.SendMemRequest(token, size, node) }) {
		return 0
	}
	tm := time.NewTimer(10 * time.Second)
	defer tm.Stop()
	select {
	case id := <-w.done:
		return id
	case <-tm.C:
	case <-stop:
	}
	return 0
}

// Grant is SysMemGrant(token, base, size, node): the monitor brings
// the service's answer to request token, memory of node; size 0 says
// none. The memory joins this core's RAM capabilities, even if the
// request is no longer waiting, so it is not lost.
func Grant(token uint32, base, size, node uint64) int64 {
	w, _ := memRequests.Get(token)
	trace.Add(trace.MemGrant, uint16(node), uint32(size>>10))
	if size == 0 {
		if w != nil {
			w.done <- 0
		}
		return 0
	}
	if base%pageSize != 0 || size%pageSize != 0 || base+size < base || node >= AnyNode {
		return -kpi.EINVAL
	}
	capcore.Lock()
	id, err := servedHere[base], error(nil)
	if id != 0 {
		delete(servedHere, base) // this core served itself: the piece is here already
		addRAMRoot(id, int(node), fromSelf)
	} else {
		id, err = newRAMRoot(base, size, int(node), fromService)
	}
	if err == nil {
		ramGrants.Add(1)
	}
	capcore.Unlock()
	if err != nil {
		return capcore.Errno(err)
	}
	if w != nil {
		w.done <- id
	}
	return 0
}

// More gets the core's RAM capabilities more memory for a program:
// from the memory service unless the service last had none and nothing
// changed since; else poolUnit of what the CPU driver's pool can spare
// (poolToRAM): a little at a time, so that what programs do not touch
// stays the CPU driver's. It reports whether some came. The monitor does
// not call it (it is the service, and takes pool pages directly).
func More(stop <-chan struct{}) bool {
	g := ramChanged.Load()
	if ramRefused.Load() != g+1 {
		if Request(memGrantUnit, AnyNode, stop) != 0 {
			return true
		}
		ramRefused.Store(g + 1)
	}
	return poolToRAM(poolUnit)
}

// poolUnit is how much of its pool the CPU driver turns into RAM for
// programs at a time.
const poolUnit = 256 << 10

// poolSpare is what the CPU driver keeps free in its pool, for its own
// runtime, when it gives memory to programs. Its runtime may grow its heap
// to twice what is live before it collects (GOGC=100; about 1.6 MiB live
// on a busy core), and ending a program that ran out of memory allocates
// too (its report, its teardown): with 512 KiB a core's pool fell to 664
// KiB free in TestOutOfMemory, and once to nothing, an oops in the
// runtime's stack growth. 4 MiB leaves that growth room twice over.
const poolSpare = 4 << 20

// poolToRAM makes up to size bytes of the never-used part of the CPU
// driver's pool, beyond poolSpare, one more RAM capability of the core:
// the last resort of a core whose node and service have nothing (a small
// machine, or a core running alone). It reports whether it made one.
func poolToRAM(size uint64) bool {
	free, _ := ring0.FreeMemory()
	if free < poolSpare+minChunk {
		return false
	}
	base, n := ring0.TakeMemory(min(size, free-poolSpare))
	if n == 0 {
		return false
	}
	// n may be less than minChunk when the never-used part is short: a
	// smaller RAM capability still serves pages and page tables.
	capcore.Lock()
	defer capcore.Unlock()
	if _, err := newRAMRoot(base, n, ring0.Core().Node, fromPool); err != nil {
		klog.Printf("cpudriver: RAM from the pool %#x+%#x: %v", base, n, err)
		return false
	}
	return true
}

// newRAMRoot makes [base, base+size) of node one more RAM capability of
// the core. the capability lock is held.
func newRAMRoot(base, size uint64, node int, from ramSource) (cap.ID, error) {
	id, err := capcore.DB().Create(cap.Cap{Type: cap.RAM, Base: base, Size: size, Rights: cap.AllRights})
	if err == nil {
		addRAMRoot(id, node, from)
	}
	return id, err
}

// addRAMRoot adds id, memory of node, to the core's RAM capabilities, and
// lets accounts that found them full try again. the capability lock is held.
func addRAMRoot(id cap.ID, node int, from ramSource) {
	ramRoots = append(ramRoots, ramRoot{id: id, node: node, from: from})
	ramChanged.Add(1)
}

// ramReturn is memory the core gives back to a node's memory server.
type ramReturn struct {
	base, size uint64
	node       int
}

// giveBackRAM gives back every RAM capability of the core, but the one
// planned at boot, from which nothing is retyped any more (and something
// was: a grant another process of the core still waits to use stays): pieces the
// core served itself go back into its reserve, pool memory into the pool,
// and what another core's server granted is deleted here and returned
// (the caller tells the monitor, without the capability lock). the capability lock is held.
func giveBackRAM() []ramReturn {
	db := capcore.DB()
	var out []ramReturn
	kept := ramRoots[:0]
	for _, r := range ramRoots {
		c, err := db.Identify(r.id)
		if err != nil || r.from == fromBoot || !r.used || len(db.Descendants(r.id)) > 0 ||
			r.from == fromPool && !ring0.GiveMemory(c.Base, c.Base+c.Size) {
			kept = append(kept, r)
			continue
		}
		db.Delete(r.id)
		if r.from == fromService {
			out = append(out, ramReturn{c.Base, c.Size, r.node})
		}
	}
	ramRoots = kept
	return out
}

// returnRAM tells the monitor what giveBackRAM gave up.
func returnRAM(rs []ramReturn) {
	for _, r := range rs {
		if !monlink.Tell(func(b *kernmon.Binding) error { return b.SendMemReturn(r.base, r.size, uint8(r.node)) }) {
			klog.Printf("cpudriver: memory %#x+%#x of node %d could not go back to its server", r.base, r.size, r.node)
		}
	}
}

// Return is SysMemReturn(base, size, core): the piece [base,
// base+size) this core's server granted core comes back into the
// reserve. A piece it did not grant that core is refused (a buggy or
// hostile peer), so no memory is ever handed out twice.
func Return(base, size, core uint64) int64 {
	capcore.Lock()
	defer capcore.Unlock()
	g, ok := grantedTo[base]
	if !ok || g.size != size || g.core != core {
		return -kpi.EINVAL
	}
	delete(grantedTo, base)
	capcore.DB().SetRemote(g.id, 0)
	if err := capcore.DB().Delete(g.id); err != nil {
		return capcore.Errno(err)
	}
	return 0
}

// AllocRAM is SysMemAlloc: it retypes size bytes of RAM of node (AnyNode:
// its own, else the nearest with room; kpi.NearNode|N: node N's, else
// the nearest with room) into a new slot of cs, through
// the MemClient capability in slot and within the process's limit q
// (quota.go). It comes from the core's RAM capabilities of that node;
// when they have no room, the service is asked for a piece twice as big
// (the program gets half, the core keeps the rest for later requests),
// waiting until stop closes at most. cs and q are the caller's; the
// caller holds no lock.
func AllocRAM(cs *capcore.CSpace, q *Quota, slot, size, node uint64, stop <-chan struct{}) int64 {
	want, near := int(node), false
	switch {
	case node == AnyNode:
		want, near = ring0.Core().Node, true
	case node&kpi.NearNode != 0 && node&^kpi.NearNode < AnyNode:
		want, near = int(node&^kpi.NearNode), true
	}
	if size == 0 || size%pageSize != 0 || size > 1<<40 || want >= AnyNode {
		return -kpi.EINVAL
	}
	for asked := false; ; asked = true {
		db := capcore.Lock()
		if _, r := cs.SlotCapLocked(slot, cap.MemClient); r != 0 {
			capcore.Unlock()
			return r
		}
		if used := q.UsedLocked(db); used+size > q.limit {
			capcore.Unlock()
			return -kpi.ENOMEM // past the process's limit
		}
		c, ok := RetypeRAMOn(db, size, want)
		if !ok && near && asked {
			c, ok = RetypeRAMOn(db, size, -1)
		}
		if ok {
			slot := cs.Put(c.id)
			if slot < 0 {
				db.Delete(c.id)
				slot = -kpi.ENOMEM
			} else {
				q.allocs = append(q.allocs, cap.Cap{Type: cap.RAM, Base: c.base, Size: c.size})
			}
			capcore.Unlock()
			return slot
		}
		capcore.Unlock()
		if asked {
			return -kpi.ENOMEM
		}
		// Near: the wanted node's server first, then the nearest with
		// some (the monitor's order for this core).
		if Request(max(2*size, 1<<20), uint8(want), stop) == 0 && (!near || Request(max(2*size, 1<<20), AnyNode, stop) == 0) {
			return -kpi.ENOMEM
		}
	}
}

// Grants returns how many grants of the service this core received.
func Grants() uint64 { return ramGrants.Load() }
