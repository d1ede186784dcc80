package native

import (
	"reflect"
	"testing"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/memory"
	"multikernel/cpudriver/proc"
)

// TestNativeTable: every native call number has an entry with a name,
// an authorization and a call, and the calls that need the monitor's
// Kernel capability are exactly the documented ones, refused with EPERM
// for a program that lacks it before anything runs.
func TestNativeTable(t *testing.T) {
	names := map[string]bool{}
	for i, e := range table {
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
	if err := memory.Init(0, 0x1000000, 0x100000); err != nil {
		t.Fatal(err)
	}
	th := proc.NewDetached("test") // holds no capability
	monitorAuth := reflect.ValueOf(monitorOnly).Pointer()
	for i, e := range table {
		nr := kpi.NativeBase + uint64(i)
		isMonitor := reflect.ValueOf(e.auth).Pointer() == monitorAuth
		if isMonitor != want[nr] {
			t.Errorf("%s: monitor only %v, want %v", e.name, isMonitor, want[nr])
		}
		if isMonitor {
			if r := e.call(th, [6]uint64{}); r != -kpi.EPERM {
				t.Errorf("%s without the Kernel capability: %d; want EPERM", e.name, r)
			}
		}
	}
	Install()
	for i := range table {
		if proc.Installed(kpi.NativeBase+uint64(i)) == nil {
			t.Errorf("%s not installed", table[i].name)
		}
	}
}
