package ring0

import "math/bits"

// Time base: the TSC, calibrated once on the bootstrap core against PIT
// channel 2 (Intel 8254 datasheet; the gate is port 0x61 bit 0, OUT2 reads
// back as bit 5) and handed to the other cores. Family 10h Opterons do not
// promise an invariant TSC, so a later issue may recalibrate; the clock
// here is per core and monotonic as long as this core's TSC is.

const pitHz = 1193182

var (
	tscHz     uint64 // calibrated frequency
	tscBase   uint64 // TSC at this core's time zero
	nsPerTick uint64 // 2^32 * 1e9 / tscHz
	epochNs   int64  // CLOCK_REALTIME at tscBase
)

// calibrateTSC measures the TSC frequency over 10 ms of PIT time.
//
//go:nosplit
func calibrateTSC() uint64 {
	const count = pitHz / 100 // 10 ms
	g := inb(0x61)
	outb(0x61, g&^0x02|0x01) // gate on, speaker off
	outb(0x43, 0xB0)         // channel 2, lobyte/hibyte, mode 0
	outb(0x42, uint8(count&0xff))
	outb(0x42, uint8(count>>8))
	// Restart the count: mode 0 starts counting on the gate's rising edge.
	g = inb(0x61)
	outb(0x61, g&^0x01)
	outb(0x61, g|0x01)
	t0 := rdtsc()
	for i := 0; i < 100000000 && inb(0x61)&0x20 == 0; i++ {
	}
	t1 := rdtsc()
	return (t1 - t0) * 100
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
	nsPerTick = uint64((uint64(1000000000) << 32) / hz)
	epochNs = epoch
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
