package proc

import (
	"reflect"
	"testing"

	"multikernel/cpudriver/kpi"
)

// TestNativeTable: every native call number has an entry with a name,
// an authorization and a call, and the calls that need the monitor's
// Kernel capability are exactly the documented ones, refused with EPERM
// for a program that lacks it before anything runs.
func TestNativeTable(t *testing.T) {
	names := map[string]bool{}
	for i, e := range nativeCalls {
		nr := kpi.NativeBase + uint64(i)
		if e.name == "" || e.auth == nil || e.run == nil {
			t.Errorf("native call %#x has no complete entry: %+v", nr, e)
			continue
		}
		if names[e.name] {
			t.Errorf("two entries named %s", e.name)
		}
		names[e.name] = true
	}
	monitor := []uint64{kpi.SysMonitorUp, kpi.SysChannel, kpi.SysBootDone, kpi.SysClient, kpi.SysClientClose,
		kpi.SysFacts, kpi.SysCapImport, kpi.SysCapHas, kpi.SysCapApply, kpi.SysCapOpDone, kpi.SysMemServe,
		kpi.SysMemGrant, kpi.SysMemReturn}
	want := map[uint64]bool{}
	for _, nr := range monitor {
		want[nr] = true
	}
	if err := InitCapabilities(0, 0x1000000, 0x100000); err != nil {
		t.Fatal(err)
	}
	th := &Thread{proc: &Process{}} // holds no capability
	monitorAuth := reflect.ValueOf(monitorOnly).Pointer()
	for i, e := range nativeCalls {
		nr := kpi.NativeBase + uint64(i)
		isMonitor := reflect.ValueOf(e.auth).Pointer() == monitorAuth
		if isMonitor != want[nr] {
			t.Errorf("%s: monitor only %v, want %v", e.name, isMonitor, want[nr])
		}
		if isMonitor {
			if r, ok := th.native(call{nr: nr}); !ok || r != -kpi.EPERM {
				t.Errorf("%s without the Kernel capability: %d, %v; want EPERM", e.name, r, ok)
			}
		}
	}
	for _, nr := range []uint64{kpi.NativeBase - 1, kpi.NativeEnd, kpi.NativeEnd + 100} {
		if _, ok := th.native(call{nr: nr}); ok {
			t.Errorf("number %#x handled as a native call", nr)
		}
	}
}
