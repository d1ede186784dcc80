package ring0

// Local APIC (xAPIC, memory-mapped; Intel SDM vol. 3, 10.4-10.5; the
// Opteron family 10h has no x2APIC). Each core reaches its own LAPIC at the
// same physical address through the direct map.

const (
	lapicID       = 0x020
	lapicEOIReg   = 0x0B0
	lapicSVR      = 0x0F0
	lapicICRLow   = 0x300
	lapicICRHigh  = 0x310
	lapicLVTTimer = 0x320
	lapicTimerIC  = 0x380
	lapicTimerCC  = 0x390
	lapicTimerDiv = 0x3E0

	// TimerVector is the LAPIC timer's interrupt vector.
	TimerVector    = 0x20
	spuriousVector = 0xFF
)

var (
	lapicBase     uintptr // virtual address of this core's LAPIC registers
	lapicEOI      uintptr // lapicBase + lapicEOIReg, read by irqEntry
	lapicTicksPer uint64  // LAPIC timer ticks per 2^32 ns (divide by 16)
	irqCount      uint64  // interrupts taken (irqEntry)
)

//go:nosplit
func lapicReg(off uintptr) *uint32 {
	return (*uint32)(at(lapicBase + off))
}

// setupLAPIC enables this core's LAPIC (software enable, spurious vector)
// with the timer masked.
//
//go:nosplit
func setupLAPIC() {
	base := rdmsr(msrAPICBase)
	wrmsr(msrAPICBase, base|1<<11) // global enable
	lapicBase = DirectMap + uintptr(base&0xFFFFF000)
	lapicEOI = lapicBase + lapicEOIReg
	*lapicReg(lapicSVR) = 0x100 | spuriousVector
	*lapicReg(lapicTimerDiv) = 0x3 // divide by 16
	*lapicReg(lapicLVTTimer) = 1<<16 | TimerVector
}

// calibrateLAPIC measures the LAPIC timer rate against the TSC over 5 ms.
//
//go:nosplit
func calibrateLAPIC() uint64 {
	*lapicReg(lapicTimerIC) = 0xFFFFFFFF
	start := nanotime()
	for nanotime()-start < 5000000 {
	}
	elapsed := uint64(nanotime() - start)
	ticks := uint64(0xFFFFFFFF - *lapicReg(lapicTimerCC))
	*lapicReg(lapicTimerIC) = 0
	if elapsed == 0 {
		return 0
	}
	return (ticks << 32) / elapsed
}

// armTimer makes the LAPIC timer fire once after ns nanoseconds (at least
// one tick), or after 2^31 ns for a longer time: the caller, woken early,
// arms it again. (The longest count the timer takes, 2^32 ticks, is over a
// minute at QEMU's rate: a deadline beyond it must not wait for that.)
//
//go:nosplit
func armTimer(ns int64) {
	if ns < 1000 {
		ns = 1000
	}
	if ns > 1<<31 {
		ns = 1 << 31
	}
	ticks := (uint64(ns) * lapicTicksPer) >> 32
	if ticks > 0xFFFFFFFF {
		ticks = 0xFFFFFFFF
	}
	if ticks == 0 {
		ticks = 1
	}
	*lapicReg(lapicLVTTimer) = TimerVector // one-shot, unmasked
	*lapicReg(lapicTimerIC) = uint32(ticks)
}

// SendIPI writes the interrupt command register: icrLow is the command
// (vector, delivery mode, level, shorthand), dest the destination APIC id.
// It waits for the previous IPI to be sent first.
func SendIPI(dest uint32, icrLow uint32) {
	for i := 0; i < 1000000 && *lapicReg(lapicICRLow)&(1<<12) != 0; i++ {
		pause()
	}
	*lapicReg(lapicICRHigh) = dest << 24
	*lapicReg(lapicICRLow) = icrLow
}
