//go:build integration

package test

import (
	"strings"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// TestCfork: apps/cfork, spanning cores 0 and 1 of node 0, grows onto
// core 2 of node 1, passing a shared range and a share: the share, read
// from the new core's root share, names the range, written there and
// seen at home; a private range and a shared range not passed fault
// there; the share stays its core's; the core is the program's
// afterwards and an unmap of the passed range reaches it; a core it has
// and a core that is not there are refused.
func TestCfork(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff",
		Modules: withKernel(t, app(t, "cfork")+" @0-1 2")}, 4*time.Minute)
	mustContain(t, out, "cfork: cores [0 1], growing onto 2",
		"cfork: a private range is not passed: ok", "cfork: the core is not the program's before: ok",
		"cfork: cfork: ok", "cfork: the passed share names the passed range, written there: ok",
		"cfork: what was not passed faults there: ok", "cfork: the share stays its core's: ok",
		"cfork: the core is the program's now: ok", "cfork: bad extensions refused: ok",
		"cfork: an unmap of the passed range reaches the new core: ok",
		"cfork: PASS", "[core 0 cfork] exited status 0")
	if strings.Contains(out, "FAILED") {
		t.Errorf("a check failed")
	}
	wantExit(t, code, exitSuccess)
}
