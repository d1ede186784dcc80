package ring0

// I/O APIC (Intel 82093AA datasheet, 3.0): two memory-mapped registers,
// an index at +0x00 and a window at +0x10, reached through the direct
// map. Redirection entry i is the register pair 0x10+2i (low) and
// 0x11+2i (high).
//
// Only the bootstrap core routes pins (device capabilities live there
// and IRQ capabilities do not travel), so the index/window pairs need
// no lock across cores; on that core the caller orders them (package
// proc's ioapicMu).

const (
	ioapicIndex  = 0x00
	ioapicWindow = 0x10
	ioapicVer    = 0x01
	ioapicRedir  = 0x10

	redirMasked    = 1 << 16
	redirLevel     = 1 << 15
	redirActiveLow = 1 << 13
)

// ioapicRead returns register reg of the I/O APIC at physical address
// base.
func ioapicRead(base uint64, reg uint32) uint32 {
	*(*uint32)(at(DirectMap + uintptr(base) + ioapicIndex)) = reg
	return *(*uint32)(at(DirectMap + uintptr(base) + ioapicWindow))
}

// ioapicWrite sets register reg of the I/O APIC at base to v.
func ioapicWrite(base uint64, reg, v uint32) {
	*(*uint32)(at(DirectMap + uintptr(base) + ioapicIndex)) = reg
	*(*uint32)(at(DirectMap + uintptr(base) + ioapicWindow)) = v
}

// IOAPICPins returns the number of redirection entries of the I/O APIC
// at base.
func IOAPICPins(base uint64) int {
	return int(ioapicRead(base, ioapicVer)>>16&0xFF) + 1
}

// IOAPICRoute programs pin of the I/O APIC at base to raise vector on
// the core with local APIC id apic (fixed delivery, physical
// destination), with the given trigger and polarity, masked or not.
func IOAPICRoute(base uint64, pin int, vector uint8, apic uint32, level, activeLow, masked bool) {
	lo := uint32(vector)
	if level {
		lo |= redirLevel
	}
	if activeLow {
		lo |= redirActiveLow
	}
	if masked {
		lo |= redirMasked
	}
	reg := uint32(ioapicRedir + 2*pin)
	ioapicWrite(base, reg, redirMasked) // masked while it changes
	ioapicWrite(base, reg+1, apic<<24)
	ioapicWrite(base, reg, lo)
}

// IOAPICMask masks pin of the I/O APIC at base.
func IOAPICMask(base uint64, pin int) {
	reg := uint32(ioapicRedir + 2*pin)
	ioapicWrite(base, reg, ioapicRead(base, reg)|redirMasked)
}

// IOAPICUnmask unmasks pin of the I/O APIC at base.
func IOAPICUnmask(base uint64, pin int) {
	reg := uint32(ioapicRedir + 2*pin)
	ioapicWrite(base, reg, ioapicRead(base, reg)&^redirMasked)
}
