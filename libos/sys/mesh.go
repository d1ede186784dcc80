package sys

import (
	"syscall"
	"time"
	"unsafe"

	"multikernel/cpudriver/kpi"
)

// Channel maps the frame this core's monitor shares with core peer's as
// their URPC channel and returns it (kpi.ChannelSize bytes). Monitor only.
// With peer = this core it maps the channel from this core's CPU driver
// (interface kernmon) instead.
func Channel(peer int) ([]byte, error) { return mapped(kpi.SysChannel, uintptr(peer)) }

// Connect maps this program's channel to its core's monitor (interface
// monclient; the program is side A) and returns it.
func Connect() ([]byte, error) { return mapped(kpi.SysConnect, 0) }

// Client maps program channel id into the monitor (side B) and returns it.
// Monitor only.
func Client(id uint32) ([]byte, error) { return mapped(kpi.SysClient, uintptr(id)) }

// ClientClose unmaps program channel id from the monitor. Monitor only.
func ClientClose(id uint32) error {
	_, _, e := syscall.RawSyscall(kpi.SysClientClose, uintptr(id), 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// mapped makes native call nr, which returns the address of a channel
// frame, and returns the frame.
func mapped(nr, arg uintptr) ([]byte, error) {
	va, _, e := syscall.RawSyscall(nr, arg, 0, 0)
	if e != 0 {
		return nil, e
	}
	return unsafe.Slice((*byte)(*(*unsafe.Pointer)(unsafe.Pointer(&va))), kpi.ChannelSize), nil
}

// Notify raises a notification on core peer. Only the monitor may notify
// another core.
func Notify(peer int) error {
	_, _, e := syscall.RawSyscall(kpi.SysNotify, uintptr(peer), 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// Wait blocks until this core's notification count differs from seen, or
// timeout passes (0: no limit; negative: do not block), and returns the
// count.
func Wait(seen uint64, timeout time.Duration) (uint64, error) {
	n, _, e := syscall.Syscall(kpi.SysWait, uintptr(seen), uintptr(timeout), 0)
	if e != 0 {
		return seen, e
	}
	return uint64(n), nil
}

// Cores returns the cores whose CPU driver is up, bit i for core i.
func Cores() (uint64, error) {
	m, _, e := syscall.RawSyscall(kpi.SysCores, 0, 0, 0)
	if e != 0 {
		return 0, e
	}
	return uint64(m), nil
}

// CoreInfo returns core c's local APIC id and NUMA node.
func CoreInfo(c int) (apic uint32, node int, err error) {
	v, _, e := syscall.RawSyscall(kpi.SysCoreInfo, uintptr(c), 0, 0)
	if e != 0 {
		return 0, 0, e
	}
	return uint32(v), int(v >> 32), nil
}

// BootDone tells the CPU driver that the monitor finished its boot-time
// work. Monitor only.
func BootDone() error {
	_, _, e := syscall.RawSyscall(kpi.SysBootDone, 0, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// Cycles returns the time-stamp counter (RDTSC, allowed in ring 3).
func Cycles() uint64

// Facts returns the machine's facts for the SKB as Prolog text, at most
// max bytes. Core 0's monitor only.
func Facts(max int) (string, error) {
	buf := make([]byte, 64<<10)
	for {
		n, _, e := syscall.Syscall(kpi.SysFacts, uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)), 0)
		if e != 0 {
			return "", e
		}
		if int(n) <= len(buf) {
			return string(buf[:n]), nil
		}
		if int(n) > max {
			return "", syscall.EFBIG
		}
		buf = make([]byte, n)
	}
}

// CapImport puts a capability that came from another core into the
// queue of endpoint ep of this core. Monitor only.
func CapImport(ep uint32, ctype uint8, base, size uint64, rights uint8, owner uint16) error {
	_, _, e := syscall.RawSyscall6(kpi.SysCapImport, uintptr(ctype), uintptr(base), uintptr(size), uintptr(rights), uintptr(owner), uintptr(ep))
	if e != 0 {
		return e
	}
	return nil
}
