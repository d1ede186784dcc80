package kpi

// The exit port: QEMU's isa-debug-exit device at ExitPort (I/O port,
// 4 bytes wide) ends QEMU with status (value << 1) | 1 when the
// bootstrap core writes value there. The CPU driver writes ExitSuccess
// after a poweroff in which every core came up, nothing faulted and every
// program exited 0, and ExitFailure otherwise; the tools read QEMU's
// status as the verdict.
const (
	ExitPort    = 0xf4
	ExitSuccess = 0x10
	ExitFailure = 0x11
)
