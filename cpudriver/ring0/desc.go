package ring0

import "unsafe"

// Segment selectors (the GDT below). The user selectors follow the order
// SYSRET requires (AMD64 APM vol. 3, SYSRET: CS = STAR[63:48]+16,
// SS = STAR[63:48]+8).
const (
	selKernelCode = 0x08
	selKernelData = 0x10
	selUserCode32 = 0x18
	selUserData   = 0x20
	selUserCode   = 0x28
	selTSS        = 0x30
)

// Descriptor tables of this core (private .bss).
var (
	gdt        [8]uint64
	tss        [26]uint32 // 104-byte 64-bit TSS (Intel SDM vol. 3, 8.7)
	idt        [256][2]uint64
	descriptor [10]byte // scratch pseudo-descriptor for LGDT/LIDT
)

//go:generate go run gen_vectors.go

// setupDescriptors loads this core's GDT (with its TSS and IST stacks) and
// IDT. Called by earlyInit before the runtime starts.
//
//go:nosplit
func setupDescriptors() {
	gdt[0] = 0
	gdt[1] = 0x00af9a000000ffff // kernel code, 64-bit
	gdt[2] = 0x00cf92000000ffff // kernel data
	gdt[3] = 0x00cffa000000ffff // user code, 32-bit (unused)
	gdt[4] = 0x00cff2000000ffff // user data
	gdt[5] = 0x00affa000000ffff // user code, 64-bit

	// TSS: RSP0 for ring-3 entries, IST1 for exceptions, IST2 for #DF.
	setTSS64(1, uint64(uintptr(unsafe.Pointer(&sysStack))+sysStackSize))
	setTSS64(9, uint64(uintptr(unsafe.Pointer(&istStack1))+istStackSize))
	setTSS64(11, uint64(uintptr(unsafe.Pointer(&istStack2))+istStackSize))
	tss[25] = 104 << 16 // I/O map base beyond the limit: no I/O bitmap
	base := uint64(uintptr(unsafe.Pointer(&tss)))
	limit := uint64(104 - 1)
	gdt[6] = limit&0xffff | (base&0xffffff)<<16 | 0x89<<40 | (base>>24&0xff)<<56
	gdt[7] = base >> 32

	loadDescriptor(uintptr(unsafe.Pointer(&gdt)), len(gdt)*8)
	lgdt(uintptr(unsafe.Pointer(&descriptor)))
	reloadSegments()
	ltr(selTSS)

	vectors := vectorTableAddr()
	for v := 0; v < 256; v++ {
		ist := uint64(0)
		if v < 32 {
			ist = 1
		}
		if v == 8 {
			ist = 2
		}
		setGate(v, uint64(*(*uintptr)(at(vectors + uintptr(v)*8))), ist)
	}
	loadDescriptor(uintptr(unsafe.Pointer(&idt)), len(idt)*16)
	lidt(uintptr(unsafe.Pointer(&descriptor)))
}

//go:nosplit
func setTSS64(i int, v uint64) {
	tss[i&31%26] = uint32(v)
	tss[(i+1)&31%26] = uint32(v >> 32)
}

// setGate fills IDT entry v with a ring-0 interrupt gate to handler.
//
//go:nosplit
func setGate(v int, handler uint64, ist uint64) {
	lo := handler&0xffff | selKernelCode<<16 | ist<<32 | 0x8e<<40 | (handler>>16&0xffff)<<48
	idt[v&255][0] = lo
	idt[v&255][1] = handler >> 32
}

// loadDescriptor writes the limit/base pseudo-descriptor for LGDT/LIDT.
//
//go:nosplit
func loadDescriptor(base uintptr, size int) {
	l := uint16(size - 1)
	descriptor[0] = byte(l)
	descriptor[1] = byte(l >> 8)
	for i := 0; i < 8; i++ {
		descriptor[2+i] = byte(uint64(base) >> (8 * i))
	}
}

// setupSyscall points SYSCALL at syscallEntry (AMD64 APM vol. 2, 6.1.1).
//
//go:nosplit
func setupSyscall() {
	wrmsr(msrEFER, rdmsr(msrEFER)|eferSCE)
	wrmsr(msrSTAR, uint64(selUserCode32|3)<<48|uint64(selKernelCode)<<32)
	wrmsr(msrLSTAR, uint64(syscallEntryAddr()))
	// Clear IF, TF, DF, AC on entry.
	wrmsr(msrFMASK, 0x200|0x100|0x400|0x40000)
}

// syscallEntryAddr returns the address of syscallEntry (entry_amd64.s).
func syscallEntryAddr() uintptr

// vectorTableAddr returns the address of the table of the 256 vector stubs
// (vectors_amd64.s).
func vectorTableAddr() uintptr
