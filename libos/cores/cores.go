// Package cores pins a Go program's goroutines to the cores it runs on
// (a spanning program's, docs/spanning.md): the affinity calls, and a
// helper that runs a function on a thread pinned to each of a set of
// cores. It works on Linux as well.
package cores

import (
	"fmt"
	"math/bits"
	"runtime"
	"sync"
	"syscall"
	"unsafe"

	"multikernel/libos/sys"
)

// Affinity returns the calling thread's allowed cores (bit c: core c;
// cores 0-63), 0 if it cannot be read.
func Affinity() uint64 {
	var m [16]uint64
	_, _, e := syscall.RawSyscall(syscall.SYS_SCHED_GETAFFINITY, 0, unsafe.Sizeof(m), uintptr(unsafe.Pointer(&m[0])))
	if e != 0 {
		return 0
	}
	return m[0]
}

// SetAffinity makes mask the calling thread's allowed cores.
func SetAffinity(mask uint64) error {
	m := [16]uint64{mask}
	_, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, 0, unsafe.Sizeof(m), uintptr(unsafe.Pointer(&m[0])))
	if e != 0 {
		return e
	}
	return nil
}

// Pin moves the calling thread to core c alone.
func Pin(c int) error { return SetAffinity(1 << c) }

// Current returns the core the calling thread runs on: from RDTSCP's
// IA32_TSC_AUX, which the multikernel's CPU drivers (and Linux) set to
// node<<12 | core on every core, without a system call; with getcpu
// where the CPU lacks RDTSCP. As getcpu's, the answer may be stale by
// the time it is used, unless the thread is pinned.
func Current() int {
	if hasRDTSCP {
		return int(rdtscpAux() & 0xfff)
	}
	c, _, _ := sys.CPU()
	return c
}

// CurrentNode returns the NUMA node of the core the calling thread runs
// on, as Current finds it.
func CurrentNode() int {
	if hasRDTSCP {
		return int(rdtscpAux() >> 12)
	}
	_, n, _ := sys.CPU()
	return n
}

// hasRDTSCP: CPUID 0x80000001 EDX bit 27.
var hasRDTSCP = cpuidEDX(0x80000001)&(1<<27) != 0

func rdtscpAux() uint32
func cpuidEDX(leaf uint32) uint32

// List returns the cores of mask, lowest first.
func List(m uint64) (cs []int) {
	for ; m != 0; m &= m - 1 {
		cs = append(cs, bits.TrailingZeros64(m))
	}
	return cs
}

// OnEach runs f(i, c) for each core c = cs[i] on a goroutine locked to a
// thread pinned on c, and waits for all. Each thread gets its affinity
// back before it is unlocked, so no thread pinned to one core stays in
// the runtime's pool. The error names the first core it could not pin
// to (f did not run for it).
func OnEach(cs []int, f func(i, c int)) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			all := Affinity()
			defer SetAffinity(all)
			if err := Pin(c); err != nil {
				mu.Lock()
				if first == nil {
					first = fmt.Errorf("pin to core %d: %w", c, err)
				}
				mu.Unlock()
				return
			}
			f(i, c)
		}()
	}
	wg.Wait()
	return first
}
