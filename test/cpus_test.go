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

// TestAffinity: on each of two cores a program learns that core alone
// from sched_getaffinity (and Go's runtime.NumCPU from it), getcpu agrees,
// and sched_setaffinity takes a mask that allows its core and refuses one
// that does not (apps/cpus).
func TestAffinity(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"), app(t, "cpus") + " @all"}}, 3*time.Minute)
	for c := 0; c < 2; c++ {
		mustContain(t, out, fmt.Sprintf("[core %d cpus] cpus: core %d node 0 numcpu 1 mask %#x", c, c, 1<<c),
			fmt.Sprintf("[core %d cpus] exited status 0", c))
		for _, name := range []string{"getcpu", "sched_getaffinity", "the mask is this core alone", "runtime.NumCPU is the mask's count",
			"sched_setaffinity to this core", "sched_setaffinity to every core", "sched_setaffinity to another core only is EINVAL",
			"sched_setaffinity to no core is EINVAL", "sched_getaffinity of its own thread id"} {
			mustContain(t, out, fmt.Sprintf("[core %d cpus] cpus: %s: ok", c, name))
		}
	}
	if strings.Contains(out, "FAILED") {
		t.Errorf("a check failed")
	}
	wantExit(t, code, exitSuccess)
}
