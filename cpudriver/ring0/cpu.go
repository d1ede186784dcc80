package ring0

import "unsafe"

// Bodies in cpu_amd64.s.

func outb(port uint16, v uint8)
func inb(port uint16) uint8
func rdmsr(msr uint32) uint64
func wrmsr(msr uint32, v uint64)
func cpuid(leaf, sub uint32) (a, b, c, d uint32)
func rdtsc() uint64
func lgdt(desc uintptr)
func lidt(desc uintptr)
func ltr(sel uint16)
func reloadSegments()
func readCR2() uint64
func readCR3() uint64
func writeCR3(v uint64)
func invlpg(va uintptr)
func haltOnce()
func haltForever()
func pause()
func fillZero(p uintptr, n uintptr)
func copyBytes(dst, src, n uintptr)

// Model-specific registers (AMD64 APM vol. 2, appendix A).
const (
	msrEFER     = 0xC0000080
	msrSTAR     = 0xC0000081
	msrLSTAR    = 0xC0000082
	msrFMASK    = 0xC0000084
	msrFSBase   = 0xC0000100
	msrTSCAux   = 0xC0000103
	msrAPICBase = 0x1B

	eferSCE = 1 << 0
)

// Exported wrappers for package cpudriver (ordinary Go, runtime up).

// Outb writes v to I/O port port.
func Outb(port uint16, v uint8) { outb(port, v) }

// CPUID executes CPUID with the given leaf and subleaf.
func CPUID(leaf, sub uint32) (a, b, c, d uint32) { return cpuid(leaf, sub) }

// Rdtsc reads the time-stamp counter.
func Rdtsc() uint64 { return rdtsc() }

// at converts an address (in the direct map, the kernel image or the heap)
// to a pointer.
//
//go:nosplit
func at(a uintptr) unsafe.Pointer { return unsafe.Add(unsafe.Pointer(nil), a) }

// PhysBytes returns the n bytes at physical address pa as a slice of the
// direct map (ordinary Go, runtime up).
func PhysBytes(pa uint64, n int) []byte {
	return unsafe.Slice((*byte)(at(DirectMap+uintptr(pa))), n)
}

// PhysWords returns the 4 KiB page at physical address pa as 512 words.
func PhysWords(pa uint64) *[512]uint64 {
	return (*[512]uint64)(at(DirectMap + uintptr(pa)))
}
