package ring0

import (
	"multikernel/cpudriver/physmem"
	"multikernel/cpudriver/vmas"
)

// Sizes of the per-core stacks.
const (
	sysStackSize  = 64 << 10  // system-call handlers and the idle loop
	bootStackSize = 256 << 10 // the runtime's g0 stack on thread 0
	istStackSize  = 32 << 10  // exceptions (IST1) and double faults (IST2)
)

// Fixed virtual layout (every core's page tables agree).
const (
	// DirectMap is where physical address 0 is mapped.
	DirectMap uintptr = 0xffff800000000000
	// heapBase and heapLimit bound the runtime's own mmap'd memory: one
	// PML4 slot (512 GiB), whose PDPT exists from earlyInit on, so that
	// the kernel half of every page-table root is fixed after boot and
	// processes can share it (user.go).
	heapBase  = 0xffffc00000000000
	heapLimit = heapBase + 1<<39
)

// Per-core state. Every variable below is in this core's private copy of
// the CPU driver's .data/.bss: owned by this core, touched only with
// interrupts off by its ring-0 code.
var (
	bootArg   uintptr // RDI at kentry
	curFrame  uintptr // &threads[cur].frame, read by entry_amd64.s
	scratchAX uint64  // AX while syscallEntry saves registers
	loadedFS  uint64  // value now in the FS_BASE MSR
	// loadedCR3 is the value now in CR3, or 0 before the first write:
	// every CR3 write goes through writeCR3 or enterUser, which set it
	// (reading CR3 is a helper call under emulation; no root is 0).
	loadedCR3  uint64
	scratchTLS [4]uint64
	startSP    uintptr // thread 0's initial stack pointer (argc)

	sysStack  [sysStackSize]byte
	bootStack [bootStackSize]byte
	istStack1 [istStackSize]byte
	istStack2 [istStackSize]byte

	trapFramePtr uintptr // the TrapFrame being handled

	// trapFPU holds the interrupted code's x87/SSE state (FXSAVE64, 16-byte
	// aligned within) while trapGo runs.
	trapFPU [512 + 16]byte

	pool     physmem.Pool // this core's free physical pages
	heap     vmas.Table   // the runtime's mmap'd areas
	kernCR3  uint64       // root of this core's page tables
	heapNext uint64       // where the next mmap without a usable hint goes

	core CoreInfo
)

// CoreInfo describes this core to package cpudriver.
type CoreInfo struct {
	Index  int    // core number, 0 for the bootstrap core
	APICID uint32 // local APIC id
	Node   int    // NUMA node of the core's memory
	BSP    bool
	TSCHz  uint64 // calibrated time-stamp counter frequency
}

// Core returns this core's description.
func Core() CoreInfo { return core }

// FreeMemory returns the bytes left in this core's physical page pool and
// the bytes ever added to it.
func FreeMemory() (free, total uint64) {
	return pool.FreePages() * physmem.PageSize, pool.TotalPages() * physmem.PageSize
}

// SetNode records this core's NUMA node once ACPI has been read.
func SetNode(n int) {
	core.Node = n
	setTSCAux()
}

// setTSCAux puts this core's number and node into IA32_TSC_AUX, which
// RDTSCP returns in ECX to any ring (AMD64 APM vol. 3, RDTSCP), as
// Linux does: node<<12 | core. A program learns its core there without
// a system call (libos/cores.Current). Nothing if the CPU lacks RDTSCP
// (CPUID 0x80000001 EDX bit 27).
//
//go:nosplit
func setTSCAux() {
	if _, _, _, d := cpuid(0x80000001, 0); d&(1<<27) != 0 {
		wrmsr(msrTSCAux, uint64(core.Node)<<12|uint64(core.Index)&0xfff)
	}
}

// TakeMemory takes up to size bytes off this core's pool for good, from
// the never-used end of its largest range, and returns them as [base,
// base+n) (n 0: none).
func TakeMemory(size uint64) (base, n uint64) {
	base, n = pool.TakeTail(size)
	checkPoolLow()
	return base, n
}

// GiveMemory gives [base, end) back to this core's pool (memory
// TakeMemory took); false if the pool has no room for another range.
func GiveMemory(base, end uint64) bool { return pool.AddRange(base, end) }
