package sys

import (
	"syscall"

	"multikernel/cpudriver/kpi"
)

// sysGetcpu is Linux's getcpu (the syscall package lacks it).
const sysGetcpu = 309

// MonitorUp reports this core's monitor as up.
func MonitorUp() error {
	_, _, e := syscall.RawSyscall(kpi.SysMonitorUp, 0, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// CPU returns the core this program runs on and that core's NUMA node
// (Linux's getcpu).
func CPU() (core, node int, err error) {
	var c, n uint32
	_, _, e := syscall.RawSyscall(sysGetcpu, uintptrOf(&c), uintptrOf(&n), 0)
	if e != 0 {
		return 0, 0, e
	}
	return int(c), int(n), nil
}

// MemServe carves up to size bytes of the node's reserve this core serves
// for core (kpi.SysMemServe) and returns the piece; monitor only.
func MemServe(size uint64, core int) (base, got uint64, err error) {
	r, _, e := syscall.RawSyscall(kpi.SysMemServe, uintptr(size), uintptr(core), 0)
	if e != 0 {
		return 0, 0, e
	}
	return uint64(r) &^ 0xFFF, 1 << (r & 0xFFF), nil
}

// MemReturn takes back into the node's reserve the piece this core
// granted core (kpi.SysMemReturn); monitor only.
func MemReturn(base, size uint64, core int) error {
	_, _, e := syscall.RawSyscall(kpi.SysMemReturn, uintptr(base), uintptr(size), uintptr(core))
	if e != 0 {
		return e
	}
	return nil
}

// MemGrant answers the CPU driver's memory request token (kpi.SysMemGrant);
// monitor only.
func MemGrant(token uint32, base, size uint64, node int) error {
	_, _, e := syscall.RawSyscall6(kpi.SysMemGrant, uintptr(token), uintptr(base), uintptr(size), uintptr(node), 0, 0)
	if e != 0 {
		return e
	}
	return nil
}
