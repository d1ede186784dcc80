package sys

import (
	"syscall"
	"time"
	"unsafe"
)

// Channel maps the frame this core's monitor shares with core peer's as
// their URPC channel and returns it (ChannelSize bytes). Monitor only.
func Channel(peer int) ([]byte, error) {
	va, _, e := syscall.RawSyscall(SysChannel, uintptr(peer), 0, 0)
	if e != 0 {
		return nil, e
	}
	return unsafe.Slice((*byte)(*(*unsafe.Pointer)(unsafe.Pointer(&va))), ChannelSize), nil
}

// Notify raises a notification on core peer. Monitor only.
func Notify(peer int) error {
	_, _, e := syscall.RawSyscall(SysNotify, uintptr(peer), 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// Wait blocks until this core's notification count differs from seen, or
// timeout passes (0: no limit; negative: do not block), and returns the
// count. Monitor only.
func Wait(seen uint64, timeout time.Duration) (uint64, error) {
	n, _, e := syscall.Syscall(SysWait, uintptr(seen), uintptr(timeout), 0)
	if e != 0 {
		return seen, e
	}
	return uint64(n), nil
}

// Cores returns the cores whose CPU driver is up, bit i for core i.
func Cores() (uint64, error) {
	m, _, e := syscall.RawSyscall(SysCores, 0, 0, 0)
	if e != 0 {
		return 0, e
	}
	return uint64(m), nil
}

// CoreInfo returns core c's local APIC id and NUMA node.
func CoreInfo(c int) (apic uint32, node int, err error) {
	v, _, e := syscall.RawSyscall(SysCoreInfo, uintptr(c), 0, 0)
	if e != 0 {
		return 0, 0, e
	}
	return uint32(v), int(v >> 32), nil
}

// BootDone tells the CPU driver that the monitor finished its boot-time
// work. Monitor only.
func BootDone() error {
	_, _, e := syscall.RawSyscall(SysBootDone, 0, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// Cycles returns the time-stamp counter (RDTSC, allowed in ring 3).
func Cycles() uint64
