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
// and the SKB names the kernel core; while the service runs its core is
// dedicated to it: the program's other threads (new ones, and goroutines
// on the threads it had) never run there and cannot be pinned there, and
// can again once it stops.
func TestKernelCore(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 16, Nodes: 4, MemMiB: 2048, Cmdline: "poweroff",
		Modules: withKernel(t, app(t, "kcore")+" @0-15 -calls 150 -timed 100")}, 8*time.Minute)
	mustContain(t, out, "kcore: service on core 15, clients [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14]",
		"kcore: service started: ok", "kcore: the service served every call, one client gone: ok",
		"kcore: the SKB names the kernel core: ok", "kcore: PASS", "[core 0 kcore] exited status 0",
		"kcore: a thread may be pinned to the service's core before it starts: ok",
		"kcore: the service's core is dedicated to it: ok", "kcore: no other thread runs on the service's core: ok",
		"kcore: no other thread may be pinned to the service's core: ok",
		"kcore: the core is the program's again once the service stops: ok")
	for c := 1; c < 15; c++ {
		mustContain(t, out, fmt.Sprintf("kcore: core %d's calls: ok", c))
	}
	if !regexp.MustCompile(`kcore: call-ns \d+ channel-roundtrip-ns \d+`).MatchString(out) {
		t.Errorf("no timing line")
	}
	wantExit(t, code, exitSuccess)
}
