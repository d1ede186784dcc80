package main

import (
	"fmt"
	"multikernel/cpudriver/shootdown"
	"multikernel/cpudriver/trace"
	"strconv"
	"strings"
)

// Options are the kernel command-line options the CPU driver knows.
type Options struct {
	// PowerOff: power QEMU off once the system is fully up, reporting
	// success or failure through isa-debug-exit.
	PowerOff bool
	// FaultCore is the core that takes a deliberate page fault once it is
	// up (to test the oops path); -1 for none.
	FaultCore int
	// HangCore is a core that spins forever before reporting up (to test
	// the bound on waiting for cores); -1 for none.
	HangCore int
	// UpWait is how long the bootstrap core waits for the others, in
	// milliseconds (0: the default).
	UpWait int
	// MaxCores limits how many cores are started (0: all). Safe mode uses 1.
	MaxCores int
	// NoACPI ignores the firmware's ACPI tables (acpi=off): one core, one
	// node.
	NoACPI bool
	// Strace logs every system call programs make.
	Strace bool
	// Shootdown is the protocol of spanning programs' TLB shootdowns
	// (span-shootdown=unicast|broadcast|multicast|numa; docs/spanning.md);
	// "" keeps proc's default.
	Shootdown string
	// NoFaultAround turns off the fault-around of spanning programs'
	// faults served at home (span-faultaround=off; docs/spanning.md).
	NoFaultAround bool
	// Verbose prints the ACPI tables and memory maps as they are read.
	Verbose bool
	// URPCMatrix makes core 0's monitor print the matrix of round-trip
	// times between monitors that it gathers at boot.
	URPCMatrix bool
	// URPCBench makes core 0's monitor run the URPC latency benchmark
	// (receiver polling and receiver blocked) after boot.
	URPCBench bool
	// KmeshBench makes core 0's CPU driver measure the one-way latency
	// of the CPU drivers' mesh to every other core (kmesh-bench).
	KmeshBench bool
	// CapRace makes every monitor race to retype one shared capability
	// at boot, and core 0's check that no memory was retyped twice.
	CapRace bool
	// CapBench makes core 0's monitor time two-phase retypes across 1 to
	// 16 cores.
	CapBench bool
	// MonitorPoll, if set, is how long (ns) the monitors' waitsets poll
	// before they sleep: negative sleeps at once (monitor-poll=NS; the
	// default adapts).
	MonitorPoll *int
	// Trace is the events the CPU drivers record (trace or
	// trace=CLASSES; docs/trace.md); 0 for none.
	Trace trace.Mask
}

// MeasuresAtBoot reports whether an option makes core 0's monitor
// measure before programs start (urpc-matrix, urpc-bench, cap-race,
// cap-bench: monitor/boot.go keeps them before its boot is done).
func (o Options) MeasuresAtBoot() bool {
	return o.URPCMatrix || o.URPCBench || o.CapRace || o.CapBench
}

// MonitorArgs returns the flags the monitor gets for these options.
func (o Options) MonitorArgs() []string {
	var args []string
	if o.URPCMatrix {
		args = append(args, "-matrix")
	}
	if o.URPCBench {
		args = append(args, "-bench")
	}
	if o.CapRace {
		args = append(args, "-caprace")
	}
	if o.CapBench {
		args = append(args, "-capbench")
	}
	if o.MonitorPoll != nil {
		args = append(args, fmt.Sprintf("-poll=%d", *o.MonitorPoll))
	}
	return args
}

// optionHelp lists the options for error messages.
const optionHelp = "known options: poweroff, acpi=off, fault=CORE, hang=CORE, upwait=MS, maxcores=N, strace, span-shootdown=unicast|broadcast|multicast|numa, span-faultaround=on|off, verbose, urpc-matrix, urpc-bench, kmesh-bench, cap-race, cap-bench, monitor-poll=NS, trace[=CLASS,...]"

// parseOptions splits the command line into words and decodes each. A
// first word with a '/' or '.' is the boot image's name (QEMU's -kernel
// path; GRUB leaves it out) and is skipped: no option contains either. Unknown
// or malformed words are reported and skipped; the rest still apply.
func parseOptions(cmdline string) (Options, []error) {
	o := Options{FaultCore: -1, HangCore: -1}
	var errs []error
	words := strings.Fields(cmdline)
	if len(words) > 0 && strings.ContainsAny(words[0], "/.") {
		words = words[1:]
	}
	for _, w := range words {
		key, val, hasVal := strings.Cut(w, "=")
		switch key {
		case "poweroff", "verbose", "strace", "urpc-matrix", "urpc-bench", "kmesh-bench", "cap-race", "cap-bench":
			if hasVal {
				errs = append(errs, fmt.Errorf("option %q takes no value", key))
				continue
			}
			switch key {
			case "poweroff":
				o.PowerOff = true
			case "strace":
				o.Strace = true
			case "urpc-matrix":
				o.URPCMatrix = true
			case "urpc-bench":
				o.URPCBench = true
			case "kmesh-bench":
				o.KmeshBench = true
			case "cap-race":
				o.CapRace = true
			case "cap-bench":
				o.CapBench = true
			default:
				o.Verbose = true
			}
		case "trace":
			m, err := trace.ParseClasses(val)
			if err == nil && hasVal && val == "" {
				err = fmt.Errorf("trace class \"\" unknown")
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("option trace: %v", err))
				continue
			}
			o.Trace = m
		case "acpi":
			if val != "off" {
				errs = append(errs, fmt.Errorf("option acpi wants the value off, got %q", val))
				continue
			}
			o.NoACPI = true
		case "fault", "hang", "upwait", "maxcores":
			n, err := strconv.Atoi(val)
			if !hasVal || err != nil || n < 0 {
				errs = append(errs, fmt.Errorf("option %q wants a non-negative number, got %q", key, val))
				continue
			}
			switch key {
			case "fault":
				o.FaultCore = n
			case "hang":
				o.HangCore = n
			case "upwait":
				o.UpWait = n
			default:
				o.MaxCores = n
			}
		case "span-shootdown":
			if _, ok := shootProtocols[val]; !ok {
				errs = append(errs, fmt.Errorf("option span-shootdown wants unicast, broadcast, multicast or numa, got %q", val))
				continue
			}
			o.Shootdown = val
		case "span-faultaround":
			if val != "on" && val != "off" {
				errs = append(errs, fmt.Errorf("option span-faultaround wants on or off, got %q", val))
				continue
			}
			o.NoFaultAround = val == "off"
		case "monitor-poll":
			n, err := strconv.Atoi(val)
			if !hasVal || err != nil {
				errs = append(errs, fmt.Errorf("option monitor-poll wants a number of nanoseconds (negative: sleep at once), got %q", val))
				continue
			}
			o.MonitorPoll = &n
		default:
			errs = append(errs, fmt.Errorf("unknown option %q (%s)", w, optionHelp))
		}
	}
	return o, errs
}

// shootProtocols are span-shootdown's values.
var shootProtocols = map[string]shootdown.Protocol{
	"unicast": shootdown.Unicast, "broadcast": shootdown.Broadcast,
	"multicast": shootdown.Multicast, "numa": shootdown.NUMAMulticast,
}
