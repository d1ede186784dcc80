package native

import (
	"errors"

	"multikernel/cpudriver/addrspace"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/monlink"
	"multikernel/cpudriver/proc"
	"multikernel/cpudriver/ring0"
)

// The monitor's calls for its URPC mesh and its boot: channel frames are
// mapped at chanWindow + peer*kpi.ChannelSize, one pinned area each.

// Facts is the machine's facts for the SKB (Prolog text), set by package
// main on the bootstrap core before its monitor starts.
var Facts string

// OnMonitorUp is called when this core's monitor reports itself up.
var OnMonitorUp func()

// chanWindow is where a monitor's channel frames are mapped.
const chanWindow = 0x600000000000

// errExists says an address range is taken by another mapping.
var errExists = errors.New("address range in use")

func monitorUp(*proc.Thread, [6]uint64) int64 {
	if OnMonitorUp == nil {
		return -kpi.EPERM
	}
	OnMonitorUp()
	return 0
}

// channel is SysChannel(peer): it maps the channel to peer's monitor, or
// with its own core's number the CPU driver's channel to it.
func channel(t *proc.Thread, a [6]uint64) int64 {
	if a[0] == uint64(ring0.Core().Index) {
		return monitorChannel(t)
	}
	return peerChannel(t, a[0])
}

// notifyCore is SysNotify(core): a notification of this core (its bell
// and the CPU driver's doorbell) or, for the monitor, another core's IPI.
func notifyCore(_ *proc.Thread, a [6]uint64) int64 {
	switch {
	case a[0] == uint64(ring0.Core().Index):
		monlink.NotifyLocal()
	case monlink.Mach == nil || a[0] >= kpi.MaxCores || !monlink.Mach.Notify(int(a[0])):
		return -kpi.EINVAL
	}
	return 0
}

func cores(*proc.Thread, [6]uint64) int64 {
	if monlink.Mach == nil {
		return 1 // this core alone
	}
	return int64(monlink.Mach.CoresUp())
}

func coreInfo(_ *proc.Thread, a [6]uint64) int64 {
	if monlink.Mach == nil || a[0] >= kpi.MaxCores {
		return -kpi.EINVAL
	}
	apic, node, found := monlink.Mach.CoreInfo(int(a[0]))
	if !found {
		return -kpi.EINVAL
	}
	return int64(apic) | int64(node)<<32
}

func bootDone(*proc.Thread, [6]uint64) int64 {
	if monlink.Mach != nil {
		monlink.Mach.BootDone()
	}
	return 0
}

// facts is SysFacts(buf, n): the first n bytes of Facts go to buf; it
// returns their whole length.
func facts(t *proc.Thread, a [6]uint64) int64 {
	if Facts == "" {
		return -kpi.ENOENT
	}
	n := min(uint64(len(Facts)), a[1])
	if n > 0 && t.CopyOut(a[0], []byte(Facts[:n])) != nil {
		return -kpi.EFAULT
	}
	return int64(len(Facts))
}

// monitorChannel maps the CPU driver's channel to the monitor (monlink)
// in the monitor's slot for its own core and returns its address.
func monitorChannel(t *proc.Thread) int64 {
	pa := monlink.Frame()
	if pa == 0 {
		return -kpi.ENOENT
	}
	return mapChannel(t, uint64(ring0.Core().Index), pa)
}

// peerChannel maps the channel frame shared with peer's monitor and
// returns its address.
func peerChannel(t *proc.Thread, peer uint64) int64 {
	if monlink.Mach == nil || peer >= kpi.MaxCores {
		return -kpi.EINVAL
	}
	pa, size, ok := monlink.Mach.Channel(int(peer))
	if !ok || size != kpi.ChannelSize {
		return -kpi.EINVAL
	}
	return mapChannel(t, peer, pa)
}

// mapChannel maps the channel frame pa in the window's slot for core peer
// and returns its address; mapping the same frame again returns the same
// address.
func mapChannel(t *proc.Thread, peer, pa uint64) int64 {
	va := chanWindow + peer*kpi.ChannelSize
	p := t.Proc()
	errMapped := errors.New("mapped")
	err := p.WithSpace(func(s *addrspace.Space) error {
		if got, found := s.PinnedAt(va); found {
			if got == pa {
				return errMapped
			}
			return errExists
		}
		return s.MapPinned(va, pa, kpi.ChannelSize)
	})
	switch err {
	case nil, errMapped:
		return int64(va)
	case errExists:
		return -kpi.EEXIST
	}
	p.Logf("channel to core %d: %v", peer, err)
	return -kpi.ENOMEM
}
