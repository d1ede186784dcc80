package tsc

import (
	"math"
	"math/rand"
	"testing"
)

const mask24 = 1<<24 - 1

// sim is a simulated machine: a TSC whose rate changes at given true
// times and a PM timer counting true time, both read at true times in ns.
type sim struct {
	at  []int64   // true times the rate changes, at[0] = 0
	hz  []float64 // rate from at[i] on
	off uint64    // TSC at true time 0 (cores' counters need not agree)
}

// tsc returns the counter at true time ns.
func (m *sim) tsc(ns int64) uint64 {
	c := float64(0)
	for i := range m.at {
		end := int64(math.MaxInt64)
		if i+1 < len(m.at) {
			end = m.at[i+1]
		}
		if ns <= m.at[i] {
			break
		}
		c += float64(min(ns, end)-m.at[i]) * m.hz[i] / 1e9
	}
	return m.off + uint64(c)
}

// pm returns the 24-bit PM timer at true time ns.
func pm(ns int64) uint32 { return uint32(uint64(ns)*PMHz/1e9) & mask24 }

// sample reads the PM timer at true time ns, bracketed by TSC reads
// before and after by the given delays.
func (m *sim) sample(ns, before, after int64) Sample {
	return Sample{Before: m.tsc(ns - before), After: m.tsc(ns + after), Ref: pm(ns)}
}

func TestMeasureWindow(t *testing.T) {
	m := &sim{at: []int64{0}, hz: []float64{2.3e9}, off: 1 << 40}
	s0 := m.sample(1e6, 500, 500)
	s1 := m.sample(6e6, 500, 500)
	w, ok := MeasureWindow(s0, s1, Delta(s0.Ref, s1.Ref, mask24), PMHz)
	if !ok || math.Abs(float64(w.Hz)-2.3e9) > 2.3e9*float64(w.ErrPPM)/1e6 || w.ErrPPM > 300 {
		t.Errorf("5 ms window: %+v ok %v, want 2.3 GHz within its error (about 56 ppm for a tick, 200 for the brackets)", w, ok)
	}
	if _, ok := MeasureWindow(s1, s0, 100, PMHz); ok {
		t.Error("a window going back measured a rate")
	}
	if _, ok := MeasureWindow(s0, s1, 0, PMHz); ok {
		t.Error("a window of no reference ticks measured a rate")
	}
	// A bracket stretched by a descheduled virtual CPU (5 ms) makes the
	// window's uncertainty far above MaxErrPPM.
	s1 = m.sample(6e6, 5e6, 500)
	if w, ok := MeasureWindow(s0, s1, Delta(s0.Ref, s1.Ref, mask24), PMHz); !ok || w.ErrPPM <= MaxErrPPM {
		t.Errorf("stretched bracket: %+v", w)
	}
}

func TestNarrower(t *testing.T) {
	a := Sample{Before: 100, After: 200}
	b := Sample{Before: 300, After: 310}
	if Narrower(a, true, b) != b || Narrower(b, true, a) != b || Narrower(b, false, a) != a {
		t.Error("Narrower does not keep the shortest bracket")
	}
	if a.Mid() != 150 || a.Width() != 100 {
		t.Errorf("Mid %d Width %d", a.Mid(), a.Width())
	}
}

func TestBest(t *testing.T) {
	good := []Window{{2.3e9, 300}, {2.3001e9, 100}, {2.2999e9, 200}}
	if w, ok := Best(good); !ok || w.Hz != 2.3001e9 {
		t.Errorf("Best = %+v %v, want the one with the smallest error", w, ok)
	}
	stretched := []Window{{18.5e9, 90000}, {2.3e9, 150}, {2.3e9 + 1e5, 400}, {9e9, 50000}}
	if w, ok := Best(stretched); !ok || w.Hz != 2.3e9 {
		t.Errorf("Best with stretched windows = %+v %v", w, ok)
	}
	garbage := []Window{{2.3e9, 100}, {4.1e9, 100}, {1.1e9, 100}}
	if w, ok := Best(garbage); ok {
		t.Errorf("Best believed windows that disagree: %+v", w)
	}
	if _, ok := Best([]Window{{2.3e9, 100}}); ok {
		t.Error("Best believed a single window")
	}
	if _, ok := Best([]Window{{30e9, 10}, {30e9, 10}}); ok {
		t.Error("Best believed 30 GHz")
	}
	if _, ok := Best(nil); ok {
		t.Error("Best of nothing")
	}
}

