package proc

import (
	"errors"
	"time"

	"multikernel/cap/dist"
	"multikernel/cpudriver/pagetable"
	"multikernel/cpudriver/ring0"
	"multikernel/libos/sys"
)

// Native calls (libos/sys): the monitor's URPC mesh. Channel frames are
// mapped at chanWindow + peer*sys.ChannelSize, one pinned area each.

// Facts is the machine's facts for the SKB (Prolog text), set by package
// main on the bootstrap core before its monitor starts.
var Facts string

// chanWindow is where a monitor's channel frames are mapped.
const chanWindow = 0x600000000000

// errExists says an address range is taken by another mapping.
var errExists = errors.New("address range in use")

// maxPeers bounds the peer numbers the native calls accept.
const maxPeers = 64

// native handles a native call; ok is false for an unknown number.
func (t *Thread) native(c call) (ret int64, ok bool) {
	p := t.proc
	a := c.args
	self := uint64(ring0.Core().Index)
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
	case sys.SysWait:
		return t.notifyWait(a[0], time.Duration(int64(a[1]))), true
	case sys.SysConnect:
		return t.connect(), true
	case sys.SysCapIdentify, sys.SysCapRetype, sys.SysCapCopy, sys.SysCapMint, sys.SysCapDelete,
		sys.SysCapRevoke, sys.SysCapMap, sys.SysCapUnmap:
		r := t.capCall(c)
		if r == errNeedsMonitor {
			kind := dist.Revoke
			switch c.nr {
			case sys.SysCapDelete:
				kind = dist.Delete
			case sys.SysCapRetype:
				kind = dist.Retype
			}
			r = t.capDistributed(kind, a) // copies on other cores: the monitors' work
		}
		return r, true
	case sys.SysCapSend:
		return t.capSend(a[0], a[1], a[2]), true
	case sys.SysCapIO:
		return t.capIO(a[0], a[1], a[2], a[3]), true
	case sys.SysCapIRQ:
		return t.capIRQ(a[0], a[1], time.Duration(int64(a[2]))), true
	case sys.SysCapVNodes:
		return t.capVNodes(a[0]), true
	case sys.SysMemAlloc:
		return t.memAlloc(a[0], a[1], a[2]), true
	case sys.SysMemInfo:
		return t.memInfo(a[0], a[1], a[2]), true
	case sys.SysCapReceive:
		return t.capReceive(a[0], time.Duration(int64(a[1]))), true
	case sys.SysNotify:
		switch {
		case a[0] == self:
			localNotify()
			return 0, true
		case !holdsKernel(p):
			return -ePERM, true
		case Mach == nil || a[0] >= maxPeers || !Mach.Notify(int(a[0])):
			return -eINVAL, true
		}
		return 0, true
	case sys.SysMonitorUp, sys.SysChannel, sys.SysBootDone, sys.SysClient, sys.SysClientClose, sys.SysFacts,
		sys.SysCapImport, sys.SysCapHas, sys.SysCapApply, sys.SysCapOpDone, sys.SysMemServe, sys.SysMemGrant, sys.SysMemReturn:
	default:
		return 0, false
	}
	if !holdsKernel(p) {
		return -ePERM, true // the monitor's calls need the Kernel capability
	}
	switch c.nr {
	case sys.SysMonitorUp:
		if OnMonitorUp == nil {
			return -ePERM, true
		}
		OnMonitorUp()
		return 0, true
	case sys.SysChannel:
		if a[0] == self {
			return t.monitorChannel(), true
		}
		return t.channel(a[0]), true
	case sys.SysClient:
		return t.mapClient(a[0]), true
	case sys.SysClientClose:
		return t.closeClient(a[0]), true
	case sys.SysCapImport:
		return capImport(a), true
	case sys.SysCapHas:
		return capHas(a), true
	case sys.SysCapApply:
		return t.capApply(a), true
	case sys.SysCapOpDone:
		return capOpDone(a[0], int64(a[1])), true
	case sys.SysMemServe:
		return memServe(a[0], a[1]), true
	case sys.SysMemGrant:
		return memGrant(uint32(a[0]), a[1], a[2], a[3]), true
	case sys.SysMemReturn:
		return memReturn(a[0], a[1], a[2]), true
	case sys.SysFacts:
		if Facts == "" {
			return -eNOENT, true
		}
		n := min(uint64(len(Facts)), a[1])
		if n > 0 && t.copyOut(a[0], []byte(Facts[:n])) != nil {
			return -eFAULT, true
		}
		return int64(len(Facts)), true
	default: // SysBootDone
		if Mach != nil {
			Mach.BootDone()
		}
		return 0, true
	}
}

// monitorChannel maps the CPU driver's channel to the monitor (monlink.go)
// in the monitor's slot for its own core and returns its address.
func (t *Thread) monitorChannel() int64 {
	monLink.mu.Lock()
	pa := monLink.pa
	monLink.mu.Unlock()
	if pa == 0 {
		return -eNOENT
	}
	return t.mapChannel(uint64(ring0.Core().Index), pa)
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
	return t.mapChannel(peer, pa)
}

// mapChannel maps the channel frame pa in the window's slot for core peer
// and returns its address; mapping the same frame again returns the same
// address.
func (t *Thread) mapChannel(peer, pa uint64) int64 {
	va := chanWindow + peer*sys.ChannelSize
	p := t.proc
	errMapped := errors.New("mapped")
	err := p.withSpace(func(s *space) error {
		if a, found := s.areas.Find(va); found && a.Start == va {
			if s.pte(va)&pagetable.AddrMask == pa {
				return errMapped
			}
			return errExists
		}
		return s.mapPinned(va, pa, sys.ChannelSize)
	})
	switch err {
	case nil, errMapped:
		return int64(va)
	case errExists:
		return -eEXIST
	}
	p.logf("channel to core %d: %v", peer, err)
	return -eNOMEM
}
