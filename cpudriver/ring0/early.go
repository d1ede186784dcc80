package ring0

import "unsafe"

// Handoff mirrors the loader's handoff block (boot/loader.inc, HO_*).
type Handoff struct {
	Magic     uint64
	MBI       uint64 // physical address of the Multiboot information
	KPBase    uint64 // physical address of the CPU driver image
	KVBase    uint64 // its virtual address
	KSize     uint64 // its size (2 MiB multiple)
	Tramp     uint64 // physical address of the AP trampoline code
	TrampSize uint64
	PhysGiB   uint64 // GiB covered by the direct map
	Loader    uint64 // physical extent of the loader
	LoaderEnd uint64
	PML4      uint64
	NX        uint64
}

// HandoffMagic is "MKLOADR1".
const HandoffMagic = 0x315244414f4c4b4d

// CoreParams is what the bootstrap core leaves for an application core it
// starts; the trampoline passes its address in RDI.
type CoreParams struct {
	Magic   uint64 // CoreParamsMagic
	Index   uint64
	APICID  uint64
	Node    uint64
	TSCHz   uint64
	LAPICHz uint64 // lapicTicksPer
	EpochNs int64  // CLOCK_REALTIME when this core's TSC read TSCBase
	TSCBase uint64
	PhysGiB uint64
	NX      uint64
	Shared  uint64 // virtual address of the shared area
	Oops    uint64 // virtual address of this core's OopsRecord
	Ranges  [8][2]uint64
	NRanges uint64
	Args    uint64 // virtual address of a NUL-terminated command line
	// BootBytes is the memory the bootstrap core took from this core's
	// share to build it (writable-segment copy, page tables, this block).
	BootBytes uint64
	// MBI is the physical address of the Multiboot information, which
	// every core may read (never write) to find the programs it runs.
	MBI uint64
	// PMPort is the ACPI PM timer's I/O port (0: none; the core then
	// keeps TSCHz and TSCBase), PMMask its counter's mask and PMZero its
	// reading at the bootstrap core's time zero.
	PMPort, PMMask, PMZero uint64
	// NowNs is the bootstrap core's clock, which it rewrites (atomically)
	// every few milliseconds until the core is up: the coarse time that
	// tells how often a 24-bit PM timer has wrapped since time zero.
	NowNs int64
}

// CoreParamsMagic is "MKCOREP1".
const CoreParamsMagic = 0x3150455243524b4d

var (
	handoff    *Handoff // bootstrap core only; set before the runtime starts
	bspInitEnd uint64   // end of the memory the bootstrap core's pool began with
)

// bspInitialPool is how much memory the bootstrap core's pool starts with,
// before ACPI tells it which memory is node-local.
const bspInitialPool = 16 << 20

// earlyInit runs once per core on the system stack, before the runtime:
// descriptor tables, SYSCALL, LAPIC, clock, memory pool, and the start-up
// stack for the runtime's thread 0.
//
//go:nosplit
func earlyInit() {
	arg := bootArg
	if arg < 1<<47 {
		arg += DirectMap // the loader passes a physical address
	}
	kernCR3 = readCR3()
	pool.DirectMap = DirectMap
	setupDescriptors()
	setupSyscall()
	// Drop the identity map the loader and the trampoline needed to reach
	// the kernel (after the GDT in low memory is no longer in use): the
	// lower half belongs to user programs, and a nil pointer in the CPU
	// driver must fault.
	*u64at(DirectMap + uintptr(kernCR3&^0xfff)) = 0
	writeCR3(kernCR3)
	initFds()
	heapNext = heapBase
	magic := *u64at(arg)
	switch magic {
	case HandoffMagic:
		earlyBSP((*Handoff)(at(arg)))
	case CoreParamsMagic:
		earlyAP((*CoreParams)(at(arg)))
	default:
		kprint("cpudriver: bad boot argument (neither loader handoff nor core parameters); halting\n")
		haltForever()
	}
	ensureHeapTable()
	setCurrent(0)
	threads[0].state = thRunnable
	threads[0].frame.FS = loadedFS
	buildStartStack()
}

