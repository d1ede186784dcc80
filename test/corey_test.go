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
// tools/corey): every core count is reported with the program's
// counts, private ranges send no shootdown message (apps/corey fails
// otherwise), the mmap variant's shootdowns and shared-table writes are
// counted, and local shares see no contention, at every count.
func TestCoreyQuick(t *testing.T) {
	corey := app(t, "corey")
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff",
		Modules: withKernel(t, corey+" @0-3 -bench memclone -mb 2", corey+" @0-3 -bench mempass -mb 2",
			corey+" @0-3 -bench shares -ops 300 -variant global,local")}, 8*time.Minute)
	// A line per core count (1, 2, 4) of each variant.
	const counts = ` shootdown-messages \d+ calls-home \d+ claims \d+ foreign-tables \d+`
	for re, want := range map[string]int{
		`corey: memclone (mmap|private) cores (1|2|4) page-ns \d+ free-ns \d+` + counts: 6,
		`corey: mempass (mmap|range) cores (1|2|4) page-ns \d+` + counts:                6,
		`corey: shares global cores (1|2|4) op-ns \d+ contended \d+`:                    3,
		`corey: shares local cores (1|2|4) op-ns \d+ contended 0`:                       3,
	} {
		if n := len(regexp.MustCompile(re).FindAllString(out, -1)); n != want {
			t.Errorf("%d lines match %s, want %d", n, re, want)
		}
	}
	// Freeing the mmap buffers of 4 cores shoots them down on the
	// others; their faults went home or were claimed, in the home's
	// tables. (A private range's own shootdown messages fail the run.)
	mmap4 := regexp.MustCompile(`corey: memclone mmap cores 4 page-ns \d+ free-ns \d+ shootdown-messages (\d+) calls-home (\d+) claims (\d+) foreign-tables (\d+)`).FindStringSubmatch(out)
	if mmap4 == nil || mmap4[1] == "0" || mmap4[2] == "0" && mmap4[3] == "0" || mmap4[3] != "0" && mmap4[4] == "0" {
		t.Errorf("memclone mmap at 4 cores: counts %q, want shootdown messages, calls home or claims, and tables written by 2 cores for claims", mmap4)
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
