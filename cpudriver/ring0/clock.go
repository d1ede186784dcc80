package ring0

import (
	"math/bits"
	"sync/atomic"

	"multikernel/cpudriver/tsc"
	"multikernel/cpudriver/vdso"
)

// Time base: every core's TSC, with its own rate and its own base, so
// that its time zero is the bootstrap core's (docs/architecture.md, "The
// clock"; the arithmetic is package tsc).
//
// The bootstrap core calibrates first against PIT channel 2 (Intel 8254
// datasheet: mode 2, read back with the latch command; the gate is port
// 0x61 bit 0), in earlyBSP before there is a runtime, and sets its time
// zero then. Once ACPI names the PM timer (the FADT), UsePMTimer
// calibrates again against it, moves the clock onto the new rate without
// a jump, and records the PM timer's reading at time zero. Both
// calibrations read the reference bracketed by two TSC reads, keep the
// narrowest of several such reads at each end of a window, and take the
// best of several windows (tsc.Best); a descheduled virtual CPU widens a
// bracket and loses, and a counter that does not move or reads garbage
// makes the calibration fail (bounded loops everywhere) and say so.
//
// Every other core, in earlyAP, calibrates its own rate against the PM
// timer and derives its own base from the PM timer's time since the
// bootstrap core's time zero (the coarse reference the bootstrap core
// keeps fresh in CoreParams.NowNs picks the number of wraps of a 24-bit
// timer), so the clock agrees across cores even when their TSCs do not.
// Without a PM timer it takes the bootstrap core's rate and base, as
// before, and says so.
//
// Without an invariant TSC (CPUID 0x80000007 EDX bit 8) a core's rate may
// change (P-states) or drift, so every core re-syncs against the PM timer
// about once a second (tsc.Period): maybeResync, from schedule and at the
// end of a ring-3 time slice in Run (not at every entry: the TSC read it
// starts with is a costly helper call under emulation),
// and idle arms the timer for it. The re-sync keeps the clock continuous
// and monotonic and slews or steps forward within the bounds package tsc
// documents, and rewrites this core's vDSO clock data page under its
// sequence count. nanotime needs no sequence count: ring 0 runs with
// interrupts off (they are on only inside haltOnce and in ring 3), so no
// reader on this core can be interrupted between reading tscBase and
// nsPerTick by a re-sync, and other cores never read this core's clock.
// With an invariant TSC each core calibrates once and never re-syncs.

const pitHz = 1193182

// ClockSource says where a core's TSC rate came from.
type ClockSource uint8

// Clock sources.
const (
	ClockPIT       ClockSource = iota // calibrated against PIT channel 2 (bootstrap core)
	ClockPMTimer                      // calibrated against the ACPI PM timer
	ClockInherited                    // the bootstrap core's rate and base, not calibrated here
)

// ClockProblem says why a core did not get the better clock.
type ClockProblem uint8

// Clock problems.
const (
	ClockOK       ClockProblem = iota
	ClockNoPM                  // no PM timer: the bootstrap core's values
	ClockPMDead                // the PM timer did not move (or read garbage)
	ClockPMBad                 // PM timer windows disagreed or were all stretched
	ClockPITBad                // the PIT calibration failed: 1 GHz assumed
	ClockPITStuck              // PIT channel 2 did not count: 1 GHz assumed
)

var (
	tscHz     uint64 // calibrated frequency
	tscBase   uint64 // TSC at this core's time zero
	nsPerTick uint64 // 2^32 * 1e9 / tscHz (adjusted while slewing)
	epochNs   int64  // CLOCK_REALTIME at tscBase

	clockSource  ClockSource
	clockProblem ClockProblem

	pmPort uint16 // the ACPI PM timer's port; 0: none
	pmMask uint32 // its counter's mask (24 or 32 bits)
	pmZero uint32 // its reading at the bootstrap core's time zero

	resyncOn  bool     // no invariant TSC: re-sync every tsc.Period
	clockSync tsc.Sync // the re-sync state
	syncDue   uint64   // TSC at which the next re-sync is due
	syncStats ClockStats

	vdsoData uintptr // this core's vDSO clock data page (direct map); 0: none yet
)

// Reference counters the TSC is calibrated against.
const (
	refPIT = iota
	refPM
)

