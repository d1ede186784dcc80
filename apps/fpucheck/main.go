// Command fpucheck checks that a thread's FPU state survives system
// calls, page faults, signals and the other threads of its core: each of
// its threads loads XMM0-15, MXCSR, the x87 control word and one x87
// register with values of its own, then in a loop writes a fresh page (a
// demand-zero fault), calls sched_yield (the core runs the others) and
// read on a descriptor that is not open (the general system-call path),
// and compares at the end (MXCSR with its exception flags). It prints "fpucheck: N threads x R rounds
// ok" or what differed, and exits 1 then. Arguments: threads and rounds
// (default 3 and 40).
package main

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
)

// state is what check loads and reads back (fpu_amd64.s).
type state struct {
	xmm   [16][2]uint64
	mxcsr uint32
	fcw   uint16
	_     uint16
	st0   float64
}

// check loads want, runs the loop over pages pages of mem (each written
// once, in order), and stores what the registers then hold in got. It
// leaves MXCSR and the x87 control word at their defaults.
func check(want, got *state, mem uintptr, pages int)

func main() {
	threads, rounds := 3, 40
	if len(os.Args) > 1 {
		threads, _ = strconv.Atoi(os.Args[1])
	}
	if len(os.Args) > 2 {
		rounds, _ = strconv.Atoi(os.Args[2])
	}
	runtime.GOMAXPROCS(threads) // every thread runs in ring 3 at once, on the one core
	const pages = 64
	var wg sync.WaitGroup
	var mu sync.Mutex
	bad := 0
	for th := 0; th < threads; th++ {
		wg.Add(1)
		go func(th int) {
			defer wg.Done()
			runtime.LockOSThread()
			for r := 0; r < rounds; r++ {
				mem, err := syscall.Mmap(-1, 0, pages*4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
				if err != nil {
					fmt.Println("fpucheck: mmap:", err)
					os.Exit(1)
				}
				seed := uint64(os.Getpid())<<40 | uint64(th)<<32 | uint64(r)<<8
				var want, got state
				for i := range want.xmm {
					want.xmm[i] = [2]uint64{seed ^ uint64(i)*0x9e3779b97f4a7c15, ^seed + uint64(i)}
				}
				k := uint32(th + r)
				want.mxcsr = 0x1F80 | (k%4)<<13 | (k&1)<<15 | k*7&0x3F // rounding mode, flush to zero, exception flags
				want.fcw = 0x037F | uint16(k%4)<<10                    // x87 rounding mode
				want.st0 = math.Float64frombits(0x4000000000000000 | seed>>12)
				check(&want, &got, uintptr(unsafePointer(mem)), pages)
				syscall.Munmap(mem)
				if got != want {
					mu.Lock()
					bad++
					fmt.Printf("fpucheck: thread %d round %d: want %x\nfpucheck: got %x\n", th, r, want, got)
					mu.Unlock()
				}
			}
		}(th)
	}
	wg.Wait()
	if bad != 0 {
		fmt.Printf("fpucheck: %d rounds differed\n", bad)
		os.Exit(1)
	}
	fmt.Printf("fpucheck: %d threads x %d rounds ok\n", threads, rounds)
}
