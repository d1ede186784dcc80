package linux

import (
	"encoding/binary"
	"time"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/proc"
	"multikernel/cpudriver/ring0"
)

// timespec reads a struct timespec; ok is false for a bad one.
func timespec(t *proc.Thread, va uint64) (time.Duration, int64) {
	sec, err := t.GetU64(va)
	if err != nil {
		return 0, -kpi.EFAULT
	}
	nsec, err := t.GetU64(va + 8)
	if err != nil {
		return 0, -kpi.EFAULT
	}
	if int64(sec) < 0 || nsec >= 1e9 {
		return 0, -kpi.EINVAL
	}
	return time.Duration(sec)*time.Second + time.Duration(nsec), 0
}

func clockGettime(t *proc.Thread, a [6]uint64) int64 {
	clock, ts := int(a[0]), a[1]
	var ns int64
	// Tested in turn, the monotonic clocks first (what Go's runtime and
	// most programs ask for): a switch on the eight numbers compiles to
	// a jump table, whose indirect jump costs a look-up under emulation.
	switch {
	case clock == 1 || clock == 4 || clock == 7: // MONOTONIC, MONOTONIC_RAW, BOOTTIME
		ns = ring0.Nanotime()
	case clock == 0 || clock == 8 || clock == 11: // REALTIME, REALTIME_ALARM, TAI
		ns = time.Now().UnixNano()
	case clock == 2: // CLOCK_PROCESS_CPUTIME_ID
		ns = t.Proc().CPUTime()
	case clock == 3: // CLOCK_THREAD_CPUTIME_ID
		ns = t.CPUTime()
	default:
		return -kpi.EINVAL
	}
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:], uint64(ns/1e9))
	binary.LittleEndian.PutUint64(b[8:], uint64(ns%1e9))
	if t.CopyOut(ts, b[:]) != nil {
		return -kpi.EFAULT
	}
	return 0
}

func nanosleep(t *proc.Thread, a [6]uint64) int64 {
	req := a[0]
	d, e := timespec(t, req)
	if e != 0 {
		return e
	}
	t.WaitUntil(d) // a yield on the core lets it run once d is over
	select {
	case <-time.After(d):
	case <-t.Proc().Dying():
	}
	return 0
}