func TestMulDiv(t *testing.T) {
	if got := MulDiv(1<<63, 4, 8); got != 1<<62 {
		t.Errorf("MulDiv 128-bit = %d", got)
	}
	if MulDiv(1<<63, 4, 1) != 0 || MulDiv(1, 1, 0) != 0 {
		t.Error("MulDiv overflow or division by zero not 0")
	}
}

// TestElapsedWrap: the 24-bit PM timer wraps every 4.69 s; the coarse
// estimate picks the wrap count, and is good to half a wrap.
func TestElapsedWrap(t *testing.T) {
	wrapNs := int64((1 << 24) * 1000000000 / PMHz)
	zero := uint32(0xFFFF00)
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 10000; i++ {
		truth := r.Int63n(600e9)
		now := (zero + uint32(uint64(truth)*PMHz/1e9)) & mask24
		coarse := truth + r.Int63n(wrapNs*9/10) - wrapNs*9/20 // within 0.45 wraps
		got := Elapsed(zero, now, mask24, PMHz, coarse)
		if d := got - truth; d > 300 || d < -300 {
			t.Fatalf("truth %d coarse %d: Elapsed %d", truth, coarse, got)
		}
	}
	// Without an estimate, the count since zero within one wrap.
	if got := Elapsed(10, 10+PMHz, 0xFFFFFFFF, PMHz, 0); got != 1e9 {
		t.Errorf("one second: %d", got)
	}
	if Elapsed(0, 5, mask24, 0, 0) != 0 {
		t.Error("Elapsed with no rate")
	}
	// ZeroFor inverts it.
	for i := 0; i < 1000; i++ {
		ns := r.Int63n(100e9)
		ref := uint32(r.Int63()) & mask24
		z := ZeroFor(ref, ns, mask24, PMHz)
		if got := Elapsed(z, ref, mask24, PMHz, ns); got-ns > 300 || ns-got > 300 {
			t.Fatalf("ZeroFor(%d, %d) = %d, Elapsed back %d", ref, ns, z, got)
		}
	}
}

// TestBaseDerivation: a core whose TSC started at an arbitrary value
// derives a line that reads the reference's time; its time zero is the
// bootstrap core's.
func TestBaseDerivation(t *testing.T) {
	bsp := &sim{at: []int64{0}, hz: []float64{2.3e9}, off: 12345}
	ap := &sim{at: []int64{0}, hz: []float64{2.1e9}, off: 987654321987}
	zero := pm(0)
	for _, at := range []int64{50e6, 3e9, 61e9} {
		s := ap.sample(at, 300, 300)
		g := Elapsed(zero, s.Ref, mask24, PMHz, at+int64(r1(at)))
		l := At(s.Mid(), g, MultFor(2.1e9))
		b := At(bsp.tsc(0), 0, MultFor(2.3e9))
		for _, later := range []int64{at, at + 1e6, at + 2e9} {
			d := l.Ns(ap.tsc(later)) - b.Ns(bsp.tsc(later))
			if d > 2000 || d < -2000 {
				t.Errorf("started at %d ms: at %d ms the cores differ by %d ns", at/1e6, later/1e6, d)
			}
		}
	}
}

// r1 is a deterministic coarse error of up to a second.
func r1(at int64) float64 { return float64(at%1e9) - 5e8 }

