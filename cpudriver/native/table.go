package native

import (
	"time"

	"multikernel/cpudriver/capsys"
	"multikernel/cpudriver/devices"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/memory"
	"multikernel/cpudriver/notify"
	"multikernel/cpudriver/proc"
	"multikernel/cpudriver/ring0"
)

// Native calls dispatch through table, one entry per number of kpi
// (from kpi.NativeBase to kpi.NativeEnd), each carrying who may make it:
// its authorization is decided first, then the call runs (decode, then
// invoke). TestNativeTable checks that every number has an entry, so no
// call falls into a default case; a number without one would be ENOSYS.

// authorization decides whether t may make a native call with arguments
// a: 0, or the errno to answer.
type authorization func(t *proc.Thread, a [6]uint64) int64

// anyone lets every program make the call: its authority is the
// capability it names, checked by the call, or none is needed.
func anyone(*proc.Thread, [6]uint64) int64 { return 0 }

// monitorOnly requires the Kernel capability, which only the monitor
// holds.
func monitorOnly(t *proc.Thread, _ [6]uint64) int64 {
	if !capsys.HoldsKernel(t.Proc()) {
		return -kpi.EPERM
	}
	return 0
}

// notifyAuth lets anyone notify its own core and only the monitor
// another.
func notifyAuth(t *proc.Thread, a [6]uint64) int64 {
	if a[0] == uint64(ring0.Core().Index) {
		return 0
	}
	return monitorOnly(t, a)
}

// entry is one native call: its name (for tests and messages), its
// authorization and its body.
type entry struct {
	name string
	auth authorization
	run  proc.Call
}

// capCall returns the body of capability invocation nr (capsys.Invoke).
func capCall(nr uint64) proc.Call {
	return func(t *proc.Thread, a [6]uint64) int64 { return capsys.Invoke(t.Proc(), nr, a) }
}

