package proc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"multikernel/cap"
	"multikernel/cap/dist"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/ring0"
	"multikernel/cpudriver/vmas"
)

// Capability invocations (docs/capabilities.md, "Enforcement"): this
// core's capabilities live in one cap.DB; a process names those it holds
// by slot number in its CSpace, so it can reach no capability it was not
// given, and every invocation goes through the DB's rules. A Frame is
// mapped with no more access than its rights allow, and deleting or
// revoking a capability removes every mapping of what it names.
//
// Device capabilities are in devcaps.go, process memory in memacct.go.

// maxSlots bounds a CSpace.
const maxSlots = 1024

// capCore is this core's capability state. Its mutex orders every
// invocation on the core; a process's own lock (Process.mu) is taken
// inside it, never around it, and nothing that may grow a process's
// memory account (a copy to or from its memory) runs while it is held.
var capCore struct {
	mu   sync.Mutex
	db   *cap.DB
	maps []capMapping // every SysCapMap mapping on this core
}

// capMapping is one Frame mapped into a process.
type capMapping struct {
	p      *Process
	va     uint64
	size   uint64
	id     cap.ID
	target cap.Cap
}

// cspace is a process's capability slots; 0 is an empty slot. Guarded by
// capCore.mu.
type cspace struct {
	slots []cap.ID
	// borrowed holds the capabilities the process received from another
	// core (SysCapReceive) and its copies of them: they are not its own,
	// and it may not revoke them, since the revoke would reach the copy it
	// came from and every other holder's (docs/capabilities.md, "Who may
	// revoke": only capabilities the caller owns, those it made or was
	// granted at start, and what it derived or handed out from them).
	// What it retypes from one is its own.
	borrowed map[cap.ID]bool
}

// lend records that id, in one of the process's slots, is borrowed.
func (cs *cspace) lend(id cap.ID) {
	if cs.borrowed == nil {
		cs.borrowed = map[cap.ID]bool{}
	}
	cs.borrowed[id] = true
}

// InitCapabilities makes this core's capability database with one RAM
// capability for [base, base+size) (memory set aside for capabilities on
// this core's node), owned by core.
func InitCapabilities(core int, base, size uint64) error {
	capCore.mu.Lock()
	defer capCore.mu.Unlock()
	capCore.db = cap.NewDB(cap.Core(core))
	ramRoots, kernelCap, memClientCap = nil, 0, 0
	if size == 0 {
		return nil
	}
	id, err := capCore.db.Create(cap.Cap{Type: cap.RAM, Base: base, Size: size, Rights: cap.AllRights, Owner: cap.Core(core)})
	if err != nil {
		return err
	}
	ramRoots = []ramRoot{{id: id, node: ring0.Core().Node, from: fromBoot}}
	return nil
}

// ramRoots are the core's RAM capabilities: the one it started with and
// those the memory service granted it since (memserv.go). The CPU driver
// holds them; processes get parts. Guarded by capCore.mu.
//
// kernelCap is the core's Kernel capability: the authority over the CPU
// driver that the monitor's native calls need; only the monitor gets a
// copy. memClientCap is the core's memory-service client capability
// (memlimit.go): every process gets a copy.
var (
	ramRoots     []ramRoot
	kernelCap    cap.ID
	memClientCap cap.ID
)

// ramRoot is one of the core's RAM capabilities, the node whose memory
// it is, and where it came from.
type ramRoot struct {
	id   cap.ID
	node int
	from ramSource
	used bool // something was retyped from it: it may go back once nothing is
}

// Where a RAM capability of the core came from (memserv.go); all but
// the first go back when nothing is retyped from them any more.
type ramSource int

const (
	fromBoot    ramSource = iota // planned at boot
	fromService                  // granted by another core's memory server
	fromSelf                     // carved from the reserve this core serves
	fromPool                     // the CPU driver's pool
)

// makeRootCap creates the core's root capability of type ty (one of
// the types without a range), once, in *id. capCore.mu is held.
func makeRootCap(id *cap.ID, ty cap.Type, core int) {
	if *id != 0 || capCore.db == nil {
		return
	}
	if n, err := capCore.db.Create(cap.Cap{Type: ty, Rights: cap.AllRights, Owner: cap.Core(core)}); err == nil {
		*id = n
	}
}

// holdsKernel reports whether p holds a Kernel capability in its CSpace
// (the monitor's native calls check it).
func holdsKernel(p *Process) bool {
	capCore.mu.Lock()
	defer capCore.mu.Unlock()
	for _, id := range p.caps.slots {
		if id == 0 || capCore.db == nil {
			continue
		}
		if c, err := capCore.db.Identify(id); err == nil && c.Type == cap.Kernel {
			return true
		}
	}
	return false
}

// programRAM is the RAM capability a program gets at start, from the
// core's, while there is room.
const programRAM = 1 << 20