// Calibration parameters.
const (
	calWindows   = 4 // windows per calibration
	bracketReads = 8 // reads per end of a window; the narrowest counts
	maxSpin      = 1 << 20
	probeReads   = 10000 // reads for a reference counter to move at all
)

// refRead reads reference counter ref as an up-counter.
//
//go:nosplit
func refRead(ref int) uint32 {
	if ref == refPM {
		return inl(pmPort) & pmMask
	}
	outb(0x43, 0x80) // latch channel 2
	lo := uint32(inb(0x42))
	hi := uint32(inb(0x42))
	return (0xFFFF - (hi<<8 | lo)) & 0xFFFF
}

// refMask and refHz describe reference counter ref.
//
//go:nosplit
func refMask(ref int) uint32 {
	if ref == refPM {
		return pmMask
	}
	return 0xFFFF
}

//go:nosplit
func refHz(ref int) uint64 {
	if ref == refPM {
		return tsc.PMHz
	}
	return pitHz
}

// sampleRef returns the narrowest of bracketReads bracketed reads of ref.
//
//go:nosplit
func sampleRef(ref int) tsc.Sample {
	var best tsc.Sample
	for i := 0; i < bracketReads; i++ {
		b := rdtsc()
		v := refRead(ref)
		a := rdtsc()
		best = tsc.Narrower(best, i > 0, tsc.Sample{Before: b, After: a, Ref: v})
	}
	return best
}

// refMoves reports whether ref changes within probeReads reads.
//
//go:nosplit
func refMoves(ref int) bool {
	v := refRead(ref)
	for i := 0; i < probeReads; i++ {
		if refRead(ref) != v {
			return true
		}
	}
	return false
}

// calibrate measures the TSC rate against ref over calWindows windows
// of window ticks each.
//
//go:nosplit
func calibrate(ref int, window uint64) (uint64, bool) {
	var ws [calWindows]tsc.Window
	n := 0
	mask, hz := refMask(ref), refHz(ref)
	for w := 0; w < calWindows; w++ {
		s0 := sampleRef(ref)
		for i := 0; i < maxSpin && tsc.Delta(s0.Ref, refRead(ref), mask) < window; i++ {
		}
		s1 := sampleRef(ref)
		if r, ok := tsc.MeasureWindow(s0, s1, tsc.Delta(s0.Ref, s1.Ref, mask), hz); ok {
			ws[n] = r
			n++
		}
	}
	best, ok := tsc.Best(ws[:n])
	return best.Hz, ok
}

// calibratePIT measures the TSC rate against PIT channel 2, free-running
// in mode 2 (count 65536), over 10 ms windows. It returns 0 on failure,
// with clockProblem saying why.
//
//go:nosplit
func calibratePIT() uint64 {
	g := inb(0x61)
	outb(0x61, g&^0x02|0x01) // gate on, speaker off
	outb(0x43, 0xB4)         // channel 2, lobyte/hibyte, mode 2, binary
	outb(0x42, 0)
	outb(0x42, 0)
	if !refMoves(refPIT) {
		clockProblem = ClockPITStuck
		return 0
	}
	hz, ok := calibrate(refPIT, pitHz/100)
	if !ok {
		clockProblem = ClockPITBad
		return 0
	}
	return hz
}

// calibratePM measures the TSC rate against the PM timer over 5 ms
// windows. It returns 0 on failure, with clockProblem saying why.
//
//go:nosplit
func calibratePM() uint64 {
	if !refMoves(refPM) {
		clockProblem = ClockPMDead
		return 0
	}
	hz, ok := calibrate(refPM, tsc.PMHz/200)
	if !ok {
		clockProblem = ClockPMBad
		return 0
	}
	return hz
}

// setClock sets this core's time base.
//
//go:nosplit
func setClock(hz uint64, base uint64, epoch int64) {
	if hz == 0 {
		hz = 1000000000 // unknown: assume 1 GHz rather than divide by zero
	}
	tscHz = hz
	tscBase = base
	nsPerTick = tsc.MultFor(hz)
	epochNs = epoch
	publishClock()
}

// setLine makes l this core's clock (and its vDSO data's).
//
//go:nosplit
func setLine(l tsc.Line) {
	tscBase, nsPerTick = l.Base, l.Mult
	publishClock()
}

