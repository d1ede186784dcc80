//go:build integration

package test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// TestRanges: apps/ranges spanning all 16 cores of a 4-node machine and,
// beside it, a copy spanning node 2's cores: each core's private range
// holds its pages without a shootdown message and faults on the next
// core; the range of every core is seen by every core and unmapped on
// every core; a range of two cores faults on a third and its unmap
// sends fewer messages; the Linux calls stay out of the region.
func TestRanges(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 16, Nodes: 4, MemMiB: 2048, Cmdline: "poweroff",
		Modules: withKernel(t, app(t, "ranges")+" @0-15", app(t, "ranges")+" @node:2")}, 8*time.Minute)
	mustContain(t, out, "ranges: cores [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15]", "ranges: cores [8 9 10 11]")
	for c := 0; c < 16; c++ {
		mustContain(t, out,
			fmt.Sprintf("[core %d ranges] ranges: core %d: 1024 pages in its private range", c, c),
			fmt.Sprintf("[core %d ranges] ranges: core %d: core %d's private range: ok", c, c, (c+1)%16),
			fmt.Sprintf("[core %d ranges] ranges: core %d sees every core's write to the shared range: ok", c, c),
			fmt.Sprintf("[core %d ranges] ranges: core %d deletes its private range: ok", c, c))
	}
	mustContain(t, out, "ranges: shared range unmapped on every core: ok", "ranges: range of two cores: ok",
		"ranges: Linux calls stay out of a range: ok", "ranges: bad arguments refused: ok",
		"ranges: slots run out, and come back: ok", "[core 0 ranges] exited status 0", "[core 8 ranges] exited status 0")
	if n := strings.Count(out, "ranges: PASS"); n != 2 {
		t.Errorf("%d of 2 programs passed", n)
	}
	if strings.Contains(out, "FAILED") || strings.Contains(out, "did not get") {
		t.Errorf("a check failed, or a message was lost")
	}
	wantExit(t, code, exitSuccess)
}
