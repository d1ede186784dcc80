//go:build integration

package test

import (
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// TestCapabilityInvocations: two programs on one core each get a RAM
// capability of their own, retype, map and use Frames, and are refused
// whatever their capabilities do not allow (forged slots, rights they
// lack, overlapping retypes, mappings of RAM or into the kernel half);
// a revoke takes their mappings away. A third program on another core
// times the invocations.
func TestCapabilityInvocations(t *testing.T) {
	captest := app(t, "captest")
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			captest + " @1", captest + " @1", captest + " @0 -bench"}}, 3*time.Minute)
	if n := len(regexp.MustCompile(`\[core 1 captest\] captest: all checks held`).FindAllString(out, -1)); n != 2 {
		t.Errorf("%d of 2 captest runs held every check", n)
	}
	if regexp.MustCompile(`FAILED`).MatchString(out) {
		t.Errorf("a check failed")
	}
	for _, op := range []string{"retype", "map", "unmap", "delete"} {
		if !regexp.MustCompile(`\[core 0 captest\] captest: ` + op + ` \d+ ns/op`).MatchString(out) {
			t.Errorf("no %s figure", op)
		}
	}
	wantExit(t, code, exitSuccess)
}
