package tsc

// Re-synchronization, for a core whose TSC does not promise a constant
// rate (no invariant TSC: P-states may change it, and nothing says two
// cores' counters agree). Every Period or so the core reads the reference
// counter, which gives the true time g since the bootstrap core's time
// zero, and replaces its line by one that
//
//   - starts where the old one is at that moment (the clock is continuous
//     and never goes back: At rounds up),
//   - has the slope of the rate measured since the previous sync, and
//   - absorbs the offset e = g - clock by slewing over the next Period:
//     the slope is scaled by 1 + e/Period. A clock that is behind by more
//     than MaxSlewNs steps forward to g at once instead (a jump forward is
//     harmless); one that is ahead can never step back, so it slows down,
//     by at most MaxSlowdownPPM (it never runs below half speed), until
//     the truth catches up. Within MaxSlewNs the correction is at most
//     MaxSlewNs/Period = 1% of the rate either way.
//
// A rate change between two syncs (a P-state switch) therefore costs at
// most one Period of error at the wrong rate, then one step forward or a
// bounded slow-down.
const (
	// Period is how often, in ns, a core re-synchronizes, and the horizon
	// over which an offset is slewed away.
	Period = 1000000000
	// MaxSlewNs is the largest offset slewed in either direction (1% of
	// Period); beyond it a clock behind steps forward.
	MaxSlewNs = 10000000
	// MaxSlowdownPPM bounds how much a clock ahead of the truth slows.
	MaxSlowdownPPM = 500000
	// minInterval is the shortest reference interval a rate is measured
	// over: at 100 ms a bracket of a few µs is tens of ppm.
	minInterval = 100000000
)

// Sync is one core's re-synchronization state.
type Sync struct {
	Line    Line   // what the clock computes with now
	Hz      uint64 // the TSC rate last measured
	LastTSC uint64 // TSC at the last sync (a sample's Mid)
	LastNs  int64  // reference time then
	LastRef uint32 // the reference counter then
	Mask    uint32 // the reference counter's mask
	RefHz   uint64 // and its rate
}

// Start begins a Sync: at TSC t the reference counter (of the given mask
// and rate) read ref, which makes the time ns; the TSC's rate is hz.
//
//go:nosplit
func Start(t uint64, ref uint32, ns int64, hz uint64, mask uint32, refHz uint64) Sync {
	return Sync{Line: At(t, ns, MultFor(hz)), Hz: hz, LastTSC: t, LastNs: ns, LastRef: ref, Mask: mask, RefHz: refHz}
}

// Now returns the reference time at TSC t where the reference counter
// reads ref: the time of the last sync plus the ticks since, with as many
// wraps as the TSC at the last rate suggests. That estimate is good to
// half a wrap (2.3 s on a 24-bit PM timer) when syncs come every Period
// (give or take 10%) of estimated time, unless the rate fell to below
// a third since the last (then one Period estimated is over three real
// ones). It needs no other clock, and a long idle at a steady rate does
// not confuse it.
//
//go:nosplit
func (s *Sync) Now(t uint64, ref uint32) int64 {
	est := int64(0)
	if t > s.LastTSC {
		est = int64(MulDiv(t-s.LastTSC, 1000000000, s.Hz))
	}
	return s.LastNs + Elapsed(s.LastRef, ref, s.Mask, s.RefHz, est)
}

// Resync moves s to a new line at TSC t, where the reference counter
// reads ref. It returns the reference time, the offset found (that time
// minus the clock) and whether the clock stepped forward rather than
// slewed.
//
//go:nosplit
func (s *Sync) Resync(t uint64, ref uint32) (g, offset int64, stepped bool) {
	g = s.Now(t, ref)
	c := s.Line.Ns(t)
	if t > s.LastTSC && g-s.LastNs >= minInterval {
		hz := MulDiv(t-s.LastTSC, 1000000000, uint64(g-s.LastNs))
		if hz >= MinHz && hz <= MaxHz {
			s.Hz = hz
		}
	}
	mult := MultFor(s.Hz)
	e := g - c
	switch {
	case e > MaxSlewNs:
		c, stepped = g, true
	case e >= 0:
		mult = scale(mult, 1000000+uint64(e)/(Period/1000000))
	default:
		slow := uint64(-e) / (Period / 1000000)
		if slow > MaxSlowdownPPM {
			slow = MaxSlowdownPPM
		}
		// A clock ahead: ns per cycle shrinks.
		mult = scale(mult, 1000000-slow)
	}
	s.Line = At(t, c, mult)
	s.LastTSC, s.LastNs, s.LastRef = t, g, ref
	return g, e, stepped
}

// scale returns mult * ppm / 10^6.
//
//go:nosplit
func scale(mult, ppm uint64) uint64 { return MulDiv(mult, ppm, 1000000) }
