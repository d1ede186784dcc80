//go:build integration

package test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// TestYieldAlternates: sched_yield returns at once only when no other
// thread of the core is ready (cpudriver/proc/yield.go), so it must still
// give the core to one that is: two threads of one program (apps/yield)
// that take turns and yield after each keep alternating (at least 90% of
// the turns are taken from the other thread; one that yielded to no one
// would take turns for its whole time slice), alone on core 0 (beside
// the monitor, whose threads sleep) and as two such programs on core 1.
// (Before yields of a thread alone returned at once, 97-99.5% of turns
// were hand-overs here, with runs of up to 650 turns while the Go
// runtime preempted a thread; 2026-12-02.)
func TestYieldAlternates(t *testing.T) {
	y := app(t, "yield")
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			y + " @0", y + " @1", y + " @1"}},
		3*time.Minute)
	wantExit(t, code, exitSuccess)
	const ok = "yield: 2 threads, 20000 turns each: longest run "
	mustContain(t, out, "[core 0 yield] "+ok, "[core 0 yield] exited status 0", "[core 1 yield] "+ok)
	if n := strings.Count(out, "[core 1 yield] exited status 0"); n != 2 {
		t.Errorf("%d of the 2 programs on core 1 kept alternating", n)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, ok) {
			t.Log(l)
		}
	}
}
