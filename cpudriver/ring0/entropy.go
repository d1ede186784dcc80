package ring0

// Entropy sources for the CPU driver's random generator (package proc,
// random.go): RDRAND where CPUID has it, and the phase between the TSC
// and the 8254 PIT, which run from different oscillators (the PIT from its
// own 1.193182 MHz crystal, the TSC from the CPU's clock; under QEMU the
// PIT follows the host's clock). Reading PIT channel 0 has no effect on
// anything else: the firmware left it counting and nothing here uses it.

func rdrand() (v uint64, ok bool)

// HasRDRAND reports whether the CPU has RDRAND (CPUID Fn0000_0001_ECX[30]).
func HasRDRAND() bool {
	_, _, c, _ := cpuid(1, 0)
	return c&(1<<30) != 0
}

// Rdrand returns a 64-bit value from the CPU's random number generator,
// retrying as Intel's DRNG guide advises; ok is false if the CPU has none
// or it gave nothing ten times.
func Rdrand() (v uint64, ok bool) {
	if !HasRDRAND() {
		return 0, false
	}
	for range 10 {
		if v, ok = rdrand(); ok {
			return v, true
		}
	}
	return 0, false
}

// PITJitter returns n words, each the TSC read right after latching and
// reading PIT channel 0's count, combined with that count: the two
// clocks' phase, whose low bits vary from read to read.
func PITJitter(n int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		outb(0x43, 0x00) // latch channel 0's count
		lo := uint64(inb(0x40))
		hi := uint64(inb(0x40))
		out[i] = rdtsc()<<16 ^ hi<<8 ^ lo
	}
	return out
}
