package main

import (
	"reflect"
	"testing"
)

func TestParseOptions(t *testing.T) {
	tests := []struct {
		in   string
		want Options
		errs int
	}{
		{"", Options{FaultCore: -1, HangCore: -1}, 0},
		{"maxcores=1 verbose", Options{FaultCore: -1, HangCore: -1, MaxCores: 1, Verbose: true}, 0},
		{"build/loader.elf", Options{FaultCore: -1, HangCore: -1}, 0},
		{"loader.elf poweroff", Options{PowerOff: true, FaultCore: -1, HangCore: -1}, 0},
		{"loader.elf   poweroff   fault=3 verbose ", Options{PowerOff: true, FaultCore: 3, HangCore: -1, Verbose: true}, 0},
		{"loader.elf maxcores=1", Options{FaultCore: -1, HangCore: -1, MaxCores: 1}, 0},
		{"loader.elf bogus poweroff", Options{PowerOff: true, FaultCore: -1, HangCore: -1}, 1},
		{"loader.elf fault=x fault= fault=-1 fault", Options{FaultCore: -1, HangCore: -1}, 4},
		{"loader.elf poweroff=1", Options{FaultCore: -1, HangCore: -1}, 1},
		{"loader.elf acpi=off acpi=on", Options{FaultCore: -1, HangCore: -1, NoACPI: true}, 1},
		{"loader.elf hang=5 upwait=300", Options{FaultCore: -1, HangCore: 5, UpWait: 300}, 0},
		{"loader.elf kmesh-bench", Options{FaultCore: -1, HangCore: -1, KmeshBench: true}, 0},
		{"loader.elf kmesh-bench=1", Options{FaultCore: -1, HangCore: -1}, 1},
		{"loader.elf monitor-poll=-1", Options{FaultCore: -1, HangCore: -1, MonitorPoll: ptr(-1)}, 0},
		{"loader.elf monitor-poll=x monitor-poll", Options{FaultCore: -1, HangCore: -1}, 2},
		{"loader.elf span-shootdown=broadcast", Options{FaultCore: -1, HangCore: -1, Shootdown: "broadcast"}, 0},
		{"loader.elf span-faultaround=off", Options{FaultCore: -1, HangCore: -1, NoFaultAround: true}, 0},
		{"loader.elf span-faultaround=on span-faultaround=2", Options{FaultCore: -1, HangCore: -1}, 1},
		{"loader.elf span-shootdown=tree span-shootdown", Options{FaultCore: -1, HangCore: -1}, 2},
	}
	for _, tc := range tests {
		got, errs := parseOptions(tc.in)
		if !reflect.DeepEqual(got, tc.want) || len(errs) != tc.errs {
			t.Errorf("parseOptions(%q) = %+v, %v; want %+v with %d errors", tc.in, got, errs, tc.want, tc.errs)
		}
	}
}

func ptr(n int) *int { return &n }

func TestMonitorArgs(t *testing.T) {
	o, _ := parseOptions("cap-bench monitor-poll=2000")
	if got := o.MonitorArgs(); !reflect.DeepEqual(got, []string{"-capbench", "-poll=2000"}) {
		t.Errorf("MonitorArgs = %q", got)
	}
}

// TestMeasuresAtBoot: the options whose measurements core 0's monitor
// runs before programs start get the longer bound, the others not.
func TestMeasuresAtBoot(t *testing.T) {
	for _, c := range []struct {
		line string
		want bool
	}{{"poweroff", false}, {"poweroff verbose kmesh-bench", false}, {"urpc-matrix", true}, {"urpc-bench", true}, {"cap-race", true}, {"cap-bench", true}} {
		o, _ := parseOptions(c.line)
		if got := o.MeasuresAtBoot(); got != c.want {
			t.Errorf("%q: MeasuresAtBoot() = %v, want %v", c.line, got, c.want)
		}
	}
}