// giveInitialCaps fills a new process's CSpace. Slot 0 stays empty. Every
// process gets, in slot 1, a RAM capability of programRAM bytes retyped
// from the core's, or nothing when none is free, and in slot 2 a copy of
// the memory service's client capability, with the limit grants set
// (mem:MiB) or defaultMemLimit; the monitor gets a copy of the core's
// Kernel capability in slot 3, and a program the device capabilities
// grants name from slot 3 on (an error says which could not be given). A
// program's capabilities are deleted when it ends (capsEnded), so the
// memory goes back.
func giveInitialCaps(p *Process, grants []Grant) error {
	capCore.mu.Lock()
	defer capCore.mu.Unlock()
	p.caps.slots = make([]cap.ID, kpi.FirstGrantSlot, 8) // RAMSlot and MemSlot stay empty if none is given
	p.mem.limit = memLimitOf(grants)
	db := capCore.db
	if db == nil {
		if len(deviceGrants(grants)) > 0 {
			return fmt.Errorf("no capabilities on this core")
		}
		return nil
	}
	if c, ok := retypeRAM(db, programRAM, programRAM); ok {
		p.caps.slots[kpi.RAMSlot] = c.id
	}
	makeRootCap(&memClientCap, cap.MemClient, int(db.Core()))
	if id, err := db.Copy(memClientCap); err == nil {
		p.caps.slots[kpi.MemSlot] = id
	}
	if !p.Monitor {
		return grantDevices(p, deviceGrants(grants))
	}
	makeRootCap(&kernelCap, cap.Kernel, int(db.Core()))
	if id, err := db.Copy(kernelCap); err == nil {
		p.caps.slots = append(p.caps.slots, id)
	}
	return nil
}

// retypeRAM retypes a RAM capability of size bytes from the first free
// part of one of the core's RAM capabilities, those of the core's own
// node first, halving the size down to least when none has room.
// capCore.mu is held; db is capCore.db.
func retypeRAM(db *cap.DB, size, least uint64) (memChunk, bool) {
	own := ring0.Core().Node
	for ; size >= least && size >= pageSize; size /= 2 {
		if c, ok := retypeRAMOn(db, size, own); ok {
			return c, true
		}
		if c, ok := retypeRAMOn(db, size, -1); ok {
			return c, true
		}
	}
	return memChunk{}, false
}

// retypeRAMOn retypes a RAM capability of size bytes from the first free
// part of one of the core's RAM capabilities of node (-1: any node).
// capCore.mu is held.
func retypeRAMOn(db *cap.DB, size uint64, node int) (memChunk, bool) {
	if db == nil {
		return memChunk{}, false
	}
	for i := range ramRoots {
		if r := &ramRoots[i]; node < 0 || r.node == node {
			if c, ok := retypeFree(db, r.id, size); ok {
				r.used = true
				return c, true
			}
		}
	}
	return memChunk{}, false
}

// retypeFree retypes a RAM capability of size bytes from the first free
// size-aligned part of the RAM capability root. capCore.mu is held.
func retypeFree(db *cap.DB, root cap.ID, size uint64) (memChunk, bool) {
	r, err := db.Identify(root)
	if err != nil {
		return memChunk{}, false
	}
	for off := uint64(0); off+size <= r.Size; off += size {
		ids, err := db.Retype(root, cap.RetypeArgs{Type: cap.RAM, Offset: off, ObjSize: size, Count: 1})
		if err == nil {
			return memChunk{id: ids[0], base: r.Base + off, size: size}, true
		}
	}
	return memChunk{}, false
}

// lookupSlot returns the capability ID in slot; 0 for an empty or
// out-of-range slot (a forged reference).
func (cs *cspace) lookupSlot(slot uint64) cap.ID {
	if slot >= uint64(len(cs.slots)) {
		return 0
	}
	return cs.slots[slot]
}

// put stores id in a free slot and returns the slot; -1 if the CSpace is
// full.
func (cs *cspace) put(id cap.ID) int64 {
	for i := 1; i < len(cs.slots); i++ {
		if cs.slots[i] == 0 {
			cs.slots[i] = id
			return int64(i)
		}
	}
	if len(cs.slots) >= maxSlots {
		return -1
	}
	cs.slots = append(cs.slots, id)
	return int64(len(cs.slots) - 1)
}

// capErrno turns a cap error into the errno the caller sees.
func capErrno(err error) int64 {
	var ce *cap.Error
	if !errors.As(err, &ce) {
		return -kpi.EINVAL
	}
	switch ce.Code {
	case cap.ErrNoCap:
		return -kpi.EBADF
	case cap.ErrNoRight, cap.ErrRightsGrow:
		return -kpi.EPERM
	case cap.ErrOverlap, cap.ErrConflict, cap.ErrNeedsMonitor:
		return -kpi.EBUSY
	}
	return -kpi.EINVAL
}

