// Package kpi is the kernel-user interface of the multikernel's CPU
// driver, its one source of truth: the native system call numbers and
// their argument values (native.go), where a program finds the
// capabilities it starts with (slots.go), the error numbers the CPU
// driver answers with (errno.go, Linux's), and the exit-port protocol by
// which the bootstrap core reports the system's verdict to QEMU
// (exit.go). The CPU driver decodes these values; libos, the monitor and
// the tools use them. It holds constants only, so every side imports it:
// ring 0, ring 3 and the host.
//
// Linux's own system call numbers, which the Go personality answers, are
// Linux's ABI and live in cpudriver/linuxabi.
package kpi
