package sys

import "syscall"

// NativeBase is the first native system call number.
const NativeBase = 0x1000

// sysGetcpu is Linux's getcpu (the syscall package lacks it).
const sysGetcpu = 309

// Native system call numbers. The CPU driver's package proc decodes the
// same numbers (one source of truth: this table).
const (
	// SysMonitorUp tells the CPU driver that this core's monitor has
	// started. Only the process started as the monitor may make it.
	SysMonitorUp = NativeBase + iota
)

// MonitorUp reports this core's monitor as up.
func MonitorUp() error {
	_, _, e := syscall.RawSyscall(SysMonitorUp, 0, 0, 0)
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
