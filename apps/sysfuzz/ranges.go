package main

import (
	"syscall"

	"multikernel/cpudriver/kpi"
)

// The address-range calls (kpi.SysRangeNew to kpi.SysRangeMapFrame),
// kpi.SysSpanExtend, kpi.SysSpanDedicate and kpi.SysSpanInfo: on the ranges the fuzzer made,
// at pages in and past them, and on noise. A range's memory is only ever
// touched by the kernel here (SysRangeInfo's answer goes to ptr's
// buffers), never by the fuzzer's own loads.

func init() {
	nativeGens[kpi.SysRangeNew] = func(w *worker) call {
		cores := []uintptr{1 << w.f.core, 1 << w.f.core, 0, scalar(w.r)}[w.r.IntN(4)]
		return call{nr: kpi.SysRangeNew, a: [6]uintptr{cores}, after: noteRange}
	}
	nativeGens[kpi.SysRangeMap] = func(w *worker) call {
		addr, n := w.rangeSpan()
		return call{nr: kpi.SysRangeMap, a: [6]uintptr{addr, n, []uintptr{1, 3, 7, 0, scalar(w.r)}[w.r.IntN(5)]}}
	}
	nativeGens[kpi.SysRangeUnmap] = func(w *worker) call {
		addr, n := w.rangeSpan()
		return call{nr: kpi.SysRangeUnmap, a: [6]uintptr{addr, n}}
	}
	nativeGens[kpi.SysRangeDelete] = func(w *worker) call {
		return call{nr: kpi.SysRangeDelete, a: [6]uintptr{w.rangeBase()}, after: noteRangeGone}
	}
	nativeGens[kpi.SysRangeMapFrame] = func(w *worker) call {
		addr, _ := w.rangeSpan()
		return call{nr: kpi.SysRangeMapFrame, a: [6]uintptr{addr, w.slot(), []uintptr{1, 3, 7, 0, scalar(w.r)}[w.r.IntN(5)]}}
	}
	nativeGens[kpi.SysSpanExtend] = func(w *worker) call {
		// The fuzzer runs on one core (@all), so an extension is
		// refused whatever the arguments.
		p, _ := ptr(w.r)
		core := []uintptr{uintptr((w.f.core + 1) % 4), uintptr(w.f.core), scalar(w.r)}[w.r.IntN(3)]
		return call{nr: kpi.SysSpanExtend, a: [6]uintptr{core, p, []uintptr{0, 1, 2, scalar(w.r)}[w.r.IntN(4)]},
			must: "SysSpanExtend from a program that does not span cores"}
	}
	nativeGens[kpi.SysSpanDedicate] = func(w *worker) call {
		// Likewise: only a spanning program's thread may dedicate its
		// core, and none holds one to give back.
		return call{nr: kpi.SysSpanDedicate, a: [6]uintptr{[]uintptr{0, 1, 2, scalar(w.r)}[w.r.IntN(4)]},
			must: "SysSpanDedicate from a program that does not span cores"}
	}
	nativeGens[kpi.SysSpanInfo] = func(w *worker) call {
		p, h := ptr(w.r)
		c := call{nr: kpi.SysSpanInfo, a: [6]uintptr{p}}
		if h || p < pageSize {
			c.must = hostileMust(true, "SysSpanInfo writing")
		}
		return c
	}
	nativeGens[kpi.SysRangeInfo] = func(w *worker) call {
		p, h := ptr(w.r)
		base := w.rangeBase()
		c := call{nr: kpi.SysRangeInfo, a: [6]uintptr{base, p}}
		if h || p < pageSize {
			c.must = hostileMust(true, "SysRangeInfo writing")
		}
		return c
	}
}

// rangeBase returns a range the fuzzer made, or noise.
func (w *worker) rangeBase() uintptr {
	w.f.mu.Lock()
	defer w.f.mu.Unlock()
	if len(w.f.ranges) > 0 && w.r.IntN(4) > 0 {
		return w.f.ranges[w.r.IntN(len(w.f.ranges))]
	}
	return scalar(w.r) &^ (kpi.RangeSize - 1)
}

// rangeSpan returns pages of a range (or noise): up to 16 pages at a
// page of its first 64 MiB, sometimes unaligned or running past it.
func (w *worker) rangeSpan() (addr, n uintptr) {
	base := w.rangeBase()
	addr = base + uintptr(w.r.IntN(16384))*pageSize
	n = uintptr(1+w.r.IntN(16)) * pageSize
	switch w.r.IntN(8) {
	case 0:
		addr++
	case 1:
		n = scalar(w.r)
	case 2:
		addr = base + kpi.RangeSize - pageSize
	}
	return addr, n
}

// noteRange keeps a range the fuzzer made, up to 8: more are deleted at
// once, so that the address space keeps room.
func noteRange(w *worker, c *call, r uintptr, e syscall.Errno) string {
	if e != 0 {
		return ""
	}
	if r&(kpi.RangeSize-1) != 0 || r == 0 || r >= 1<<47 {
		return "SysRangeNew returned a base that is not a slot's"
	}
	w.f.mu.Lock()
	keep := len(w.f.ranges) < 8
	if keep {
		w.f.ranges = append(w.f.ranges, r)
	}
	w.f.mu.Unlock()
	if !keep {
		syscall.RawSyscall(kpi.SysRangeDelete, r, 0, 0)
	}
	return ""
}

// noteRangeGone forgets a range a delete ended.
func noteRangeGone(w *worker, c *call, r uintptr, e syscall.Errno) string {
	if e != 0 {
		return ""
	}
	w.f.mu.Lock()
	defer w.f.mu.Unlock()
	for i, b := range w.f.ranges {
		if b == c.a[0] {
			w.f.ranges = append(w.f.ranges[:i], w.f.ranges[i+1:]...)
			break
		}
	}
	return ""
}
