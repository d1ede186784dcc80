package main

import (
	"multikernel/boot/multiboot"
	"multikernel/cpudriver/acpi"
	"multikernel/cpudriver/ring0"
)

// The verbose option prints what the bootstrap core read and decided.

func printMemoryMap(info *multiboot.Info) {
	console("cpudriver: boot loader %q, %d modules, command line %q\n", info.LoaderName, len(info.Modules), info.Cmdline)
	for _, r := range info.MemoryMap {
		console("cpudriver: memory %#012x-%#012x %s\n", r.Base, r.End(), r.Type)
	}
	for i, m := range info.Modules {
		console("cpudriver: module %d %#x-%#x %q\n", i, m.Start, m.End, m.String)
	}
}

func printACPI(t *acpi.Tables) {
	console("cpudriver: ACPI root %#x (XSDT %v), OEM %q\n", t.RootAddr, t.UsesXSDT, t.Root.OEMID)
	for _, e := range t.Entries {
		console("cpudriver: ACPI table %s at %#x, %d bytes\n", e.Signature, e.Addr, e.Length)
	}
	topo := t.Topology
	for n, node := range topo.Nodes {
		console("cpudriver: node %d (domain %d): APIC ids %v\n", n, node.Domain, node.APICIDs)
		for _, m := range node.Memory {
			console("cpudriver: node %d memory %#012x-%#012x\n", n, m.Base, m.Base+m.Length)
		}
		for m := range topo.Nodes {
			if m > n {
				console("cpudriver: distance node %d - node %d: %d\n", n, m, topo.Distance(n, m))
			}
		}
	}
}

func printPlans(plans []apPlan) {
	for _, a := range plans {
		console("cpudriver: core %d: apic %d node %d, %d KiB in %d ranges\n", a.index, a.apic, a.node, total(a.memory)>>10, len(a.memory))
	}
}

// reportPMTimer says which timer the bootstrap core calibrated against:
// with verbose the PM timer's port and width, and always a line when
// there is none or it failed (the other cores then take this core's
// rate and base).
func reportPMTimer(pm acpi.PMTimer, ok, verbose bool) {
	ci := ring0.Clock()
	switch {
	case pm.Port == 0:
		console("cpudriver: no ACPI PM timer: the TSC is calibrated against the PIT and every core takes this core's rate and base\n")
	case !ok:
		console("cpudriver: ACPI PM timer at port %#x: %s; the TSC is calibrated against the PIT and every core takes this core's rate and base\n", pm.Port, clockProblem(ci.Problem))
	case verbose:
		from := "PM_TMR_BLK"
		if pm.FromX {
			from = "X_PM_TMR_BLK"
		}
		console("cpudriver: ACPI PM timer at port %#x (%s), %d bits\n", pm.Port, from, pm.Bits)
	}
	if ci.Problem == ring0.ClockPITBad || ci.Problem == ring0.ClockPITStuck {
		console("cpudriver: TSC: %s\n", clockProblem(ci.Problem))
	}
}

// reportClock says, with verbose, how this core's TSC rate was found;
// a core that could not calibrate against the PM timer says so always.
func reportClock(c ring0.CoreInfo, verbose bool) {
	ci := ring0.Clock()
	// The bootstrap core's problems are reportPMTimer's.
	if !c.BSP && ci.Problem != ring0.ClockOK && ci.Problem != ring0.ClockNoPM {
		console("core %d: %s; the TSC rate and base are core 0's\n", c.Index, clockProblem(ci.Problem))
	}
	if !verbose {
		return
	}
	how := map[ring0.ClockSource]string{ring0.ClockPIT: "PIT", ring0.ClockPMTimer: "PM timer", ring0.ClockInherited: "inherited from core 0"}[ci.Source]
	sync := "invariant TSC: calibrated once"
	switch {
	case ci.PMPort == 0:
		sync = "no PM timer to re-sync against"
	case ci.Resync:
		sync = "no invariant TSC: re-synced against the PM timer every second"
	}
	console("core %d: TSC %.3f MHz (%s), %s\n", c.Index, float64(ci.Hz)/1e6, how, sync)
}

// clockProblem says what went wrong with a calibration.
func clockProblem(p ring0.ClockProblem) string {
	switch p {
	case ring0.ClockNoPM:
		return "no PM timer"
	case ring0.ClockPMDead:
		return "the PM timer does not count"
	case ring0.ClockPMBad:
		return "calibration against the PM timer failed (windows stretched or disagreeing)"
	case ring0.ClockPITBad:
		return "calibration against the PIT failed (windows stretched or disagreeing); 1000 MHz assumed"
	case ring0.ClockPITStuck:
		return "PIT channel 2 does not count; 1000 MHz assumed"
	}
	return "no problem"
}

// reportResyncs prints this core's re-sync counts (verbose, at power-off).
func reportResyncs(c ring0.CoreInfo) {
	ci := ring0.Clock()
	if !ci.Resync {
		return
	}
	st := ci.Stats
	console("core %d: clock re-synced %d times against the PM timer: last offset %d ns, largest %d ns, %d steps forward\n",
		c.Index, st.Resyncs, st.LastOffsetNs, st.MaxOffsetNs, st.Steps)
}