// capCall runs one capability invocation.
func (t *Thread) capCall(c call) int64 {
	if c.nr == kpi.SysCapIdentify {
		return t.capIdentify(c.args[0], c.args[1])
	}
	capCore.mu.Lock()
	defer capCore.mu.Unlock()
	db := capCore.db
	if db == nil {
		return -kpi.ENOSYS
	}
	p := t.proc
	a := c.args
	if c.nr == kpi.SysCapUnmap {
		return t.capUnmap(a[0])
	}
	id := p.caps.lookupSlot(a[0])
	if id == 0 {
		return -kpi.EBADF // an empty slot, another process's slot, a made-up number
	}
	switch c.nr {
	case kpi.SysCapRetype:
		return t.capRetype(db, id, cap.RetypeArgs{Type: cap.Type(a[1]), Offset: a[2], ObjSize: a[3], Count: a[4]})
	case kpi.SysCapCopy, kpi.SysCapMint:
		var nid cap.ID
		var err error
		if c.nr == kpi.SysCapCopy {
			nid, err = db.Copy(id)
		} else {
			nid, err = db.Mint(id, cap.Rights(a[1]))
		}
		if err != nil {
			return capErrno(err)
		}
		slot := p.caps.put(nid)
		if slot < 0 {
			db.Delete(nid)
			return -kpi.ENOMEM
		}
		if p.caps.borrowed[id] {
			p.caps.lend(nid) // a copy of a borrowed capability is borrowed too
		}
		return slot
	case kpi.SysCapDelete:
		if err := db.Delete(id); err != nil {
			if errors.Is(err, cap.ErrNeedsMonitor) {
				return errNeedsMonitor
			}
			return capErrno(err)
		}
		t.unmapCaps(map[cap.ID]bool{id: true})
		p.caps.slots[a[0]] = 0
		delete(p.caps.borrowed, id)
		return 0
	case kpi.SysCapRevoke:
		if p.caps.borrowed[id] {
			return -kpi.EPERM // it would reach capabilities the caller does not own
		}
		gone := map[cap.ID]bool{}
		for _, x := range append(db.Copies(id), db.Descendants(id)...) {
			gone[x] = true
		}
		n, err := db.Revoke(id)
		if err != nil {
			if errors.Is(err, cap.ErrNeedsMonitor) {
				return errNeedsMonitor
			}
			return capErrno(err)
		}
		t.unmapCaps(gone) // the capabilities are gone: so are their mappings
		return int64(n)
	case kpi.SysCapMap:
		return t.capMap(db, id, a[1], uint32(a[2]))
	}
	return -kpi.ENOSYS
}

// capIdentify writes the capability in slot to buf. The copy to the
// program's memory runs without capCore.mu: it may fault a page in and
// grow the process's memory account, which takes that lock.
func (t *Thread) capIdentify(slot, buf uint64) int64 {
	capCore.mu.Lock()
	haveDB := capCore.db != nil
	id := t.proc.caps.lookupSlot(slot)
	var cp cap.Cap
	var err error
	if haveDB && id != 0 {
		cp, err = capCore.db.Identify(id)
	}
	capCore.mu.Unlock()
	switch {
	case !haveDB:
		return -kpi.ENOSYS
	case id == 0:
		return -kpi.EBADF
	case err != nil:
		return capErrno(err)
	}
	var b [48]byte
	binary.LittleEndian.PutUint64(b[0:], uint64(cp.Type))
	binary.LittleEndian.PutUint64(b[8:], cp.Base)
	binary.LittleEndian.PutUint64(b[16:], cp.Size)
	binary.LittleEndian.PutUint64(b[24:], uint64(cp.Rights))
	binary.LittleEndian.PutUint64(b[32:], uint64(cp.Owner))
	binary.LittleEndian.PutUint64(b[40:], uint64(cp.Remote))
	if t.copyOut(buf, b[:]) != nil {
		return -kpi.EFAULT
	}
	return 0
}

// capRetype retypes and puts the new capabilities in consecutive-as-free
// slots (placeRetyped).
func (t *Thread) capRetype(db *cap.DB, id cap.ID, args cap.RetypeArgs) int64 {
	if args.Count > 64 {
		return -kpi.EINVAL // one call makes at most 64 objects
	}
	ids, err := db.Retype(id, args)
	if errors.Is(err, cap.ErrNeedsMonitor) {
		return errNeedsMonitor // copies on other cores: the monitors decide
	}
	if err != nil {
		return capErrno(err)
	}
	return t.placeRetyped(db, ids)
}