//go:nosplit
func earlyBSP(h *Handoff) {
	handoff = h
	mbiAddr = h.MBI
	core = CoreInfo{Index: 0, BSP: true}
	setTSCAux()
	bootBytes = dataSegmentSize() + (h.LoaderEnd - h.Loader)
	physGiB = h.PhysGiB
	if h.NX != 0 {
		nxBit = 1
	}
	maskPIC()
	setupLAPIC()
	core.APICID = *lapicReg(lapicID) >> 24
	hz := calibratePIT()
	base := rdtsc()
	setClock(hz, base, readCMOS()*1000000000)
	clockSource = ClockPIT
	lapicTicksPer = calibrateLAPIC()
	core.TSCHz = tscHz
	// The pool starts with up to bspInitialPool bytes of available memory
	// above the CPU driver image (the loader placed the image above every
	// module and boot structure).
	low := h.KPBase + h.KSize
	mbi := DirectMap + uintptr(h.MBI)
	if *u32at(mbi)&(1<<6) == 0 {
		kprint("cpudriver: no memory map from the boot loader; halting\n")
		haltForever()
	}
	mmapLen := uintptr(*u32at(mbi + 44))
	mmapAddr := DirectMap + uintptr(*u32at(mbi + 48))
	want := uint64(bspInitialPool)
	for p := mmapAddr; p+24 <= mmapAddr+mmapLen && want > 0; p += uintptr(*u32at(p)) + 4 {
		if *u32at(p + 20) != 1 {
			continue
		}
		b, e := *u64at(p + 4), *u64at(p + 4)+*u64at(p + 12)
		if e <= low {
			continue
		}
		if b < low {
			b = low
		}
		if e-b > want {
			e = b + want
		}
		if e > b {
			pool.AddRange(b, e)
			want -= e - b
			if e > bspInitEnd {
				bspInitEnd = e
			}
		}
		if *u32at(p) == 0 {
			break
		}
	}
}

//go:nosplit
func earlyAP(p *CoreParams) {
	core = CoreInfo{Index: int(p.Index), APICID: uint32(p.APICID), Node: int(p.Node)}
	setTSCAux()
	physGiB = p.PhysGiB
	nxBit = p.NX
	shared = uintptr(p.Shared)
	oopsSlot = uintptr(p.Oops)
	clockAP(p)
	core.TSCHz = tscHz
	lapicTicksPer = p.LAPICHz
	setupLAPIC()
	for i := uint64(0); i < p.NRanges && i < 8; i++ {
		pool.AddRange(p.Ranges[i][0], p.Ranges[i][1])
	}
	apArgs = uintptr(p.Args)
	bootBytes = p.BootBytes
	mbiAddr = p.MBI
}

// bootBytes is the private memory this core uses outside its pool: for an
// application core what the bootstrap core built for it, for the
// bootstrap core its writable segment and the loader's page tables.
var bootBytes uint64

// BootBytes returns the private memory this core uses outside its pool.
func BootBytes() uint64 { return bootBytes }

// mbiAddr is the physical address of the Multiboot information.
var mbiAddr uint64

// MBIAddr returns the physical address of the Multiboot information.
func MBIAddr() uint64 { return mbiAddr }

// apArgs is the command line handed to an application core.
var apArgs uintptr

// Handoff returns the loader's handoff block (bootstrap core only).
func LoaderHandoff() *Handoff { return handoff }

// BSPInitialEnd returns the end of the memory the bootstrap core's pool was
// seeded with before the runtime started.
func BSPInitialEnd() uint64 { return bspInitEnd }

// buildStartStack lays out what a Linux kernel gives a new process at the
// top of bootStack (System V AMD64 ABI, 3.4.1): argc, argv, NULL, envp,
// NULL, auxv pairs ending with AT_NULL; strings and AT_RANDOM bytes above.
//
//go:nosplit
func buildStartStack() {
	top := uintptr(unsafe.Pointer(&bootStack)) + bootStackSize
	strs := top - 256
	argv0 := strs
	putString(argv0, "cpudriver\x00")
	env0 := strs + 16
	putString(env0, "GOMAXPROCS=1\x00")
	rnd := strs + 64
	t := rdtsc()
	*u64at(rnd) = t * 0x9E3779B97F4A7C15
	*u64at(rnd + 8) = (t ^ uint64(core.APICID)<<32) * 0xC2B2AE3D27D4EB4F
	sp := strs - 256
	words := [...]uint64{
		1, uint64(argv0), 0, // argc, argv, NULL
		uint64(env0), 0, // envp, NULL
		6, pageSize, // AT_PAGESZ
		25, uint64(rnd), // AT_RANDOM
		16, hwcap(), // AT_HWCAP
		0, 0, // AT_NULL
	}
	for i, w := range words {
		*u64at(sp + uintptr(i)*8) = w
	}
	startSP = sp
}