// invariantTSC reports CPUID 0x80000007 EDX bit 8.
//
//go:nosplit
func invariantTSC() bool {
	max, _, _, _ := cpuid(0x80000000, 0)
	if max < 0x80000007 {
		return false
	}
	_, _, _, d := cpuid(0x80000007, 0)
	return d&(1<<8) != 0
}

// startSync begins re-syncing against the PM timer from sample s, at
// which this core's clock reads ns, when the TSC is not invariant.
//
//go:nosplit
func startSync(s tsc.Sample, ns int64, hz uint64) {
	clockSync = tsc.Start(s.Mid(), s.Ref, ns, hz, pmMask, tsc.PMHz)
	tscHz = hz
	setLine(clockSync.Line)
	resyncOn = !invariantTSC()
	syncDue = s.After + hz
}

// UsePMTimer makes the bootstrap core's clock run on the ACPI PM timer
// at port (a counter of bits bits): it calibrates the TSC against it,
// moves the clock onto the new rate where it stands, records the timer's
// reading at time zero for the other cores and calibrates the LAPIC
// timer again. On failure the PIT calibration stays and ClockInfo says
// why. Ordinary Go, runtime up, before the other cores start.
func UsePMTimer(port uint16, bits int) bool {
	pmPort, pmMask = port, 0xFFFFFFFF
	if bits < 32 {
		pmMask = 1<<uint(bits) - 1
	}
	hz := calibratePM()
	if hz == 0 {
		pmPort, pmMask = 0, 0
		return false
	}
	s := sampleRef(refPM)
	ns := tsc.Line{Base: tscBase, Mult: nsPerTick}.Ns(s.Mid())
	pmZero = tsc.ZeroFor(s.Ref, ns, pmMask, tsc.PMHz)
	startSync(s, ns, hz)
	clockSource, clockProblem = ClockPMTimer, ClockOK
	core.TSCHz = hz
	lapicTicksPer = calibrateLAPIC()
	return true
}

// clockAP sets an application core's clock from its parameter block:
// its own rate and base from the PM timer if there is one, else the
// bootstrap core's (nosplit: before the runtime).
//
//go:nosplit
func clockAP(p *CoreParams) {
	setClock(p.TSCHz, p.TSCBase, p.EpochNs)
	clockSource, clockProblem = ClockInherited, ClockNoPM
	if p.PMPort == 0 {
		return
	}
	pmPort, pmMask, pmZero = uint16(p.PMPort), uint32(p.PMMask), uint32(p.PMZero)
	hz := calibratePM()
	if hz == 0 {
		pmPort = 0
		return
	}
	s := sampleRef(refPM)
	coarse := atomic.LoadInt64(&p.NowNs)
	startSync(s, tsc.Elapsed(pmZero, s.Ref, pmMask, tsc.PMHz, coarse), hz)
	clockSource, clockProblem = ClockPMTimer, ClockOK
}

// maybeResync re-syncs this core's clock against the PM timer when one
// is due (interrupts off: see the top of this file).
//
//go:nosplit
func maybeResync() {
	if !resyncOn || rdtsc() < syncDue {
		return
	}
	s := sampleRef(refPM)
	_, off, stepped := clockSync.Resync(s.Mid(), s.Ref)
	tscHz = clockSync.Hz
	setLine(clockSync.Line)
	syncDue = s.After + clockSync.Hz
	syncStats.Resyncs++
	syncStats.LastOffsetNs = off
	if off < 0 {
		off = -off
	}
	if off > syncStats.MaxOffsetNs {
		syncStats.MaxOffsetNs = off
	}
	if stepped {
		syncStats.Steps++
	}
}

// resyncDeadline returns the nanotime by which the next re-sync is due,
// or 0 if none is.
//
//go:nosplit
func resyncDeadline() int64 {
	if !resyncOn {
		return 0
	}
	return tsc.Line{Base: tscBase, Mult: nsPerTick}.Ns(syncDue)
}

// ClockStats counts a core's re-syncs.
type ClockStats struct {
	Resyncs      uint64
	Steps        uint64 // re-syncs that stepped the clock forward
	LastOffsetNs int64  // what the last re-sync found: reference minus clock
	MaxOffsetNs  int64  // the largest such offset, in magnitude
}

