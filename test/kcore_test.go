//go:build integration

package test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// TestKernelCore: apps/kcore spanning 16 cores dedicates core 15 to a
// service that the 15 other cores call over URPC; the first client's
// thread ends half way, the others' calls are all answered and counted,
// and the SKB names the kernel core.
func TestKernelCore(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 16, Nodes: 4, MemMiB: 2048, Cmdline: "poweroff",
		Modules: withKernel(t, app(t, "kcore")+" @0-15 -calls 150 -timed 100")}, 8*time.Minute)
	mustContain(t, out, "kcore: service on core 15, clients [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14]",
		"kcore: service started: ok", "kcore: the service served every call, one client gone: ok",
		"kcore: the SKB names the kernel core: ok", "kcore: PASS", "[core 0 kcore] exited status 0")
	for c := 1; c < 15; c++ {
		mustContain(t, out, fmt.Sprintf("kcore: core %d's calls: ok", c))
	}
	if !regexp.MustCompile(`kcore: call-ns \d+ channel-roundtrip-ns \d+`).MatchString(out) {
		t.Errorf("no timing line")
	}
	wantExit(t, code, exitSuccess)
}
