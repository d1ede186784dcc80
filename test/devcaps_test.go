//go:build integration

package test

import (
	"path/filepath"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// TestDeviceCapabilities runs apps/devcaps on the bootstrap core with the
// ports of the CMOS clock and of PCI configuration space, the RTC's
// interrupt line and the device memory: it reads the clock, takes 20
// periodic interrupts, reads the display's id through a DevFrame, drives
// QEMU's edu device's level-triggered PCI interrupt through the PCI
// lines it holds, and checks the refusals and that its device memory is
// its own (a revoke of it reaches only what it made of it). Programs
// asking for ports or device memory the first holds, and one asking on
// a core without device capabilities, are not started, with the reason.
func TestDeviceCapabilities(t *testing.T) {
	dev := app(t, "devcaps")
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff", Extra: []string{"-device", "edu"},
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			dev + " @0 caps=io:0x70-0x71,io:0xcf8-0xcff,irq:8,devmem,irq:16,irq:17,irq:18,irq:19,irq:20,irq:21,irq:22,irq:23",
			dev + " @0 caps=io:0x71",
			dev + " @0 caps=devmem",
			dev + " @1 caps=io:0x60"}},
		3*time.Minute)
	for _, name := range []string{"read the CMOS clock", "a port outside the capability",
		"a read running past the capability", "a width of 3", "a port number that wraps around", "a write through a read-only copy",
		"an interrupt through an IO capability", "ports retyped only once", "take 20 RTC interrupts",
		"an interrupt while computing",
		"read the Bochs display id through a DevFrame", "device memory without the execute right",
		"a revoke of granted device memory takes only what the program made of it",
		"device memory retyped again after the revoke",
		"read the edu device's id", "a level-triggered line fires once while asserted",
		"five raises, five interrupts, none after the acknowledgement"} {
		mustContain(t, out, "[core 0 devcaps] devcaps: "+name+": ok")
	}
	mustContain(t, out, "[core 0 devcaps] devcaps: all checks passed", "[core 0 devcaps] exited status 0",
		`cpudriver: core 0: program "`+dev+`" not started: grant io:0x71: held by another program`,
		`cpudriver: core 0: program "`+dev+`" not started: grant devmem: held by another program`,
		`cpudriver: core 1: program "`+dev+`" not started: grant io:0x60: this core holds no I/O ports`)
	wantExit(t, code, exitFailure) // two programs were not started
}