// table holds the entries, indexed by number - kpi.NativeBase.
var table = [kpi.NativeEnd - kpi.NativeBase]entry{
	kpi.SysMonitorUp - kpi.NativeBase:   {"monitor_up", monitorOnly, monitorUp},
	kpi.SysChannel - kpi.NativeBase:     {"channel", monitorOnly, channel},
	kpi.SysNotify - kpi.NativeBase:      {"notify", notifyAuth, notifyCore},
	kpi.SysWait - kpi.NativeBase:        {"wait", anyone, wait},
	kpi.SysCores - kpi.NativeBase:       {"cores", anyone, cores},
	kpi.SysCoreInfo - kpi.NativeBase:    {"core_info", anyone, coreInfo},
	kpi.SysBootDone - kpi.NativeBase:    {"boot_done", monitorOnly, bootDone},
	kpi.SysConnect - kpi.NativeBase:     {"connect", anyone, connect},
	kpi.SysClient - kpi.NativeBase:      {"client", monitorOnly, mapClient},
	kpi.SysClientClose - kpi.NativeBase: {"client_close", monitorOnly, closeClient},
	kpi.SysFacts - kpi.NativeBase:       {"facts", monitorOnly, facts},

	kpi.SysCapIdentify - kpi.NativeBase: {"cap_identify", anyone, capCall(kpi.SysCapIdentify)},
	kpi.SysCapRetype - kpi.NativeBase:   {"cap_retype", anyone, capCall(kpi.SysCapRetype)},
	kpi.SysCapCopy - kpi.NativeBase:     {"cap_copy", anyone, capCall(kpi.SysCapCopy)},
	kpi.SysCapMint - kpi.NativeBase:     {"cap_mint", anyone, capCall(kpi.SysCapMint)},
	kpi.SysCapDelete - kpi.NativeBase:   {"cap_delete", anyone, capCall(kpi.SysCapDelete)},
	kpi.SysCapRevoke - kpi.NativeBase:   {"cap_revoke", anyone, capCall(kpi.SysCapRevoke)},
	kpi.SysCapMap - kpi.NativeBase:      {"cap_map", anyone, capCall(kpi.SysCapMap)},
	kpi.SysCapUnmap - kpi.NativeBase:    {"cap_unmap", anyone, proc.CapUnmap},
	kpi.SysCapSend - kpi.NativeBase: {"cap_send", anyone, func(t *proc.Thread, a [6]uint64) int64 {
		return capsys.Send(t.Proc(), a[0], a[1], a[2])
	}},
	kpi.SysCapReceive - kpi.NativeBase: {"cap_receive", anyone, func(t *proc.Thread, a [6]uint64) int64 {
		return capsys.Receive(t.Proc(), a[0], time.Duration(int64(a[1])))
	}},
	kpi.SysCapImport - kpi.NativeBase: {"cap_import", monitorOnly, func(_ *proc.Thread, a [6]uint64) int64 { return capsys.Import(a) }},
	kpi.SysCapHas - kpi.NativeBase:    {"cap_has", monitorOnly, func(_ *proc.Thread, a [6]uint64) int64 { return capsys.Has(a) }},
	kpi.SysCapApply - kpi.NativeBase:  {"cap_apply", monitorOnly, func(_ *proc.Thread, a [6]uint64) int64 { return capsys.Apply(a) }},
	kpi.SysCapOpDone - kpi.NativeBase: {"cap_op_done", monitorOnly, func(_ *proc.Thread, a [6]uint64) int64 {
		return capsys.OpDone(a[0], int64(a[1]))
	}},
	kpi.SysCapIO - kpi.NativeBase: {"cap_io", anyone, func(t *proc.Thread, a [6]uint64) int64 {
		return devices.IO(t.Proc().CSpace(), a[0], a[1], a[2], a[3])
	}},
	kpi.SysCapIRQ - kpi.NativeBase: {"cap_irq", anyone, func(t *proc.Thread, a [6]uint64) int64 {
		return devices.IRQ(t.Proc(), a[0], a[1], time.Duration(int64(a[2])))
	}},
	kpi.SysCapVNodes - kpi.NativeBase: {"cap_vnodes", anyone, vnodes},

	kpi.SysMemAlloc - kpi.NativeBase: {"mem_alloc", anyone, func(t *proc.Thread, a [6]uint64) int64 {
		p := t.Proc()
		return memory.AllocRAM(p.CSpace(), p.Quota(), a[0], a[1], a[2], p.Dying())
	}},
	kpi.SysMemServe - kpi.NativeBase: {"mem_serve", monitorOnly, func(_ *proc.Thread, a [6]uint64) int64 { return memory.Serve(a[0], a[1]) }},
	kpi.SysMemGrant - kpi.NativeBase: {"mem_grant", monitorOnly, func(_ *proc.Thread, a [6]uint64) int64 {
		return memory.Grant(uint32(a[0]), a[1], a[2], a[3])
	}},
	kpi.SysMemInfo - kpi.NativeBase: {"mem_info", anyone, memInfo},
	kpi.SysMemReturn - kpi.NativeBase: {"mem_return", monitorOnly, func(_ *proc.Thread, a [6]uint64) int64 {
		return memory.Return(a[0], a[1], a[2])
	}},

	kpi.SysRangeNew - kpi.NativeBase:      {"range_new", anyone, proc.RangeNew},
	kpi.SysRangeMap - kpi.NativeBase:      {"range_map", anyone, proc.RangeMap},
	kpi.SysRangeUnmap - kpi.NativeBase:    {"range_unmap", anyone, proc.RangeUnmap},
	kpi.SysRangeDelete - kpi.NativeBase:   {"range_delete", anyone, proc.RangeDelete},
	kpi.SysRangeInfo - kpi.NativeBase:     {"range_info", anyone, proc.RangeInfo},
	kpi.SysRangeMapFrame - kpi.NativeBase: {"range_map_frame", anyone, proc.RangeMapFrame},
	kpi.SysSpanExtend - kpi.NativeBase:    {"span_extend", anyone, proc.SpanExtend},
	kpi.SysSpanInfo - kpi.NativeBase:      {"span_info", anyone, proc.SpanInfo},
	kpi.SysSpanDedicate - kpi.NativeBase:  {"span_dedicate", anyone, proc.SpanDedicate},
}

// call runs entry e for t: its authorization, then its body.
func (e *entry) call(t *proc.Thread, a [6]uint64) int64 {
	if r := e.auth(t, a); r != 0 {
		return r
	}
	return e.run(t, a)
}

// Install puts the native calls into proc's table, and makes the
// program channels close with their programs. Package main calls it
// once, before any program starts.
func Install() {
	for i := range table {
		if e := &table[i]; e.run != nil {
			proc.Install(kpi.NativeBase+uint64(i), e.call)
		}
	}
	proc.AtExit(clientEnded)
}

// wait is SysWait(seen, timeout): it blocks until the core's notification
// bell's count differs from seen (notify.Bell.Wait).
func wait(t *proc.Thread, a [6]uint64) int64 {
	return notify.Core.Wait(a[0], time.Duration(int64(a[1])), t.Proc().Dying())
}
