//go:build integration

package test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// TestKmesh boots 4 cores on 2 nodes with verbose and kmesh-bench: every
// core's CPU driver opens a channel to each of the 3 others and pings
// each, core 0 reports the whole mesh connected, and then measures the
// one-way latency to every other core. The bench lines must be complete
// and well formed; a boot whose figures are implausible (a polling
// virtual CPU descheduled by a busy host) is run again, three at most.
func TestKmesh(t *testing.T) {
	const boots = 3
	for i := 1; ; i++ {
		out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff verbose kmesh-bench"}, 3*time.Minute)
		wantExit(t, code, exitSuccess)
		for c := 0; c < 4; c++ {
			if !regexp.MustCompile(fmt.Sprintf(`(?m)^kmesh: core %d: 3 channels open, 3 peers answered a ping \(\d+ ms\)$`, c)).MatchString(out) {
				t.Errorf("core %d does not report 3 channels answering", c)
			}
		}
		mustContain(t, out, "kmesh: 4 cores, 12 channels connected (6 frames, 24 KiB)")
		bad, errs := checkKmeshBench(out)
		for _, e := range errs {
			t.Error(e)
		}
		if len(errs) > 0 || len(bad) == 0 {
			return
		}
		if i == boots {
			for _, e := range bad {
				t.Error(e)
			}
			return
		}
		t.Logf("boot %d: implausible figures, once more:\n%s", i, strings.Join(bad, "\n"))
	}
}

// checkKmeshBench checks the kmesh-bench lines: one per peer 1-3, on the
// node QEMU gave it, medians of 200, cycles and microseconds agreeing
// with the TSC rate. It returns the implausible figures (polling at or
// above a millisecond, sleeping not above polling) apart from the
// malformed ones.
func checkKmeshBench(out string) (implausible, malformed []string) {
	m := regexp.MustCompile(`cpudriver: CPU .*, TSC (\d+) MHz`).FindStringSubmatch(out)
	if m == nil {
		return nil, []string{"no TSC rate on the console"}
	}
	mhz, _ := strconv.ParseFloat(m[1], 64)
	line := regexp.MustCompile(`(?m)^kmesh-bench: core 0 -> core (\d+) \(node 0 -> (\d+)\), median of 200: ` +
		`one-way polling (\d+) cycles \(([0-9.]+) us\), sleeping (-?\d+) cycles \((-?[0-9.]+) us\)$`)
	got := line.FindAllStringSubmatch(out, -1)
	if len(got) != 3 {
		return nil, []string{fmt.Sprintf("%d kmesh-bench lines, want 3", len(got))}
	}
	for i, g := range got {
		peer, _ := strconv.Atoi(g[1])
		node, _ := strconv.Atoi(g[2])
		if peer != i+1 || node != qemuargs.NodeOf(4, 2, peer) {
			malformed = append(malformed, fmt.Sprintf("line %d measures core %d on node %d: %q", i, peer, node, g[0]))
		}
		for _, pair := range [][2]string{{g[3], g[4]}, {g[5], g[6]}} {
			cyc, _ := strconv.ParseFloat(pair[0], 64)
			us, _ := strconv.ParseFloat(pair[1], 64)
			if d := cyc/mhz - us; d > 0.01+us/100 || d < -0.01-us/100 {
				malformed = append(malformed, fmt.Sprintf("%s cycles is not %s us at %v MHz: %q", pair[0], pair[1], mhz, g[0]))
			}
		}
		polling, _ := strconv.ParseInt(g[3], 10, 64)
		sleeping, _ := strconv.ParseInt(g[5], 10, 64)
		if polling <= 0 {
			malformed = append(malformed, fmt.Sprintf("polling figure %d: %q", polling, g[0]))
		}
		if float64(polling)/mhz >= 1000 || sleeping <= polling {
			implausible = append(implausible, g[0])
		}
	}
	return implausible, malformed
}

// TestKmeshSkipsDeadCores: a core that never comes up (hang=3) and one
// that dies right after coming up (fault=2) leave the others' mesh
// connected, within the bounds, and reported.
func TestKmeshSkipsDeadCores(t *testing.T) {
	for _, cmd := range []string{"poweroff hang=3 upwait=3000", "poweroff fault=2"} {
		out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: cmd}, 3*time.Minute)
		mustContain(t, out, "kmesh: 3 cores, 6 channels connected (6 frames, 24 KiB)", "multikernel: ready in")
		wantExit(t, code, exitFailure)
	}
}
