package proc

import (
	"errors"
	"time"

	"multikernel/cap/dist"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/pagetable"
	"multikernel/cpudriver/ring0"
)

// Native calls (libos/sys): the monitor's URPC mesh. Channel frames are
// mapped at chanWindow + peer*kpi.ChannelSize, one pinned area each.

// Facts is the machine's facts for the SKB (Prolog text), set by package
// main on the bootstrap core before its monitor starts.
var Facts string

// chanWindow is where a monitor's channel frames are mapped.
const chanWindow = 0x600000000000

// errExists says an address range is taken by another mapping.
var errExists = errors.New("address range in use")

// maxPeers bounds the peer numbers the native calls accept.
const maxPeers = 64

// Native calls dispatch through nativeCalls, one entry per number of
// kpi (from kpi.NativeBase to kpi.NativeEnd), each carrying who may make
// it: its authorization is checked first, then the call runs. A number
// without an entry is ENOSYS; TestNativeTable checks that every number
// has one, so no call falls into a default case.

// authorization decides whether t may make a native call with arguments
// a: 0, or the errno to answer.
type authorization func(t *Thread, a [6]uint64) int64

// anyone lets every program make the call: its authority is the
// capability it names, checked by the call, or none is needed.
func anyone(*Thread, [6]uint64) int64 { return 0 }

// monitorOnly requires the Kernel capability, which only the monitor
// holds.
func monitorOnly(t *Thread, _ [6]uint64) int64 {
	if !holdsKernel(t.proc) {
		return -kpi.EPERM
	}
	return 0
}

// notifyAuth lets anyone notify its own core and only the monitor
// another.
func notifyAuth(t *Thread, a [6]uint64) int64 {
	if a[0] == uint64(ring0.Core().Index) {
		return 0
	}
	return monitorOnly(t, a)
}

// nativeCall is one entry of the table.
type nativeCall struct {
	name string
	auth authorization
	run  func(t *Thread, a [6]uint64) int64
}

