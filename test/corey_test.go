//go:build integration

package test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// TestCoreyQuick: apps/corey's three benchmarks at once, each spanning
// four cores on two nodes, with small sizes (the quick mode of
// tools/corey): every core count is reported, private ranges send no
// shootdown message and local shares see no contention, at every count.
func TestCoreyQuick(t *testing.T) {
	corey := app(t, "corey")
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff",
		Modules: withKernel(t, corey+" @0-3 -bench memclone -mb 2", corey+" @0-3 -bench mempass -mb 2",
			corey+" @0-3 -bench shares -ops 300 -variant global,local")}, 8*time.Minute)
	// A line per core count (1, 2, 4) of each variant.
	for re, want := range map[string]int{
		`corey: memclone mmap cores (1|2|4) page-ns \d+ free-ns \d+ shootdown-messages 0`:    3,
		`corey: memclone private cores (1|2|4) page-ns \d+ free-ns \d+ shootdown-messages 0`: 3,
		`corey: mempass (mmap|range) cores (1|2|4) page-ns \d+`:                              6,
		`corey: shares global cores (1|2|4) op-ns \d+ contended \d+`:                         3,
		`corey: shares local cores (1|2|4) op-ns \d+ contended 0`:                            3,
	} {
		if n := len(regexp.MustCompile(re).FindAllString(out, -1)); n != want {
			t.Errorf("%d lines match %s, want %d", n, re, want)
		}
	}
	if regexp.MustCompile(`corey: memclone private cores \d+ page-ns \d+ free-ns \d+ shootdown-messages [1-9]`).MatchString(out) {
		t.Errorf("a private range's change sent a shootdown message")
	}
	if regexp.MustCompile(`corey: shares local cores \d+ op-ns \d+ contended [1-9]`).MatchString(out) {
		t.Errorf("a local share's lock was contended")
	}
	if n := strings.Count(out, "corey: done"); n != 3 {
		t.Errorf("%d of 3 benchmarks done", n)
	}
	if strings.Contains(out, "FAILED") {
		t.Errorf("a benchmark failed")
	}
	wantExit(t, code, exitSuccess)
}
