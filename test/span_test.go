//go:build integration

package test

import (
	"path/filepath"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// TestSpanSmoke: a program spanning two cores starts on its home and
// learns both cores from sched_getaffinity.
func TestSpanSmoke(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"), app(t, "spanwork") + " @0-1"}}, 3*time.Minute)
	t.Log(out)
	_ = code
}