// nativeCalls is the table, indexed by number - kpi.NativeBase.
var nativeCalls = [kpi.NativeEnd - kpi.NativeBase]nativeCall{
	kpi.SysMonitorUp - kpi.NativeBase:   {"monitor_up", monitorOnly, (*Thread).sysMonitorUp},
	kpi.SysChannel - kpi.NativeBase:     {"channel", monitorOnly, (*Thread).sysChannel},
	kpi.SysNotify - kpi.NativeBase:      {"notify", notifyAuth, (*Thread).sysNotify},
	kpi.SysWait - kpi.NativeBase:        {"wait", anyone, func(t *Thread, a [6]uint64) int64 { return t.notifyWait(a[0], time.Duration(int64(a[1]))) }},
	kpi.SysCores - kpi.NativeBase:       {"cores", anyone, sysCores},
	kpi.SysCoreInfo - kpi.NativeBase:    {"core_info", anyone, sysCoreInfo},
	kpi.SysBootDone - kpi.NativeBase:    {"boot_done", monitorOnly, sysBootDone},
	kpi.SysConnect - kpi.NativeBase:     {"connect", anyone, func(t *Thread, _ [6]uint64) int64 { return t.connect() }},
	kpi.SysClient - kpi.NativeBase:      {"client", monitorOnly, func(t *Thread, a [6]uint64) int64 { return t.mapClient(a[0]) }},
	kpi.SysClientClose - kpi.NativeBase: {"client_close", monitorOnly, func(t *Thread, a [6]uint64) int64 { return t.closeClient(a[0]) }},
	kpi.SysFacts - kpi.NativeBase:       {"facts", monitorOnly, (*Thread).sysFacts},

	kpi.SysCapIdentify - kpi.NativeBase: {"cap_identify", anyone, capInvocation(kpi.SysCapIdentify)},
	kpi.SysCapRetype - kpi.NativeBase:   {"cap_retype", anyone, capInvocation(kpi.SysCapRetype)},
	kpi.SysCapCopy - kpi.NativeBase:     {"cap_copy", anyone, capInvocation(kpi.SysCapCopy)},
	kpi.SysCapMint - kpi.NativeBase:     {"cap_mint", anyone, capInvocation(kpi.SysCapMint)},
	kpi.SysCapDelete - kpi.NativeBase:   {"cap_delete", anyone, capInvocation(kpi.SysCapDelete)},
	kpi.SysCapRevoke - kpi.NativeBase:   {"cap_revoke", anyone, capInvocation(kpi.SysCapRevoke)},
	kpi.SysCapMap - kpi.NativeBase:      {"cap_map", anyone, capInvocation(kpi.SysCapMap)},
	kpi.SysCapUnmap - kpi.NativeBase:    {"cap_unmap", anyone, capInvocation(kpi.SysCapUnmap)},
	kpi.SysCapSend - kpi.NativeBase:     {"cap_send", anyone, func(t *Thread, a [6]uint64) int64 { return t.capSend(a[0], a[1], a[2]) }},
	kpi.SysCapReceive - kpi.NativeBase:  {"cap_receive", anyone, func(t *Thread, a [6]uint64) int64 { return t.capReceive(a[0], time.Duration(int64(a[1]))) }},
	kpi.SysCapImport - kpi.NativeBase:   {"cap_import", monitorOnly, func(_ *Thread, a [6]uint64) int64 { return capImport(a) }},
	kpi.SysCapHas - kpi.NativeBase:      {"cap_has", monitorOnly, func(_ *Thread, a [6]uint64) int64 { return capHas(a) }},
	kpi.SysCapApply - kpi.NativeBase:    {"cap_apply", monitorOnly, (*Thread).capApply},
	kpi.SysCapOpDone - kpi.NativeBase:   {"cap_op_done", monitorOnly, func(_ *Thread, a [6]uint64) int64 { return capOpDone(a[0], int64(a[1])) }},
	kpi.SysCapIO - kpi.NativeBase:       {"cap_io", anyone, func(t *Thread, a [6]uint64) int64 { return t.capIO(a[0], a[1], a[2], a[3]) }},
	kpi.SysCapIRQ - kpi.NativeBase:      {"cap_irq", anyone, func(t *Thread, a [6]uint64) int64 { return t.capIRQ(a[0], a[1], time.Duration(int64(a[2]))) }},
	kpi.SysCapVNodes - kpi.NativeBase:   {"cap_vnodes", anyone, func(t *Thread, a [6]uint64) int64 { return t.capVNodes(a[0]) }},

	kpi.SysMemAlloc - kpi.NativeBase:  {"mem_alloc", anyone, func(t *Thread, a [6]uint64) int64 { return t.memAlloc(a[0], a[1], a[2]) }},
	kpi.SysMemServe - kpi.NativeBase:  {"mem_serve", monitorOnly, func(_ *Thread, a [6]uint64) int64 { return memServe(a[0], a[1]) }},
	kpi.SysMemGrant - kpi.NativeBase:  {"mem_grant", monitorOnly, func(_ *Thread, a [6]uint64) int64 { return memGrant(uint32(a[0]), a[1], a[2], a[3]) }},
	kpi.SysMemInfo - kpi.NativeBase:   {"mem_info", anyone, func(t *Thread, a [6]uint64) int64 { return t.memInfo(a[0], a[1], a[2]) }},
	kpi.SysMemReturn - kpi.NativeBase: {"mem_return", monitorOnly, func(_ *Thread, a [6]uint64) int64 { return memReturn(a[0], a[1], a[2]) }},
}

// native handles a native call: its entry's authorization, then the call.
// ok is false for a number that is not a native call.
func (t *Thread) native(c call) (ret int64, ok bool) {
	if c.nr < kpi.NativeBase || c.nr >= kpi.NativeEnd {
		return 0, false
	}
	e := &nativeCalls[c.nr-kpi.NativeBase]
	if e.run == nil {
		return 0, false
	}
	if r := e.auth(t, c.args); r != 0 {
		return r, true
	}
	return e.run(t, c.args), true
}