// ClockInfo describes this core's clock for the console.
type ClockInfo struct {
	Hz      uint64
	Source  ClockSource
	Problem ClockProblem
	PMPort  uint16 // 0: no PM timer
	PMBits  int
	Resync  bool // re-syncs against the PM timer (no invariant TSC)
	Stats   ClockStats
}

// Clock returns this core's clock description.
func Clock() ClockInfo {
	c := ClockInfo{Hz: tscHz, Source: clockSource, Problem: clockProblem, PMPort: pmPort, Resync: resyncOn, Stats: syncStats}
	if pmPort != 0 {
		c.PMBits = bits.OnesCount32(pmMask)
	}
	return c
}

// PMTimer returns what the other cores need of the PM timer: its port
// (0: none), mask and reading at time zero.
func PMTimer() (port uint16, mask, zero uint32) { return pmPort, pmMask, pmZero }

// SetVDSOData makes the page at physical address pa this core's vDSO
// clock data page and writes the clock into it; every later change of
// the clock rewrites it.
func SetVDSOData(pa uint64) {
	vdsoData = DirectMap + uintptr(pa)
	publishClock()
}

// publishClock writes the clock into the vDSO data page (the layout
// package vdso defines and its code reads) under its
// sequence count: odd while the fields change, even when they are
// stable (a program on this core reads it; it cannot run meanwhile, but
// the protocol is the one the vDSO code checks).
//
//go:nosplit
func publishClock() {
	if vdsoData == 0 {
		return
	}
	seq := u32at(vdsoData + vdso.OffSeq)
	s := atomic.LoadUint32(seq)
	atomic.StoreUint32(seq, s|1)
	atomic.StoreUint64(u64at(vdsoData+vdso.OffBase), tscBase)
	atomic.StoreUint64(u64at(vdsoData+vdso.OffMult), nsPerTick)
	atomic.StoreUint64(u64at(vdsoData+vdso.OffEpoch), uint64(epochNs))
	atomic.StoreUint32(u32at(vdsoData+vdso.OffMode), vdso.ModeTSC)
	atomic.StoreUint32(seq, (s|1)+1)
}

// nanotime returns nanoseconds since this core's time zero.
//
//go:nosplit
func nanotime() int64 {
	hi, lo := bits.Mul64(rdtsc()-tscBase, nsPerTick)
	return int64(hi<<32 | lo>>32)
}

// Nanotime is nanotime for package cpudriver.
func Nanotime() int64 { return nanotime() }

// CyclesToNs converts a count of this core's TSC cycles into
// nanoseconds.
func CyclesToNs(c uint64) int64 {
	hi, lo := bits.Mul64(c, nsPerTick)
	return int64(hi<<32 | lo>>32)
}

// readCMOS reads the real-time clock (MC146818, BCD or binary, 24 h) and
// returns Unix time in seconds, waiting out an update in progress.
//
//go:nosplit
func readCMOS() int64 {
	for i := 0; i < 1000000 && cmos(0x0A)&0x80 != 0; i++ {
	}
	sec, min, hour := int64(cmos(0x00)), int64(cmos(0x02)), int64(cmos(0x04))
	day, mon, year := int64(cmos(0x07)), int64(cmos(0x08)), int64(cmos(0x09))
	century := int64(cmos(0x32))
	if cmos(0x0B)&0x04 == 0 { // BCD
		sec, min, hour = bcd(sec), bcd(min), bcd(hour&0x7f)
		day, mon, year, century = bcd(day), bcd(mon), bcd(year), bcd(century)
	}
	if century == 0 {
		century = 20
	}
	year += century * 100
	return daysFromCivil(year, mon, day)*86400 + hour*3600 + min*60 + sec
}

//go:nosplit
func cmos(reg uint8) uint8 {
	outb(0x70, reg)
	return inb(0x71)
}

//go:nosplit
func bcd(v int64) int64 { return v&15 + (v>>4)*10 }

// daysFromCivil converts a proleptic Gregorian date to days since
// 1970-01-01 (H. Hinnant's days_from_civil algorithm).
//
//go:nosplit
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
