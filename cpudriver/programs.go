package main

import (
	"fmt"
	"strconv"
	"strings"

	"multikernel/boot/multiboot"
	"multikernel/boot/words"
	"multikernel/cpudriver/addrspace"
	"multikernel/cpudriver/devices"
	"multikernel/cpudriver/grant"
	"multikernel/cpudriver/klog"
	"multikernel/cpudriver/linux"
	"multikernel/cpudriver/memory"
	"multikernel/cpudriver/monlink"
	"multikernel/cpudriver/native"
	"multikernel/cpudriver/notify"
	"multikernel/cpudriver/proc"
	"multikernel/cpudriver/ring0"
	spanset "multikernel/cpudriver/span"
)

// Programs are the boot modules after the CPU driver. A module's string is
// the program's argv, split as a shell splits words (package words; QEMU
// passes the path first, GRUB the words after the path); a second word
// "@N" or "@all" says which core runs it (the default is core 0) and is
// not passed to the program. A word "caps=..." after those is the device
// capabilities the program gets (grant.Grant), not passed either. A first
// word naming "monitor" is the monitor.

// program is one module to run.
type program struct {
	argv    []string
	core    int    // -1: every core; -2: the cores span names (spanCores)
	span    string // the cores of a spanning program (@0-15, @node:1), as written
	grants  []grant.Grant
	image   multiboot.Module
	monitor bool // the monitor: started on every core, never counted
}

// isMonitor reports whether a module's first word names the monitor.
func isMonitor(word string) bool {
	return word == "monitor" || strings.HasSuffix(word, "/monitor")
}

// parsePrograms decodes the program modules, reporting bad placements.
func parsePrograms(mods []multiboot.Module) ([]program, []error) {
	var progs []program
	var errs []error
	for i, m := range mods {
		ws, err := words.Split(m.String)
		if err != nil {
			errs = append(errs, fmt.Errorf("module %d %q: %v", i+1, m.String, err))
			continue
		}
		if len(ws) == 0 {
			ws = []string{fmt.Sprintf("module%d", i+1)}
		}
		p := program{argv: ws, image: m}
		if isMonitor(ws[0]) {
			p.monitor, p.core = true, -1
			progs = append(progs, p)
			continue
		}
		if len(ws) > 1 && strings.HasPrefix(ws[1], "@") {
			spec := ws[1][1:]
			p.argv = append([]string{ws[0]}, ws[2:]...)
			if spec == "all" {
				p.core = -1
			} else if n, err := strconv.Atoi(spec); err == nil && n >= 0 && n < maxCores {
				p.core = n
			} else if spanset.ValidSyntax(spec) == nil {
				p.core, p.span = -2, spec
			} else {
				errs = append(errs, fmt.Errorf("program %q: bad core %q (want @N or @all)", ws[0], ws[1]))
				continue
			}
		}
		if len(p.argv) > 1 && strings.HasPrefix(p.argv[1], "caps=") {
			gs, err := grant.Parse(strings.TrimPrefix(p.argv[1], "caps="))
			if err != nil {
				errs = append(errs, fmt.Errorf("program %q: %v", ws[0], err))
				continue
			}
			p.grants = gs
			p.argv = append(p.argv[:1:1], p.argv[2:]...)
		}
		progs = append(progs, p)
	}
	return progs, errs
}

// corePrograms returns the programs of the boot modules (and reports bad
// placements once, on the bootstrap core), and records the modules as
// boot images (addrspace.AddBootImage). Every core calls it once, before
// it starts any program.
func corePrograms() []program {
	info, err := multiboot.Parse(physMemory{}, ring0.MBIAddr())
	if err != nil || len(info.Modules) < 2 {
		return nil
	}
	progs, errs := parsePrograms(info.Modules[1:])
	for _, m := range info.Modules[1:] {
		addrspace.AddBootImage(m.Start, m.End) // this core's record, before any program starts
	}
	if ring0.Core().BSP {
		for _, e := range errs {
			console("cpudriver: %v\n", e)
		}
	}
	return progs
}

