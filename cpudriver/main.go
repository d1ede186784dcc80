// Command cpudriver is the multikernel's CPU driver: one copy runs in ring 0
// on every core, each with its own Go runtime. The ring-0 layer beneath the
// runtime is package ring0; this package is what runs once the runtime is
// up: it brings the core up, and on the bootstrap core it discovers the
// machine (Multiboot information, ACPI) and starts the other cores.
package main

import (
	"fmt"
	"os"
	"time"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/ring0"
)

// console writes whole lines to the console, one write each, so lines from
// different cores do not interleave.
func console(format string, args ...any) {
	ring0.WriteConsole([]byte(fmt.Sprintf(format, args...)))
}

func main() {
	c := ring0.Core()
	if c.BSP {
		bootstrap()
		return
	}
	application(c)
}

// application is main on every core but the bootstrap core.
func application(c ring0.CoreInfo) {
	opts, _ := parseOptions(ring0.CoreArgs())
	if opts.HangCore == c.Index {
		for { // hang=N: never report up
		}
	}
	console("core %d apic %d node %d up\n", c.Index, c.APICID, c.Node)
	reportClock(c, opts.Verbose)
	tracePA := startTrace(opts.Trace)
	reportMemory(c)
	sh := sharedAt(sharedVA)
	if sh != nil {
		publishTrace(sh, c.Index, tracePA)
		sh.setStatus(c.Index, coreUp)
	}
	if c.Index == 1 {
		// Core 1 decodes the bootstrap core's oops, and ends a poweroff
		// run with a failure if the bootstrap core died.
		go watchOopses(func(core int) bool { return core == 0 }, func() {
			if opts.PowerOff {
				ring0.Outb(kpi.ExitPort, kpi.ExitFailure)
			}
		})
	}
	if opts.FaultCore == c.Index {
		deliberateFault()
	}
	progs := corePrograms()
	if sh != nil {
		startMonitor(progs, sh, opts, nil)
		// Programs start once the bootstrap core says the system is up
		// (it waits for the cores within coreUpBound, then for core 0's
		// monitor within the same bound).
		if !waitBooted(sh, 2*coreUpBound+10*time.Second) {
			console("cpudriver: core %d: the system did not finish booting; starting the programs anyway\n", c.Index)
		}
		reportIdle(sh)
		sh.setReady(c.Index)
		startPrograms(progs, sh)
	}
	idleForever()
}

// sharedVA is the shared region's address on this core (from ring0).
var sharedVA = ring0.SharedVA()

func reportMemory(c ring0.CoreInfo) {
	free, total := ring0.FreeMemory()
	console("core %d: %d KiB free on node %d; CPU driver uses %d KiB\n",
		c.Index, free>>10, c.Node, (total-free+ring0.BootBytes())>>10)
}

// idleForever parks the main goroutine; the core idles in HLT.
func idleForever() {
	for {
		time.Sleep(time.Hour)
	}
}

// deliberateFault writes through a nil pointer: a ring-0 page fault at
// address 0 that the oops path must report (fault=CORE on the command line).
//
//go:noinline
func deliberateFault() {
	var p *int
	console("core %d: taking a deliberate fault (fault=%d)\n", ring0.Core().Index, ring0.Core().Index)
	*p = 1
}

func fail(format string, args ...any) {
	console("cpudriver: "+format+"\n", args...)
	os.Exit(1)
}
