package main

import (
	"bytes"
	"runtime"
	"sort"

	"multikernel/cpudriver/ring0"
)

// The CPU driver's own memory is its core's pool (ring0): its runtime's
// heap and stacks, page tables, span and transfer pages, what it lent
// programs (memory.More). When the pool is empty the runtime's next page
// fault is an oops, so the first time a core's pool runs low (ring0's
// checkPoolLow, when a page is taken) the core says so with what its
// runtime holds: goroutines by the function that started them, heap and
// stacks. That turns an oops from a leak into a report that names it.

// poolLowHook is a notification hook (notify.AddHook): ring0 makes a
// notification pending when the pool runs low, and this reports it once,
// from a goroutine of its own (a hook must not block).
func poolLowHook() {
	if ring0.TakePoolLow() {
		go reportPoolLow()
	}
}

// reportPoolLow prints the low pool and what the runtime holds.
func reportPoolLow() {
	free, total := ring0.FreeMemory()
	buf := make([]byte, 64<<10)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	console("cpudriver: core %d: the CPU driver's pool is low: %d KiB free of %d; %d goroutines, heap %d KiB in use, stacks %d KiB\n",
		ring0.Core().Index, free>>10, total>>10, runtime.NumGoroutine(), ms.HeapInuse>>10, ms.StackInuse>>10)
	n := runtime.Stack(buf, true)
	for _, c := range creators(buf[:n], 8) {
		console("cpudriver: core %d:   %d goroutines started by %s\n", ring0.Core().Index, c.n, c.fn)
	}
}

// creator is a function and how many goroutines it started.
type creator struct {
	fn string
	n  int
}

// creators counts the goroutines of a runtime.Stack dump by the function
// that started them ("created by" lines; the main goroutine has none)
// and returns the top most numerous.
func creators(dump []byte, top int) []creator {
	counts := map[string]int{}
	for _, line := range bytes.Split(dump, []byte("\n")) {
		if rest, ok := bytes.CutPrefix(line, []byte("created by ")); ok {
			if i := bytes.Index(rest, []byte(" in goroutine")); i >= 0 {
				rest = rest[:i]
			}
			counts[string(rest)]++
		}
	}
	out := make([]creator, 0, len(counts))
	for fn, n := range counts {
		out = append(out, creator{fn, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].n > out[j].n || out[i].n == out[j].n && out[i].fn < out[j].fn })
	return out[:min(top, len(out))]
}
