// Package vdso builds the virtual dynamic shared object the CPU driver
// maps into every program (docs/architecture.md, "The vDSO"): a
// one-page ELF64 shared object exporting __vdso_clock_gettime (version
// LINUX_2.6), which Go's runtime finds through AT_SYSINFO_EHDR and calls
// for time.Now and its own clock, and the layout of the page of clock
// data it reads. It is pure Go, host-tested; package proc maps the pages.
//
// # The clock data page
//
// Each core has one, mapped read-only at DataVA into every process of
// that core, written only by that core's CPU driver (cpudriver/ring0),
// when the page is made and again at every re-sync of the core's clock
// against the ACPI PM timer (base and mult change, epoch does not; see
// docs/architecture.md, "The clock"):
//
//	offset 0   seq   uint32  even while the fields below are stable; the
//	                         CPU driver makes it odd, writes, makes it even
//	offset 8   base  uint64  the TSC at the core's time zero
//	offset 16  mult  uint64  nanoseconds per TSC cycle, times 2^32
//	offset 24  epoch int64   CLOCK_REALTIME at time zero, in ns
//	offset 32  mode  uint32  ModeTSC: read the TSC in ring 3; anything
//	                         else: make the system call
//
// The code computes what the CPU driver's own clock does
// (cpudriver/ring0's nanotime): (tsc - base) * mult, a 128-bit product,
// shifted right by 32, plus epoch for CLOCK_REALTIME, with the same per-core base and rate, so a program
// sees the same time from the vDSO and from the system call. It reads
// seq before and after and retries if it changed or was odd. Clocks
// other than REALTIME (and REALTIME_ALARM, TAI), MONOTONIC, MONOTONIC_RAW
// and BOOTTIME go to the system call.
package vdso