// placeRetyped puts what a retype made into free slots and returns the
// first; new Frames are zeroed first, so no data leaks through memory that
// was someone else's. With no slot left, what is not placed is deleted.
// capCore.mu is held.
func (t *Thread) placeRetyped(db *cap.DB, ids []cap.ID) int64 {
	p := t.proc
	first := int64(-1)
	for i, nid := range ids {
		c, _ := db.Identify(nid)
		if c.Type == cap.Frame {
			clear(ring0.PhysBytes(c.Base, int(c.Size)))
		}
		slot := p.caps.put(nid)
		if slot < 0 {
			for _, x := range ids[i:] {
				db.Delete(x)
			}
			return -kpi.ENOMEM
		}
		if first < 0 {
			first = slot
		}
	}
	return first
}

// capMap maps the Frame or DevFrame id at va with prot (PROT_* bits),
// which its rights must allow; device memory is mapped uncached.
func (t *Thread) capMap(db *cap.DB, id cap.ID, va uint64, prot uint32) int64 {
	c, err := db.Identify(id)
	if err != nil {
		return capErrno(err)
	}
	if c.Type != cap.Frame && c.Type != cap.DevFrame {
		return -kpi.EINVAL
	}
	if prot&^protMask != 0 || prot&vmas.Read != 0 && !c.Rights.Has(cap.RightRead) ||
		prot&vmas.Write != 0 && !c.Rights.Has(cap.RightWrite) || prot&vmas.Exec != 0 && !c.Rights.Has(cap.RightExecute) {
		return -kpi.EPERM
	}
	if va&(pageSize-1) != 0 || va+c.Size > userLimit || va+c.Size < va || va < 1<<20 {
		return -kpi.EINVAL
	}
	p := t.proc
	for {
		p.mu.Lock()
		err = p.space.mapFrame(va, c.Base, c.Size, prot, c.Type == cap.DevFrame)
		p.mu.Unlock()
		if err != errNeedMemory {
			break
		}
		p.growLocked() // page tables wanted: capCore.mu is held
	}
	if err != nil {
		return -kpi.EEXIST
	}
	capCore.maps = append(capCore.maps, capMapping{p: p, va: va, size: c.Size, id: id, target: c})
	return 0
}

// capUnmap removes the calling process's SysCapMap mapping at va.
func (t *Thread) capUnmap(va uint64) int64 {
	for i, m := range capCore.maps {
		if m.p == t.proc && m.va == va {
			m.unmap()
			capCore.maps = append(capCore.maps[:i], capCore.maps[i+1:]...)
			return 0
		}
	}
	return -kpi.EINVAL
}

// unmapCaps removes every mapping of the capabilities in gone, in every
// process of this core.
func (t *Thread) unmapCaps(gone map[cap.ID]bool) {
	kept := capCore.maps[:0]
	for _, m := range capCore.maps {
		if gone[m.id] {
			m.unmap()
			continue
		}
		kept = append(kept, m)
	}
	capCore.maps = kept
}

// unmap takes the mapping out of its process's address space.
func (m capMapping) unmap() {
	m.p.mu.Lock()
	defer m.p.mu.Unlock()
	if m.p.space != nil && m.p.space.root != 0 {
		m.p.space.unmapPinned(m.va, m.va+m.size)
	}
}

// capsEnded releases a process's capabilities when it has gone: its
// mappings are gone with its address space, and every capability in its
// CSpace is deleted.
func capsEnded(p *Process) {
	capCore.mu.Lock()
	defer capCore.mu.Unlock()
	kept := capCore.maps[:0]
	for _, m := range capCore.maps {
		if m.p != p {
			kept = append(kept, m)
		}
	}
	capCore.maps = kept
	devicesEnded(p)
	endpointsEnded(p)
	var remote []cap.ID
	for _, id := range p.caps.slots {
		if id == 0 || capCore.db == nil {
			continue
		}
		// A last local copy of one copied to other cores stays as a
		// placeholder while its RAM lives here (docs/capabilities.md,
		// "Remote descendants"). An error is a capability a revoke
		// already took, or such a copy without an ancestor here: that
		// one the monitors delete.
		if err := capCore.db.Delete(id); errors.Is(err, cap.ErrNeedsMonitor) {
			remote = append(remote, id)
		}
	}
	p.caps.slots, p.caps.borrowed = nil, nil
	if len(remote) > 0 {
		go deleteRemotely(remote) // the process is gone: nobody waits for it
	}
}

// deleteRemotely runs the monitors' two-phase delete for each capability
// in ids, one after the other.
func deleteRemotely(ids []cap.ID) {
	for _, id := range ids {
		capCore.mu.Lock()
		c, err := capCore.db.Identify(id)
		capCore.mu.Unlock()
		if err != nil {
			continue
		}
		if r, _ := requestDistributed(dist.Delete, id, c, nil, nil); r != 0 {
			Console(fmt.Sprintf("cpudriver: deleting %v of an ended process across cores: errno %d\n", c, -r))
		}
	}
}