// startMonitor starts this core's monitor, if there is a monitor module,
// and reports whether there is one. The monitor marks itself up in the
// shared area through its native call, and calls bootDone (if not nil)
// once it finished its boot-time work.
func startMonitor(progs []program, sh *sharedLayout, opts Options, bootDone func()) bool {
	c := ring0.Core()
	klog.Output = func(line string) { console("%s", line) }
	proc.Trace = opts.Strace
	linux.Install()
	native.Install()
	monlink.Mach = machine{sh: sh, bootDone: bootDone}
	notify.Start(devices.RingLines)
	proc.InstallSpan()
	if proto, ok := shootProtocols[opts.Shootdown]; ok {
		proc.ShootProtocol = proto
	}
	proc.FaultAround = !opts.NoFaultAround
	ncores, nodeOf := spanTopology(sh)
	proc.SetTopology(ncores, nodeOf, nodeDistance(sh))
	proc.SetNodeMemory(nodeOfAddr(sh))
	startKmesh(sh, opts.Verbose)
	notify.AddHook(proc.RunClaimed) // after the mesh's: claimed futex waiters run first
	notify.AddHook(poolLowHook)
	if err := memory.Init(c.Index, sh.CapRAM[c.Index][0], sh.CapRAM[c.Index][1]); err != nil {
		console("cpudriver: core %d: capabilities: %v\n", c.Index, err)
	}
	if err := memory.InitReserve(sh.ReserveRAM[c.Index][:]); err != nil {
		console("cpudriver: core %d: the node's memory reserve: %v\n", c.Index, err)
	}
	native.OnMonitorUp = func() { sh.setMonitor(c.Index, monitorIsUp) }
	for _, pr := range progs {
		if !pr.monitor {
			continue
		}
		argv := append(append([]string(nil), pr.argv...), opts.MonitorArgs()...)
		p, err := proc.StartMonitor(physBytes(pr.image.Start, int(pr.image.Size())), argv, []string{"GOMAXPROCS=1"})
		if err != nil {
			console("cpudriver: core %d: monitor not started: %v\n", c.Index, err)
			sh.setMonitor(c.Index, monitorFailed)
			return true
		}
		go func() {
			status, killed := p.Wait()
			console("cpudriver: core %d: monitor ended (status %d%s)\n", c.Index, status, killedSuffix(killed))
			sh.setMonitor(c.Index, monitorFailed)
		}()
		return true
	}
	return false
}

// reportIdle reports what the core uses once the system is up and before
// its programs start: the CPU driver's pages from the core's pool, and the
// monitor's from its RAM capabilities (on core 0 the monitor holds the SKB
// too); and the pool it keeps from programs, used or not (its keep: 32 MiB
// or 1/8 of the core's share, less what it gave up since).
func reportIdle(sh *sharedLayout) {
	c := ring0.Core()
	if sh.monitor(c.Index) != monitorIsUp {
		return
	}
	free, total := ring0.FreeMemory()
	console("core %d: CPU driver and monitor use %d KiB at idle; the CPU driver keeps %d KiB from programs (%d KiB of it free)\n",
		c.Index, (total-free+ring0.BootBytes()+memory.AccountBytes())>>10, total>>10, free>>10)
}

func killedSuffix(k string) string {
	if k == "" {
		return ""
	}
	return ", killed: " + k
}

// stdinGiven records that the console input has a holder (bootstrap core).
var stdinGiven bool

// startPrograms starts the programs this core runs and returns at once;
// the shared area counts them as they end. Every core calls it once it is
// up and its monitor started.
func startPrograms(progs []program, sh *sharedLayout) {
	c := ring0.Core()
	for _, pr := range progs {
		if pr.monitor || (pr.core != c.Index && pr.core != -1 && pr.core != -2) {
			continue
		}
		var p *proc.Process
		if pr.core == -2 {
			if p = startSpan(pr, sh); p == nil {
				continue // not its home, or not started (reported)
			}
		} else {
			var err error
			p, err = proc.Start(physBytes(pr.image.Start, int(pr.image.Size())), pr.argv, []string{"GOMAXPROCS=1"}, pr.grants...)
			if err != nil {
				console("cpudriver: core %d: program %q not started: %v\n", c.Index, pr.argv[0], err)
				if sh != nil {
					sh.programEnded(c.Index, false)
				}
				continue
			}
		}
		if c.BSP && !stdinGiven {
			linux.SetStdinHolder(p)
			stdinGiven = true
		}
		go func() {
			status, killed := p.Wait()
			if killed != "" {
				console("[core %d %s] killed (%s)\n", c.Index, p.Name, killed)
			} else {
				console("[core %d %s] exited status %d\n", c.Index, p.Name, status)
			}
			if sh != nil {
				sh.programEnded(c.Index, killed == "" && status == 0)
			}
		}()
	}
}

// expectedPrograms is how many programs the cores that are up will run.
// A spanning program counts once, if its home (the lowest of its cores
// on this machine: ncores, nodeOf) is up; one whose cores this machine
// does not have counts once too, as the bootstrap core's failure.
func expectedPrograms(progs []program, up []int, ncores int, nodeOf func(int) int) int {
	n := 0
	for _, pr := range progs {
		if pr.monitor {
			continue
		}
		if pr.core == -1 {
			n += len(up)
			continue
		}
		home := pr.core
		if pr.core == -2 {
			home = 0 // the bootstrap core reports a span it cannot resolve
			if set, err := pr.spanCores(nodeOf, ncores); err == nil {
				home = set.Lowest()
			}
		}
		for _, c := range up {
			if c == home {
				n++
			}
		}
	}
	return n
}

// spanCores resolves the cores of a spanning program on this machine.
func (p program) spanCores(nodeOf func(int) int, ncores int) (spanset.CoreSet, error) {
	return spanset.ParseCores(p.span, nodeOf, ncores)
}
