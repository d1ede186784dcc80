//go:build integration

package test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// TestSegments: apps/segments spanning 4 cores of 2 nodes: a segment of
// each core's node in its private range, refused to Map and Unmap; one
// segment in the range of every core and in each core's private range
// (mapped by replicas through copies they adopt), each core's write
// seen through every mapping; ranges deleted around segments that keep
// their contents; every segment on the node it was made for (AnyNode
// made on a replica core is that core's node); freeing the shared segment unmaps it on every core;
// a segment passed by capability to a second program on core 3, which
// answers through it; the program's RAM back where it started.
func TestSegments(t *testing.T) {
	seg := app(t, "segments")
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff",
		Modules: withKernel(t, seg+" @0-3 send 3 77", seg+" @3 receive 77")}, 5*time.Minute)
	mustContain(t, out, "segments: cores [0 1 2 3]")
	for c := 0; c < 4; c++ {
		mustContain(t, out,
			fmt.Sprintf("[core %d segments] segments: core %d: a segment in its private range: ok", c, c),
			fmt.Sprintf("[core %d segments] segments: core %d sees every core's write to the shared segment: ok", c, c),
			fmt.Sprintf("[core %d segments] segments: core %d deletes a range with a segment in it: ok", c, c))
	}
	mustContain(t, out, "segments: freeing the shared segment unmaps it on every core: ok",
		"segments: a segment passed to core 3's program: ok",
		"[core 3 segments] segments: the segment received: ok",
		"segments: memory back: ok", "segments: segments lie on their nodes: ok",
		"[core 0 segments] exited status 0", "[core 3 segments] exited status 0")
	if n := strings.Count(out, "segments: PASS"); n != 2 {
		t.Errorf("%d of 2 programs passed", n)
	}
	if strings.Contains(out, "FAILED") {
		t.Errorf("a check failed")
	}
	wantExit(t, code, exitSuccess)
}
