// Package tsc is the arithmetic of the CPU driver's clock
// (docs/architecture.md, "The clock"): turning bracketed readings of the
// time-stamp counter and a reference counter (the ACPI PM timer, or PIT
// channel 2) into a TSC rate, resolving a wrapping reference counter into
// time since the bootstrap core's time zero, and re-synchronizing a core's
// TSC-to-nanoseconds line with it without the clock ever going back.
//
// It is pure, host-tested Go. Package ring0 calls it from code that runs
// before the Go runtime (an application core's early start) and with
// interrupts off, so every function here is //go:nosplit, allocates
// nothing and cannot panic: every division is guarded.
package tsc

import "math/bits"

// Sample is one bracketed reading: the TSC read right before and right
// after the reference counter was read. The reference reading happened
// somewhere between, so Mid is its TSC time give or take Width/2.
type Sample struct {
	Before, After uint64 // TSC
	Ref           uint32 // reference counter (already masked)
}

// Width is the bracket in TSC cycles.
//
//go:nosplit
func (s Sample) Width() uint64 { return s.After - s.Before }

// Mid is the TSC reading the reference reading is taken to have happened at.
//
//go:nosplit
func (s Sample) Mid() uint64 { return s.Before + s.Width()/2 }

// Narrower returns whichever of a and b has the shorter bracket; ok false
// in a means there is no a yet. A read interrupted or descheduled between
// its two TSC reads has a wide bracket and loses.
//
//go:nosplit
func Narrower(a Sample, ok bool, b Sample) Sample {
	if !ok || b.Width() < a.Width() {
		return b
	}
	return a
}

// Delta returns how far an up-counter of the given mask (2^bits - 1)
// advanced from a to b, assuming it wrapped at most once.
//
//go:nosplit
func Delta(a, b, mask uint32) uint64 { return uint64((b - a) & mask) }

// MulDiv returns a*b/c, computed in 128 bits; 0 if c is 0 or the result
// does not fit in 64 bits.
//
//go:nosplit
func MulDiv(a, b, c uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	if c == 0 || hi >= c {
		return 0
	}
	q, _ := bits.Div64(hi, lo, c)
	return q
}

// Window is one calibration window's result: the rate it measured and how
// far off it may be, in parts per million.
type Window struct {
	Hz     uint64
	ErrPPM uint64
}

// MeasureWindow computes the TSC rate from two samples ticks reference
// ticks apart on a reference counter of rate refHz. The uncertainty
// counts both half-brackets and one reference tick (the counter is read
// with no sub-tick phase). ok is false for an empty window or a rate that
// is not one.
//
//go:nosplit
func MeasureWindow(s0, s1 Sample, ticks, refHz uint64) (Window, bool) {
	if s1.Mid() <= s0.Mid() || ticks == 0 || refHz == 0 {
		return Window{}, false
	}
	span := s1.Mid() - s0.Mid()
	hz := MulDiv(span, refHz, ticks)
	if hz == 0 {
		return Window{}, false
	}
	slack := (s0.Width()+s1.Width())/2 + hz/refHz + 1
	return Window{Hz: hz, ErrPPM: MulDiv(slack, 1000000, span)}, true
}

// Calibration bounds.
const (
	// MaxErrPPM is the largest uncertainty a window may have to count.
	MaxErrPPM = 2000
	// AgreePPM is how close another good window must come to the best for
	// the best to be believed: a reference counter that reads garbage
	// gives windows that disagree.
	AgreePPM = 5000
	// MinHz and MaxHz bound a believable TSC rate.
	MinHz = 50000000
	MaxHz = 20000000000
)

// Best picks the result of several windows: the one with the smallest
// uncertainty among those within MaxErrPPM and [MinHz, MaxHz], provided
// at least one other such window agrees with it within AgreePPM. ok is
// false otherwise.
//
//go:nosplit
func Best(ws []Window) (Window, bool) {
	var best Window
	found := false
	for _, w := range ws {
		if usable(w) && (!found || w.ErrPPM < best.ErrPPM) {
			best, found = w, true
		}
	}
	if !found {
		return Window{}, false
	}
	agree := 0
	for _, w := range ws {
		if usable(w) && MulDiv(absDiff(w.Hz, best.Hz), 1000000, best.Hz) <= AgreePPM {
			agree++
		}
	}
	return best, agree >= 2
}

//go:nosplit
func usable(w Window) bool {
	return w.ErrPPM <= MaxErrPPM && w.Hz >= MinHz && w.Hz <= MaxHz
}

//go:nosplit
func absDiff(a, b uint64) uint64 {
	if a > b {
		return a - b
	}
	return b - a
}
