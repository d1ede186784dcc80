//go:build integration

package test

import (
	"regexp"
	"strconv"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// TestCapRace: all 16 monitors race to retype overlapping parts of one
// shared capability, each retype a two-phase operation across the 16
// cores; core 0 then gathers every core's descendants and checks that no
// memory was retyped twice and that each committed retype left exactly
// one descendant.
func TestCapRace(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 16, Nodes: 4, MemMiB: 4096, Cmdline: "poweroff cap-race"}, 5*time.Minute)
	m := regexp.MustCompile(`\[core 0 monitor\] cap-race: 16 cores, 128 retypes: (\d+) committed, (\d+) refused as overlapping`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no race summary")
	}
	committed, _ := strconv.Atoi(m[1])
	refused, _ := strconv.Atoi(m[2])
	if committed == 0 || committed+refused != 128 {
		t.Errorf("%d committed and %d refused of 128", committed, refused)
	}
	mustContain(t, out, "[core 0 monitor] cap-race: invariant holds: "+m[1]+" descendants, no memory retyped twice")
	if regexp.MustCompile(`VIOLATION|protocol error|message dropped`).MatchString(out) {
		t.Errorf("the race broke the invariant or the protocol")
	}
	wantExit(t, code, exitSuccess)
}

// TestCapBench: core 0 times two-phase retypes on 4 cores of 2 nodes,
// unicast and along the SKB's multicast tree (whose forwarding this
// exercises), and every retype commits.
func TestCapBench(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff cap-bench"}, 3*time.Minute)
	for _, want := range []string{"1 cores (unicast)", "2 cores (unicast)", "2 cores (tree)", "4 cores (unicast)", "4 cores (tree)"} {
		if !regexp.MustCompile(`\[core 0 monitor\] cap-bench: two-phase retype across ` + regexp.QuoteMeta(want) + `, median of 200: \d+ cycles`).MatchString(out) {
			t.Errorf("no figure for %s", want)
		}
	}
	if regexp.MustCompile(`retype refused|protocol error|message dropped|breaks the tree|does not reach`).MatchString(out) {
		t.Errorf("the benchmark failed")
	}
	wantExit(t, code, exitSuccess)
}
