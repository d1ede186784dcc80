package proc

import (
	"time"

	"multikernel/cpudriver/pagetable"
	"multikernel/libos/sys"
)

// Native calls (libos/sys): the monitor's URPC mesh. Channel frames are
// mapped at chanWindow + peer*sys.ChannelSize, one pinned area each.

// chanWindow is where a monitor's channel frames are mapped.
const chanWindow = 0x600000000000

// maxPeers bounds the peer numbers the native calls accept.
const maxPeers = 64

// native handles a native call; ok is false for an unknown number.
func (t *Thread) native(c call) (ret int64, ok bool) {
	p := t.proc
	a := c.args
	switch c.nr {
	case sys.SysCores:
		if Mach == nil {
			return 1, true // this core alone
		}
		return int64(Mach.CoresUp()), true
	case sys.SysCoreInfo:
		if Mach == nil || a[0] >= maxPeers {
			return -eINVAL, true
		}
		apic, node, found := Mach.CoreInfo(int(a[0]))
		if !found {
			return -eINVAL, true
		}
		return int64(apic) | int64(node)<<32, true
	case sys.SysMonitorUp, sys.SysChannel, sys.SysNotify, sys.SysWait, sys.SysBootDone:
	default:
		return 0, false
	}
	if !p.Monitor {
		return -ePERM, true
	}
	switch c.nr {
	case sys.SysMonitorUp:
		if OnMonitorUp == nil {
			return -ePERM, true
		}
		OnMonitorUp()
		return 0, true
	case sys.SysChannel:
		return t.channel(a[0]), true
	case sys.SysNotify:
		if Mach == nil || a[0] >= maxPeers || !Mach.Notify(int(a[0])) {
			return -eINVAL, true
		}
		return 0, true
	case sys.SysWait:
		return t.notifyWait(a[0], time.Duration(int64(a[1]))), true
	default: // SysBootDone
		if Mach != nil {
			Mach.BootDone()
		}
		return 0, true
	}
}

// channel maps the channel frame shared with peer's monitor and returns
// its address.
func (t *Thread) channel(peer uint64) int64 {
	if Mach == nil || peer >= maxPeers {
		return -eINVAL
	}
	pa, size, ok := Mach.Channel(int(peer))
	if !ok || size != sys.ChannelSize {
		return -eINVAL
	}
	va := chanWindow + peer*sys.ChannelSize
	p := t.proc
	p.mu.Lock()
	defer p.mu.Unlock()
	if a, found := p.space.areas.Find(va); found && a.Start == va {
		if p.space.pte(va)&pagetable.AddrMask == pa {
			return int64(va) // already mapped
		}
		return -eEXIST
	}
	if err := p.space.mapPinned(va, pa, sys.ChannelSize); err != nil {
		p.logf("channel to core %d: %v", peer, err)
		return -eNOMEM
	}
	return int64(va)
}