// capInvocation returns the call of capability invocation nr; one the cap
// package refuses because copies live on other cores goes to the
// monitors' two-phase protocol.
func capInvocation(nr uint64) func(*Thread, [6]uint64) int64 {
	return func(t *Thread, a [6]uint64) int64 { return t.capInvoke(nr, a) }
}

// capInvoke runs capability invocation nr.
func (t *Thread) capInvoke(nr uint64, a [6]uint64) int64 {
	r := t.capCall(call{nr, a})
	if r != errNeedsMonitor {
		return r
	}
	kind := dist.Revoke
	switch nr {
	case kpi.SysCapDelete:
		kind = dist.Delete
	case kpi.SysCapRetype:
		kind = dist.Retype
	}
	return t.capDistributed(kind, a) // copies on other cores: the monitors' work
}

func (t *Thread) sysMonitorUp([6]uint64) int64 {
	if OnMonitorUp == nil {
		return -kpi.EPERM
	}
	OnMonitorUp()
	return 0
}

func (t *Thread) sysChannel(a [6]uint64) int64 {
	if a[0] == uint64(ring0.Core().Index) {
		return t.monitorChannel()
	}
	return t.channel(a[0])
}

func (t *Thread) sysNotify(a [6]uint64) int64 {
	switch {
	case a[0] == uint64(ring0.Core().Index):
		localNotify()
	case Mach == nil || a[0] >= maxPeers || !Mach.Notify(int(a[0])):
		return -kpi.EINVAL
	}
	return 0
}

func sysCores(*Thread, [6]uint64) int64 {
	if Mach == nil {
		return 1 // this core alone
	}
	return int64(Mach.CoresUp())
}

func sysCoreInfo(_ *Thread, a [6]uint64) int64 {
	if Mach == nil || a[0] >= maxPeers {
		return -kpi.EINVAL
	}
	apic, node, found := Mach.CoreInfo(int(a[0]))
	if !found {
		return -kpi.EINVAL
	}
	return int64(apic) | int64(node)<<32
}

func sysBootDone(*Thread, [6]uint64) int64 {
	if Mach != nil {
		Mach.BootDone()
	}
	return 0
}

func (t *Thread) sysFacts(a [6]uint64) int64 {
	if Facts == "" {
		return -kpi.ENOENT
	}
	n := min(uint64(len(Facts)), a[1])
	if n > 0 && t.copyOut(a[0], []byte(Facts[:n])) != nil {
		return -kpi.EFAULT
	}
	return int64(len(Facts))
}

// monitorChannel maps the CPU driver's channel to the monitor (monlink.go)
// in the monitor's slot for its own core and returns its address.
func (t *Thread) monitorChannel() int64 {
	monLink.mu.Lock()
	pa := monLink.pa
	monLink.mu.Unlock()
	if pa == 0 {
		return -kpi.ENOENT
	}
	return t.mapChannel(uint64(ring0.Core().Index), pa)
}

// channel maps the channel frame shared with peer's monitor and returns
// its address.
func (t *Thread) channel(peer uint64) int64 {
	if Mach == nil || peer >= maxPeers {
		return -kpi.EINVAL
	}
	pa, size, ok := Mach.Channel(int(peer))
	if !ok || size != kpi.ChannelSize {
		return -kpi.EINVAL
	}
	return t.mapChannel(peer, pa)
}

// mapChannel maps the channel frame pa in the window's slot for core peer
// and returns its address; mapping the same frame again returns the same
// address.
func (t *Thread) mapChannel(peer, pa uint64) int64 {
	va := chanWindow + peer*kpi.ChannelSize
	p := t.proc
	errMapped := errors.New("mapped")
	err := p.withSpace(func(s *space) error {
		if a, found := s.areas.Find(va); found && a.Start == va {
			if s.pte(va)&pagetable.AddrMask == pa {
				return errMapped
			}
			return errExists
		}
		return s.mapPinned(va, pa, kpi.ChannelSize)
	})
	switch err {
	case nil, errMapped:
		return int64(va)
	case errExists:
		return -kpi.EEXIST
	}
	p.logf("channel to core %d: %v", peer, err)
	return -kpi.ENOMEM
}
