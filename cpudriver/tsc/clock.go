package tsc

import "math/bits"

// Line maps a core's TSC to nanoseconds since the bootstrap core's time
// zero: ns = (tsc - Base) * Mult / 2^32, a 128-bit product (what ring0's
// nanotime and the vDSO compute).
type Line struct {
	Base uint64 // TSC at time zero of this line
	Mult uint64 // nanoseconds per cycle, times 2^32
}

// MultFor returns Mult for a TSC rate (0 for no rate).
//
//go:nosplit
func MultFor(hz uint64) uint64 {
	if hz == 0 {
		return 0
	}
	return MulDiv(1<<32, 1000000000, hz)
}

// Ns returns the line's time at TSC reading t.
//
//go:nosplit
func (l Line) Ns(t uint64) int64 {
	hi, lo := bits.Mul64(t-l.Base, l.Mult)
	return int64(hi<<32 | lo>>32)
}

// At returns the line of slope mult that reads ns at TSC reading t, or
// the smallest time above it the slope allows: never less than ns, by at
// most one cycle's worth.
//
//go:nosplit
func At(t uint64, ns int64, mult uint64) Line {
	if ns < 0 {
		ns = 0
	}
	if mult == 0 {
		mult = 1 << 32 // no rate: one nanosecond per cycle rather than a stopped clock
	}
	// d = ceil(ns * 2^32 / mult) cycles before t.
	hi, lo := uint64(ns)>>32, uint64(ns)<<32
	if hi >= mult {
		return Line{Base: 0, Mult: mult}
	}
	q, r := bits.Div64(hi, lo, mult)
	if r != 0 {
		q++
	}
	return Line{Base: t - q, Mult: mult}
}

// PMHz is the ACPI power-management timer's rate (ACPI 6.5, 4.8.3.3).
const PMHz = 3579545

// Elapsed returns the time, in ns, at which a reference counter of rate
// refHz and mask (2^bits - 1) reads now, given that it read zero at time
// zero: (now - zero) & mask ticks plus as many whole wraps as bring the
// result nearest coarse, an estimate of that time good to better than
// half a wrap (4.69 s / 2 for the 24-bit PM timer).
//
//go:nosplit
func Elapsed(zero, now, mask uint32, refHz uint64, coarse int64) int64 {
	if refHz == 0 {
		return 0
	}
	ticks := Delta(zero, now, mask)
	wrap := uint64(mask) + 1
	if coarse > 0 {
		c := MulDiv(uint64(coarse), refHz, 1000000000)
		if c > ticks {
			k := (c - ticks + wrap/2) / wrap
			ticks += k * wrap
		}
	}
	return int64(MulDiv(ticks, 1000000000, refHz))
}

// ZeroFor returns the reference reading at time zero, given that it read
// ref at time ns.
//
//go:nosplit
func ZeroFor(ref uint32, ns int64, mask uint32, refHz uint64) uint32 {
	if ns < 0 {
		ns = 0
	}
	return (ref - uint32(MulDiv(uint64(ns), refHz, 1000000000))) & mask
}