func TestAtNeverBack(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 100000; i++ {
		old := Line{Base: r.Uint64() >> 1, Mult: MultFor(uint64(MinHz + r.Int63n(MaxHz-MinHz)))}
		tt := old.Base + uint64(r.Int63n(1e13))
		ns := old.Ns(tt)
		mult := MultFor(uint64(MinHz + r.Int63n(MaxHz-MinHz)))
		l := At(tt, ns, mult)
		got := l.Ns(tt)
		if got < ns || got > ns+int64(mult>>32)+1 {
			t.Fatalf("At(%d, %d, %d) reads %d at t", tt, ns, mult, got)
		}
	}
}

// TestResyncProperty runs a core for 200 s of simulated time: its TSC's
// rate changes every 10-40 s between 0.9 and 2.6 GHz (P-states; family
// 10h's span from 0.8 to 2.3 GHz is about as wide), a 24-bit PM timer
// counts true time, and the core re-syncs once its TSC has run 1-1.1 s at
// the last rate (at least Period, as ring0 does, a little more when the
// core is busy) from the narrowest of four bracketed reads (some
// stretched by 1-10 ms, a descheduled virtual CPU), reading its clock at
// random times between. The clock must never go back, must be continuous
// at every re-sync (forward steps only when behind by more than
// MaxSlewNs), and must be within 50 µs of the truth once the rate has
// held for 12 s (a clock that ran 3 times too fast for a second is 2 s ahead, and slows by at most half).
func TestResyncProperty(t *testing.T) {
	for seed := int64(1); seed <= 200; seed++ {
		r := rand.New(rand.NewSource(seed))
		m := &sim{off: r.Uint64() >> 2}
		for at := int64(0); at < 200e9; at += 10e9 + r.Int63n(30e9) {
			m.at = append(m.at, at)
			m.hz = append(m.hz, 0.9e9+r.Float64()*1.7e9)
		}
		read := func(ns int64) Sample {
			var best Sample
			for i := 0; i < 4; i++ {
				d := int64(200 + r.Intn(800))
				if r.Intn(5) == 0 {
					d = 1e6 + r.Int63n(9e6)
				}
				best = Narrower(best, i > 0, m.sample(ns+int64(i)*3000, d/2, d-d/2))
			}
			return best
		}
		lastChange := func(ns int64) int64 {
			c := int64(0)
			for _, a := range m.at {
				if a <= ns {
					c = a
				}
			}
			return c
		}
		now := int64(20e6)
		s0 := read(now)
		zero := pm(0)
		sy := Start(s0.Mid(), s0.Ref, Elapsed(zero, s0.Ref, mask24, PMHz, now), uint64(m.hz[0]*1.01), mask24, PMHz)
		prev := int64(-1)
		due := sy.Hz
		for now < 200e9 {
			now += 10000 + r.Int63n(50e6) // reads on one core come in order
			c := sy.Line.Ns(m.tsc(now))
			if c < prev {
				t.Fatalf("seed %d: clock went back from %d to %d at %d", seed, prev, c, now)
			}
			prev = c
			if now-lastChange(now) > 12e9 {
				if d := c - now; d > 50000 || d < -50000 {
					t.Fatalf("seed %d: at %.3f s, %.0f s after the rate changed, the clock is off by %d ns", seed, float64(now)/1e9, float64(now-lastChange(now))/1e9, d)
				}
			}
			if m.tsc(now) < sy.LastTSC+due {
				continue
			}
			s := read(now)
			tt := s.Mid()
			before := sy.Line.Ns(tt)
			g, e, stepped := sy.Resync(tt, s.Ref)
			after := sy.Line.Ns(tt)
			if d := g - now; d > 20000 || d < -20000 {
				t.Fatalf("seed %d: at %.3f s the reference said %d ns", seed, float64(now)/1e9, g)
			}
			if after < before || (!stepped && after > before+4) {
				t.Fatalf("seed %d: re-sync at %d moved the clock from %d to %d (offset %d, stepped %v)", seed, now, before, after, e, stepped)
			}
			if stepped && (e <= MaxSlewNs || after < g) {
				t.Fatalf("seed %d: stepped for an offset of %d", seed, e)
			}
			due = sy.Hz + uint64(r.Int63n(int64(sy.Hz/10)))
		}
	}
}