//go:nosplit
func putString(p uintptr, s string) {
	for i := 0; i < len(s); i++ {
		*(*byte)(at(p + uintptr(i))) = s[i]
	}
}

//go:nosplit
func hwcap() uint64 {
	_, _, _, d := cpuid(1, 0)
	return uint64(d)
}

// kentryAddr returns the address of kentry (entry_amd64.s).
func kentryAddr() uintptr

// KentryAddr is where application cores enter the CPU driver.
func KentryAddr() uint64 { return uint64(kentryAddr()) }

// CoreArgs returns the command line the bootstrap core handed this core.
func CoreArgs() string {
	if apArgs == 0 {
		return ""
	}
	var b []byte
	for i := uintptr(0); i < 4096; i++ {
		c := *(*byte)(at(apArgs + i))
		if c == 0 {
			break
		}
		b = append(b, c)
	}
	return string(b)
}

// AllocPage takes a zeroed page from this core's pool (0 when empty).
func AllocPage() uint64 {
	pa, _ := pool.AllocZeroed()
	checkPoolLow()
	return pa
}

// FreePage returns a page AllocPage gave to this core's pool.
func FreePage(pa uint64) { pool.Free(pa) }

// LAPICRate is the LAPIC timer calibration handed to other cores.
func LAPICRate() uint64 { return lapicTicksPer }

// ClockBase returns this core's time base: the TSC frequency, the TSC
// reading at time zero and the real time then. Other cores take the real
// time, and the rest when there is no PM timer to calibrate against, so
// that CLOCK_MONOTONIC and CLOCK_REALTIME agree across cores.
func ClockBase() (hz, base uint64, epoch int64) { return tscHz, tscBase, epochNs }

// PhysGiB is how many GiB of physical memory the direct map covers.
func PhysGiB() uint64 { return physGiB }

// NX reports whether the CPU has no-execute pages.
func NX() bool { return nxBit != 0 }

// maskPIC remaps the legacy 8259 PICs away from the exception vectors
// (to 0xE0-0xEF) and masks every line: interrupts come through the LAPIC
// (8259A datasheet, ICW1-ICW4).
//
//go:nosplit
func maskPIC() {
	outb(0x20, 0x11)
	outb(0xA0, 0x11)
	outb(0x21, 0xE0)
	outb(0xA1, 0xE8)
	outb(0x21, 4)
	outb(0xA1, 2)
	outb(0x21, 1)
	outb(0xA1, 1)
	outb(0x21, 0xFF)
	outb(0xA1, 0xFF)
}

// dataSegmentSize returns the size of the CPU driver's writable segment
// (.data through .bss) from the linker's symbols.
//
//go:nosplit
func dataSegmentSize() uint64 { return uint64(dataEnd() - dataStart()) }

// dataStart and dataEnd return runtime.data and runtime.end (asm).
func dataStart() uintptr
func dataEnd() uintptr

// AdoptTables makes root (built like an application core's tables, with
// this core's writable segment at its current physical pages) this core's
// page tables, carrying over the runtime's heap mappings (the PML4 entries
// of the heap window). Nothing between the copy and the switch touches the
// heap window, so no fault can add a mapping to the old tables meanwhile.
func AdoptTables(root uint64) {
	old := (*[512]uint64)(at(DirectMap + uintptr(kernCR3&^0xfff)))
	neu := (*[512]uint64)(at(DirectMap + uintptr(root)))
	neu[(heapBase>>39)&511] = old[(heapBase>>39)&511]
	kernCR3 = root
	writeCR3(root)
}

// ensureHeapTable gives the heap window's PML4 slot its PDPT now, so that
// the kernel half of the root never changes afterwards.
//
//go:nosplit
func ensureHeapTable() {
	e := u64at(DirectMap + uintptr(kernCR3&^0xfff) + uintptr((heapBase>>39)&511)*8)
	if *e&1 != 0 {
		return
	}
	pa, ok := pool.AllocZeroed()
	if !ok {
		kprint("cpudriver: no memory for the heap's page table; halting\n")
		haltForever()
	}
	*e = pa | 3
}
