//go:build integration

package test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// TestFPUState: two processes of three threads each, on one core beside
// its monitor, load XMM0-15, MXCSR, the x87 control word and an x87
// register with values of their own and keep them across demand-zero
// faults, sched_yield (the core switches threads and processes), the
// general system-call path and Go's preemption signals (the CPU driver
// keeps the x87 state in the FPU across a crossing and saves it only
// when another thread's is loaded, or for a signal frame or a clone).
func TestFPUState(t *testing.T) {
	fpu := app(t, "fpucheck")
	out, code := boot(t, qemuargs.Config{SMP: 1, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			fpu + " @0 3 40", fpu + " @0 3 40"}},
		3*time.Minute)
	wantExit(t, code, exitSuccess)
	mustContain(t, out, "[core 0 fpucheck] fpucheck: 3 threads x 40 rounds ok")
	if n := strings.Count(out, "[core 0 fpucheck] fpucheck: 3 threads x 40 rounds ok"); n != 2 {
		t.Errorf("%d of 2 programs kept their FPU state", n)
	}
	if t.Failed() {
		t.Log(out)
	}
}
