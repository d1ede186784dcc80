package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"multikernel/boot/multiboot"
	"multikernel/cpudriver/acpi"
	"multikernel/cpudriver/devices"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/native"
	"multikernel/cpudriver/ring0"
)

// coreUpBound is how long the bootstrap core waits for the others.
const coreUpBound = 60 * time.Second

// measureBound bounds core 0's monitor's boot-time work when an option
// asks it to measure before programs start (Options.MeasuresAtBoot): the
// capability race at 16 cores takes 40 s on a quiet host and minutes on
// a busy one.
const measureBound = 4 * time.Minute

// bootstrap is main on the bootstrap core.
func bootstrap() {
	start := ring0.Nanotime()
	h := ring0.LoaderHandoff()
	info, err := multiboot.Parse(physMemory{}, h.MBI)
	if err != nil {
		fail("%v", err)
	}
	for _, p := range info.Problems {
		console("cpudriver: boot information: %v\n", p)
	}
	opts, errs := parseOptions(info.Cmdline)
	for _, e := range errs {
		console("cpudriver: command line: %v (ignored)\n", e)
	}
	if opts.PowerOff {
		ring0.SetExitPort(kpi.ExitPort)
	}
	var topo *acpi.Topology
	tables, err := acpi.Parse(physMemory{})
	if opts.NoACPI {
		err = fmt.Errorf("firmware tables ignored (acpi=off)")
	}
	// The PM timer is the better clock: calibrate against it before
	// anything reports a rate or starts another core.
	pm := acpi.PMTimer{}
	if err == nil && tables.FADT != nil {
		pm = tables.FADT.PMTimer
	}
	pmOK := pm.Port != 0 && ring0.UsePMTimer(pm.Port, pm.Bits)
	cpuReport()
	if opts.Verbose {
		printMemoryMap(info)
	}
	reportPMTimer(pm, pmOK, opts.Verbose)
	var devTables *acpi.Tables // what the device capabilities come from
	if err != nil {
		console("cpudriver: ACPI: %v; running on this core alone\n", err)
		topo = &acpi.Topology{Nodes: []acpi.Node{{}}}
	} else {
		devTables = tables
		for _, p := range tables.Problems {
			console("cpudriver: ACPI: %v\n", p)
		}
		topo = tables.Topology
		if opts.Verbose {
			printACPI(tables)
		}
		if tables.MADT == nil {
			console("cpudriver: no usable MADT: running on the bootstrap core only\n")
		}
		if tables.SRAT == nil {
			console("cpudriver: no usable SRAT: one NUMA node\n")
		}
	}
	c := ring0.Core()
	node, _, _ := topo.NodeOfAPIC(c.APICID)
	ring0.SetNode(node)
	c = ring0.Core()
	console("core %d apic %d node %d up\n", c.Index, c.APICID, c.Node)
	reportClock(c, opts.Verbose)
	tracePA := startTrace(opts.Trace)

	up, missing := startAll(info, topo, opts)
	reportMemory(ring0.Core())
	for _, m := range missing {
		console("cpudriver: core %d did not come up in time; going on without it\n", m)
	}
	go watchOopses(othersThanMe, nil)
	sh := sharedAt(sharedVA)
	if sh == nil {
		sh = &sharedLayout{} // this core runs alone: the counters are its own
		sh.setStatus(0, coreUp)
	}
	publishTrace(sh, 0, tracePA)
	traced := startTraceDrain(sh, opts.Trace)
	if atomic.LoadUint32(&sh.Planned) == 0 {
		// No other core was planned (no room, no MADT, acpi=off): the
		// monitor still learns about its own core.
		c := ring0.Core()
		publishCores(sh, []uint32{c.APICID}, []int{c.Node}, nil, nil, nil)
	}
	progs := corePrograms()
	cores := upCores(sh, up+len(missing))
	native.Facts = factsText(gatherFacts(topo, coreFacts(sh, cores)))
	monitors := 0
	meshDone := make(chan struct{})
	var meshOnce sync.Once
	monitorsWanted := startMonitor(progs, sh, opts, func() { meshOnce.Do(func() { close(meshDone) }) })
	if err := devices.Init(deviceLayout(info, devTables)); err != nil {
		console("cpudriver: device capabilities: %v\n", err)
	}
	if monitorsWanted {
		monitors = waitMonitors(sh, cores, opts)
	} else {
		console("cpudriver: no monitor module: running without monitors\n")
	}
	console("multikernel: %d cores up on %d NUMA nodes, %d monitors (%d ms)\n", up, len(topo.Nodes), monitors, (ring0.Nanotime()-start)/1e6)
	// The CPU drivers' mesh is checked beside the boot, not before the
	// programs start: nothing at boot needs it yet, and its pings
	// finish meanwhile (kmesh-bench waits for it).
	kmeshChecked := make(chan bool, 1)
	go func() { kmeshChecked <- reportKmesh(sh, cores) }()
	var kmeshOK bool
	// Programs start once the system is up, on every core at once.
	meshOK := !monitorsWanted || monitors == 0 || waitMesh(meshDone, opts)
	if opts.KmeshBench {
		kmeshOK = <-kmeshChecked
		kmeshChecked <- kmeshOK
		kmeshBench(sh, cores)
	}
	reportIdle(sh)
	sh.setBooted()
	console("multikernel: ready in %d ms\n", (ring0.Nanotime()-start)/1e6)
	startPrograms(progs, sh)
	if opts.PowerOff {
		// Power off once every program on every core that is up has ended.
		ncores, nodeOf := spanTopology(sh)
		want := expectedPrograms(progs, cores, ncores, nodeOf)
		failed := 0
		for {
			ended, f := sh.programsEnded()
			if ended >= want {
				failed = f
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		kmeshOK = <-kmeshChecked
		code := kpi.ExitSuccess
		if !meshOK || !kmeshOK || len(missing) > 0 || oopsCount() > 0 || failed > 0 || (monitorsWanted && monitors < len(cores)) {
			code = kpi.ExitFailure
		}
		// Let the other cores finish their lines, and a core that faults
		// right after coming up (fault=N) publish its oops.
		waitReady(sh, cores[1:], 5*time.Second)
		time.Sleep(50 * time.Millisecond)
		reportOopses(othersThanMe)
		if opts.Verbose {
			reportResyncs(ring0.Core())
		}
		if oopsCount() > 0 {
			code = kpi.ExitFailure
		}
		if opts.FaultCore == 0 {
			deliberateFault()
		}
		traced.finish()
		ring0.Outb(kpi.ExitPort, uint8(code))
	}
	if opts.FaultCore == 0 {
		deliberateFault()
	}
	idleForever()
}

// waitMesh waits (within the bound for the cores) until core 0's monitor
// finished its boot-time work: connecting to the other monitors, measuring
// round trips, and what the urpc-* options ask for.
func waitMesh(done <-chan struct{}, opts Options) bool {
	bound := coreUpBound
	if opts.MeasuresAtBoot() {
		bound = measureBound
	}
	if opts.UpWait > 0 {
		bound = time.Duration(opts.UpWait) * time.Millisecond
	}
	select {
	case <-done:
		return true
	case <-time.After(bound):
		console("cpudriver: the monitor of core 0 did not finish booting in %v\n", bound)
		return false
	}
}

// cpuReport prints the CPU's vendor, family and model, the features the
// CPU driver relies on (the loader already refused a CPU without them) and
// the ones it notes but does not use.
func cpuReport() {
	_, b, c, d := ring0.CPUID(0, 0)
	vendor := string([]byte{byte(b), byte(b >> 8), byte(b >> 16), byte(b >> 24), byte(d), byte(d >> 8), byte(d >> 16), byte(d >> 24), byte(c), byte(c >> 8), byte(c >> 16), byte(c >> 24)})
	a, _, c1, d1 := ring0.CPUID(1, 0)
	fam := a >> 8 & 0xf
	model := a >> 4 & 0xf
	if fam == 0xf {
		fam += a >> 20 & 0xff
		model |= (a >> 16 & 0xf) << 4
	}
	_, _, _, d81 := ring0.CPUID(0x80000001, 0)
	_, _, _, d87 := ring0.CPUID(0x80000007, 0)
	console("cpudriver: CPU %s family %#x model %#x stepping %d, TSC %d MHz\n", vendor, fam, model, a&0xf, ring0.Core().TSCHz/1e6)
	console("cpudriver: CPU features used: %s\n", cpuFeatures([]feature{
		{"fpu", d1, 0}, {"tsc", d1, 4}, {"msr", d1, 5}, {"pae", d1, 6}, {"cx8", d1, 8},
		{"apic", d1, 9}, {"cmov", d1, 15}, {"fxsr", d1, 24}, {"sse", d1, 25}, {"sse2", d1, 26},
		{"lm", d81, 29}, {"nx", d81, 20}, {"syscall", d81, 11},
	}))
	console("cpudriver: CPU features not relied on: %s\n", cpuFeatures([]feature{
		{"sse3", c1, 0}, {"ssse3", c1, 9}, {"sse4.1", c1, 19}, {"sse4.2", c1, 20}, {"x2apic", c1, 21},
		{"avx", c1, 28}, {"invariant-tsc", d87, 8},
	}))
}

// feature is one CPUID bit.
type feature struct {
	name string
	reg  uint32
	bit  uint
}

// cpuFeatures lists each feature as its name, or "-name" when absent.
func cpuFeatures(fs []feature) string {
	s := ""
	for i, f := range fs {
		if i > 0 {
			s += " "
		}
		if f.reg&(1<<f.bit) == 0 {
			s += "-"
		}
		s += f.name
	}
	return s
}

// startAll plans and starts every other core and returns how many cores
// are up (this one included) and the indexes of those that are not.
func startAll(info *multiboot.Info, topo *acpi.Topology, opts Options) (int, []int) {
	bsp := ring0.Core()
	free := nodeFree(info, topo, ring0.BSPInitialEnd())
	// The shared region comes first, from the bootstrap core's node.
	shPA, rest, ok := carveContig(free[bsp.Node], uint64(sharedSize))
	if !ok {
		console("cpudriver: not enough memory on node %d for the shared region (%d KiB): running on the bootstrap core alone\n", bsp.Node, sharedSize>>10)
		return 1, nil
	}
	free[bsp.Node] = rest
	clear(physBytes(shPA, int(sharedSize)))
	shVA := ring0.DirectMap + uintptr(shPA)
	ring0.SetShared(shVA)
	sharedVA = shVA
	sh := sharedAt(shVA)
	sh.setStatus(0, coreUp)
	ring0.SetOopsSlot(uintptrOf(&sh.Oops[0]))

	mod := info.Modules[0]
	h := ring0.LoaderHandoff()
	k, err := loadKernelImage(physBytes(mod.Start, int(mod.Size())), h.KPBase, h.KVBase)
	if err != nil {
		console("cpudriver: %v: running on the bootstrap core alone\n", err)
		return 1, nil
	}
	if rest, err := switchTables(k, free[bsp.Node]); err != nil {
		console("cpudriver: own page tables for core 0: %v; keeping the loader's\n", err)
	} else {
		free[bsp.Node] = rest
	}

	var plans []apPlan
	perNode := make([]int, len(topo.Nodes))
	for _, cpu := range topo.CPUs {
		perNode[cpu.Node]++
	}
	for _, cpu := range topo.CPUs {
		if cpu.APICID == bsp.APICID {
			continue
		}
		idx := len(plans) + 1
		if idx >= maxCores || (opts.MaxCores > 0 && idx >= opts.MaxCores) {
			break
		}
		plans = append(plans, apPlan{index: idx, apic: cpu.APICID, node: cpu.Node})
	}
	// The monitors' channel frames, then the CPU drivers' (the same
	// plan, a second set), come before the cores' shares.
	apics, nodes := []uint32{bsp.APICID}, []int{bsp.Node}
	for _, a := range plans {
		apics, nodes = append(apics, a.apic), append(nodes, a.node)
	}
	chans, free, err := planChannels(nodes, free)
	if err != nil {
		console("cpudriver: %v: the monitors will not be connected\n", err)
		chans = nil
	}
	kchans, free, err := planChannels(nodes, free)
	if err != nil {
		console("cpudriver: %v: the CPU drivers' mesh (kmesh) will not be connected\n", err)
		kchans = nil
	}
	var dist func(a, b int) int
	if topo != nil && len(topo.Nodes) > 0 {
		dist = topo.Distance
	}
	publishCores(sh, apics, nodes, chans, kchans, dist)
	publishNodeMemory(sh, topo)
	free = planCapMemory(sh, nodes, free)
	// Each core of a node gets an equal share of the node's free memory.
	for n := range free {
		if perNode[n] == 0 {
			perNode[n] = 1
		}
		share := total(free[n]) / uint64(perNode[n]) &^ 4095
		for i := range plans {
			if plans[i].node == n {
				plans[i].memory, free[n] = carve(free[n], share)
			}
		}
	}
	for _, s := range free[bsp.Node] {
		ring0.AddMemory(s.base, s.end)
	}
	if opts.Verbose {
		printPlans(plans)
	}
	if len(plans) == 0 {
		return 1, nil
	}
	args := ring0.AllocPage()
	copy(physBytes(args, 4095), info.Cmdline)
	var entries [][2]uint64
	var built []apPlan
	for _, a := range plans {
		cr3, params, err := buildCore(a, k, shVA, uint64(ring0.DirectMap)+args)
		if err != nil {
			console("cpudriver: %v; core %d not started\n", err, a.index)
			continue
		}
		entries = append(entries, [2]uint64{cr3, params})
		built = append(built, a)
	}
	bound := coreUpBound
	if opts.UpWait > 0 {
		bound = time.Duration(opts.UpWait) * time.Millisecond
	}
	missing := startCores(built, entries, sh, bound)
	atomic.StoreUint32(&sh.StartDone, 1)
	return 1 + len(built) - len(missing), missing
}

func uintptrOf(r *ring0.OopsRecord) uintptr { return uintptr(unsafePointer(r)) }

// waitMonitors waits (within the same bound as for the cores) until the
// monitor of every core that is up has reported, names those that did
// not, and returns how many did.
func waitMonitors(sh *sharedLayout, cores []int, opts Options) int {
	bound := coreUpBound
	if opts.UpWait > 0 {
		bound = time.Duration(opts.UpWait) * time.Millisecond
	}
	deadline := time.Now().Add(bound)
	for {
		n, dead := 0, 0
		for _, c := range cores {
			switch {
			case sh.monitor(c) == monitorIsUp:
				n++
			case sh.monitor(c) == monitorFailed, atomic.LoadUint32(&sh.Oops[c].State) == 1:
				dead++ // it failed, or its core died: it will not come up
			}
		}
		if n+dead == len(cores) || time.Now().After(deadline) {
			for _, c := range cores {
				if sh.monitor(c) != monitorIsUp {
					console("cpudriver: the monitor of core %d is not up\n", c)
				}
			}
			return n
		}
		time.Sleep(2 * time.Millisecond)
	}
}
