//go:build integration

package test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// TestSpanWorkout: apps/spanwork spanning every core of a 16-core,
// 4-node machine and, beside it, a second copy spanning node 1's cores,
// each passing every check with a thread pinned on each of its cores.
func TestSpanWorkout(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 8, Nodes: 4, MemMiB: 2048, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			app(t, "spanwork") + " @0-7", app(t, "spanwork") + " @node:1"}}, 8*time.Minute)
	mustContain(t, out, "[core 0 spanwork] spanwork: cores [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15] numcpu 16 gomaxprocs 16",
		"[core 4 spanwork] spanwork: cores [4 5 6 7] numcpu 4 gomaxprocs 4")
	for c := 0; c < 16; c++ {
		mustContain(t, out, fmt.Sprintf("[core %d spanwork] spanwork: thread on core %d: ok", c, c))
	}
	if n := strings.Count(out, "spanwork: PASS"); n != 2 {
		t.Errorf("%d of 2 programs passed", n)
	}
	mustContain(t, out, "[core 0 spanwork] exited status 0", "[core 4 spanwork] exited status 0")
	if strings.Contains(out, "FAILED") {
		t.Errorf("a check failed")
	}
	wantExit(t, code, exitSuccess)
}
