//go:build integration

package test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hugelgupf/vmtest/qemu"

	"multikernel/tools/qemu/qemuargs"
)

// Tolerances of TestClockRate. The guest's clocks are calibrated against
// the PM timer to some tens of ppm (QEMU's PM timer and the TSC both
// follow the host's clock); what the test measures is mostly how late a
// console line reaches the host: a virtual CPU on this two-CPU host may
// be descheduled for a few hundred ms (test/preempt_test.go saw 282 ms).
// So an interval of rateSleep may differ from the host's by lineSlack
// plus rateSlack of it: a clock off by more than about 10% (the PIT
// calibration on a busy host once gave 8 times the rate) fails.
const (
	rateSleep = 4 * time.Second
	lineSlack = 300 * time.Millisecond
	rateSlack = 0.02
	// rateAgree is how far each core's calibrated rate may be from the
	// median (tsc.AgreePPM: the windows of one calibration agree better).
	rateAgree = 0.005
	// readSlack bounds two clock reads of one line apart: the vDSO's
	// against the system call's, one core's REALTIME-MONOTONIC against
	// another's (a read may be descheduled between the two).
	readSlack = 50 * time.Millisecond
)

// TestClockRate: on 4 cores in 2 nodes (Opteron_G3: no invariant TSC)
// with verbose, every core reports a calibration against the PM timer,
// the rates agree, and apps/clocks on every core prints its clocks, sleeps
// 4 s and prints them again: the host times the two lines, and the
// guest's CLOCK_MONOTONIC (system call and vDSO) and CLOCK_REALTIME must
// have advanced as much, on every core, with the same real time at
// monotonic zero everywhere and a real time near the host's.
func TestClockRate(t *testing.T) {
	const cores = 4
	cfg := qemuargs.Config{SMP: cores, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff verbose",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			app(t, "clocks") + fmt.Sprintf(" @all rate %d", rateSleep.Milliseconds())}}
	vm, err := qemu.Start(qemu.ArchAMD64, vmFns(t, cfg, 3*time.Minute)...)
	if err != nil {
		t.Fatalf("starting QEMU: %v", err)
	}
	type stamp struct {
		host            time.Time
		real, sys, mono int64
	}
	line := regexp.MustCompile(`^\[core (\d+) clocks\] clocks: rate (start|end) real (\d+) sys (\d+)(?: mono (\d+))?$`)
	stamps := map[string]stamp{} // "core/start", "core/end"
	var out strings.Builder
	for {
		s, err := vm.Console.ExpectString("\n")
		now := time.Now()
		out.WriteString(s)
		if err != nil {
			break
		}
		if m := line.FindStringSubmatch(strings.TrimRight(s, "\r\n")); m != nil {
			n := func(i int) int64 { v, _ := strconv.ParseInt(m[i], 10, 64); return v }
			stamps[m[1]+"/"+m[2]] = stamp{host: now, real: n(3), sys: n(4), mono: n(5)}
		}
	}
	code := exitCode(vm.Wait())
	text := strings.ReplaceAll(out.String(), "\r", "")
	t.Logf("QEMU %s\nexit %d, console:\n%s", vm.CmdlineQuoted(), code, text)
	wantExit(t, code, exitSuccess)
	mustContain(t, text, "cpudriver: ACPI PM timer at port 0x608 (X_PM_TMR_BLK), 24 bits")

	var rates []float64
	for _, m := range regexp.MustCompile(`(?m)^core (\d+): TSC ([\d.]+) MHz \(PM timer\), no invariant TSC: re-synced against the PM timer every second$`).FindAllStringSubmatch(text, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		rates = append(rates, v)
	}
	if len(rates) != cores {
		t.Fatalf("%d cores report a PM timer calibration, want %d", len(rates), cores)
	}
	med := slices.Sorted(slices.Values(rates))[cores/2]
	for _, r := range rates {
		if r < med*(1-rateAgree) || r > med*(1+rateAgree) {
			t.Errorf("a core's TSC rate %.3f MHz is more than %.1f%% from the median %.3f MHz (rates %v)", r, rateAgree*100, med, rates)
		}
	}
	t.Logf("calibrated rates (MHz): %v", rates)

	var epochs, offsets []time.Duration
	for c := 0; c < cores; c++ {
		s0, ok0 := stamps[fmt.Sprintf("%d/start", c)]
		s1, ok1 := stamps[fmt.Sprintf("%d/end", c)]
		if !ok0 || !ok1 {
			t.Errorf("core %d: clocks rate lines missing", c)
			continue
		}
		host := s1.host.Sub(s0.host)
		mono := time.Duration(s1.sys - s0.sys)
		t.Logf("core %d: host %v, MONOTONIC %v (vDSO %v), REALTIME %v", c, host, mono, time.Duration(s1.mono), time.Duration(s1.real-s0.real))
		if d := mono - host; d.Abs() > lineSlack+time.Duration(rateSlack*float64(host)) || mono < rateSleep {
			t.Errorf("core %d: CLOCK_MONOTONIC advanced %v while the host's clock advanced %v", c, mono, host)
		}
		if d := time.Duration(s1.mono) - mono; d.Abs() > readSlack {
			t.Errorf("core %d: the vDSO's CLOCK_MONOTONIC advanced %v, the system call's %v", c, time.Duration(s1.mono), mono)
		}
		if d := time.Duration(s1.real-s0.real) - mono; d.Abs() > readSlack {
			t.Errorf("core %d: CLOCK_REALTIME advanced %v, CLOCK_MONOTONIC %v", c, time.Duration(s1.real-s0.real), mono)
		}
		if d := time.Duration(s0.real - s0.host.UnixNano()); d.Abs() > 5*time.Second {
			t.Errorf("core %d: CLOCK_REALTIME is %v from the host's", c, d)
		}
		epochs = append(epochs, time.Duration(s0.real-s0.sys-(stamps["0/start"].real-stamps["0/start"].sys)))
		offsets = append(offsets, time.Duration(s0.sys)-s0.host.Sub(stamps["0/start"].host))
	}
	t.Logf("REALTIME at MONOTONIC zero, against core 0's: %v; MONOTONIC against the host's arrival of each start line: %v", epochs, offsets)
	if len(epochs) == cores {
		if d := slices.Max(epochs) - slices.Min(epochs); d > readSlack {
			t.Errorf("REALTIME at MONOTONIC zero differs across cores by %v (%v)", d, epochs)
		}
		// Every core's time zero is the bootstrap core's: its clock minus
		// the host's time of its line is the same everywhere.
		if d := slices.Max(offsets) - slices.Min(offsets); d > lineSlack {
			t.Errorf("the cores' CLOCK_MONOTONIC, against the host's arrival of their lines, differ by %v (%v)", d, offsets)
		}
	}
}
