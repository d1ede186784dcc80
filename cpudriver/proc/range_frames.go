package proc

import (
	"multikernel/cap"
	"multikernel/cpudriver/addrspace"
	"multikernel/cpudriver/capsys"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/memory"
	"multikernel/cpudriver/ranges"
)

// Frames (segments) in ranges (docs/segments.md; capsys/ranges.go says
// how the capability follows the mapping). The capability lock is taken
// first, then the range calls' locks (onRange), as for every Frame
// mapping.

// RangeMapFrame is kpi.SysRangeMapFrame(addr, slot, prot).
func RangeMapFrame(t *Thread, a [6]uint64) int64 {
	addr, slot, prot := a[0], a[1], a[2]
	if prot&^uint64(addrspace.ProtMask) != 0 || addr&(addrspace.PageSize-1) != 0 {
		return -kpi.EINVAL
	}
	p := t.proc
	p.mu.Lock()
	_, cores, ok := p.liveRangeLocked(addr)
	p.mu.Unlock()
	_, private := ranges.Private(cores)
	switch {
	case !ok:
		return -kpi.EINVAL
	case cores&(1<<t.callerCore()) == 0:
		return -kpi.EPERM
	case !private && !p.atHome():
		return t.forward(kpi.SysRangeMapFrame, a)
	case private && !p.atHome():
		// The capability is the home core's: it exports the Frame,
		// and this core adopts a copy for the mapping.
		c, e := t.importFrame(slot, prot)
		if e != 0 {
			return e
		}
		return capsys.Adopt(p, c, addr, uint32(prot), t.frameMapper(addr))
	}
	return capsys.MapIntoRange(p, slot, addr, uint32(prot), t.frameMapper(addr))
}

// frameMapper maps a Frame at addr of the range there (onRange, never
// forwarded: the caller decided where the call runs), growing the
// range's account while its tables are short. It runs under the
// capability lock.
func (t *Thread) frameMapper(addr uint64) capsys.RangeMapper {
	return func(pa, size uint64, prot uint32, uncached bool) int64 {
		for {
			var err error
			var private bool
			ret := t.onRange(0, [6]uint64{}, addr, size, func(r *addrspace.Range) int64 {
				var e int64
				e, err = r.MapFrame(addr, pa, size, prot, uncached)
				private = r.Own()
				return e
			})
			if err != memory.ErrNeedMemory {
				return ret
			}
			get := t.proc.spaceAccount
			if private {
				get = t.proc.privateMemory
			}
			t.proc.growLocked(get) // a table is short: refill and map again
		}
	}
}

// importFrame asks the home core for the Frame in slot of the program's
// CSpace, checked for prot (spanCallExport).
func (t *Thread) importFrame(slot, prot uint64) (cap.Cap, int64) {
	t.block()
	rep, e := t.remoteCallMsg(spanCallExport, [6]uint64{slot, prot})
	t.unblock()
	if e != 0 {
		return cap.Cap{}, e
	}
	if r := int64(rep[1]); r != 0 {
		return cap.Cap{}, r
	}
	w := rep[4]
	return cap.Cap{Type: cap.Type(w & 0xff), Rights: cap.Rights(w >> 8 & 0xff), Owner: cap.Core(w >> 16 & 0xffff),
		Base: rep[2], Size: rep[3]}, 0
}

// exportFrame (the home core) answers importFrame: result, base, size,
// and type, rights and owner packed in one word.
func (p *Process) exportFrame(a [6]uint64) spanMsg {
	c, e := capsys.Export(p, a[0], uint32(a[1]))
	if e != 0 {
		return spanMsg{1: uint64(e)}
	}
	return spanMsg{2: c.Base, 3: c.Size, 4: uint64(c.Type) | uint64(c.Rights)<<8 | uint64(c.Owner)<<16}
}

// CapUnmap is kpi.SysCapUnmap(va): on another core than a spanning
// program's home, a Frame that core adopted for a private range of its
// own is unmapped there; every other goes home, where the program's
// capabilities are.
func CapUnmap(t *Thread, a [6]uint64) int64 {
	p := t.proc
	if !p.atHome() {
		p.mu.Lock()
		i, ok := p.rangeAtLocked(a[0])
		here := ok && p.ranges.held[i] != nil
		p.mu.Unlock()
		if !here {
			return t.forward(kpi.SysCapUnmap, a)
		}
	}
	return capsys.Invoke(p, kpi.SysCapUnmap, a)
}

// unmapRangeFrame removes the mapped Frame at [va, va+size) from the
// range of this core that holds it, and reports whether one does
// (Process.UnmapFrame). The process's lock is held.
func (p *Process) unmapRangeFrame(va, size uint64) bool {
	if !p.isRangeSlot(va) {
		return false
	}
	if i, ok := p.rangeAtLocked(va); ok {
		if r := p.ranges.held[i]; r != nil {
			r.UnmapPinned(va, va+size)
		}
	}
	return true
}
