// Command spanbench measures a program spanning cores, with the same
// static binary on this system and on Linux: the latency of one munmap of
// a page while a thread of the program is pinned on each of its cores (a
// TLB shootdown to every core), a futex wake-up from a thread pinned on
// one core to a thread pinned on another (a round trip of two wakes), and
// the time of a fixed amount of CPU work split over 1, 2, 4, ... threads
// pinned on distinct cores. It prints one line per figure:
//
//	spanbench: cores N munmap-ns T
//	spanbench: cores N futex-pingpong-ns T
//	spanbench: cores N threads K work-ns T result R
package main

import (
	"flag"
	"fmt"
	"math/bits"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

func affinity() uint64 {
	var m [16]uint64
	syscall.RawSyscall(syscall.SYS_SCHED_GETAFFINITY, 0, unsafe.Sizeof(m), uintptr(unsafe.Pointer(&m[0])))
	return m[0]
}

func pin(c int) {
	m := [16]uint64{1 << c}
	if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, 0, unsafe.Sizeof(m), uintptr(unsafe.Pointer(&m[0]))); e != 0 {
		fmt.Printf("spanbench: pin to core %d: %v\n", c, e)
		os.Exit(1)
	}
}

func coresOf(m uint64) (cs []int) {
	for ; m != 0; m &= m - 1 {
		cs = append(cs, bits.TrailingZeros64(m))
	}
	return cs
}

var stop atomic.Bool

// spinners pins a thread on each core but the first and keeps it busy
// (touching page, so each core's TLB holds the program's entries) until
// stop.
func spinners(cores []int, page *byte) *sync.WaitGroup {
	var wg sync.WaitGroup
	for _, c := range cores[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			pin(c)
			for !stop.Load() {
				_ = *(*byte)(unsafe.Pointer(page))
				for i := 0; i < 1000; i++ {
				}
			}
		}()
	}
	return &wg
}

func munmapBench(cores []int, rounds int) {
	runtime.LockOSThread()
	pin(cores[0])
	keep, _ := syscall.Mmap(-1, 0, 4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	keep[0] = 1
	stop.Store(false)
	wg := spinners(cores, &keep[0])
	time.Sleep(50 * time.Millisecond)
	var total time.Duration
	for r := 0; r < rounds; r++ {
		b, err := syscall.Mmap(-1, 0, 4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
		if err != nil {
			fmt.Printf("spanbench: mmap: %v\n", err)
			os.Exit(1)
		}
		b[0] = 1
		t0 := time.Now()
		syscall.Munmap(b)
		total += time.Since(t0)
	}
	stop.Store(true)
	wg.Wait()
	runtime.UnlockOSThread()
	fmt.Printf("spanbench: cores %d munmap-ns %d\n", len(cores), total.Nanoseconds()/int64(rounds))
}

func futex(addr *uint32, op, val uintptr) {
	syscall.Syscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(addr)), op, val, 0, 0, 0)
}

const (
	futexWait = 128 // FUTEX_WAIT | FUTEX_PRIVATE_FLAG
	futexWake = 129
)

// pingpong: a thread on core a and one on core b hand a token back and
// forth through a futex word, each waiting in FUTEX_WAIT until the other
// wakes it.
func pingpong(a, b, rounds int) time.Duration {
	var word uint32 // 0: a's turn, 1: b's turn
	var wg sync.WaitGroup
	side := func(c int, mine uint32) {
		defer wg.Done()
		runtime.LockOSThread()
		pin(c)
		for r := 0; r < rounds; r++ {
			for atomic.LoadUint32(&word) != mine {
				futex(&word, futexWait, uintptr(1-mine))
			}
			atomic.StoreUint32(&word, 1-mine)
			futex(&word, futexWake, 1)
		}
	}
	wg.Add(2)
	t0 := time.Now()
	go side(a, 0)
	go side(b, 1)
	wg.Wait()
	return time.Since(t0)
}

// work is a fixed chain of integer hashing: no memory, no calls.
func work(seed, n uint64) uint64 {
	x := seed
	for i := uint64(0); i < n; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}

func speedup(cores []int, units uint64, counts []int) {
	for _, k := range counts {
		if k > len(cores) {
			continue
		}
		res := make([]uint64, k)
		var wg sync.WaitGroup
		t0 := time.Now()
		for i := 0; i < k; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				runtime.LockOSThread()
				pin(cores[i])
				res[i] = work(uint64(i+1), units/uint64(k))
			}()
		}
		wg.Wait()
		d := time.Since(t0)
		var r uint64
		for _, x := range res {
			r ^= x
		}
		fmt.Printf("spanbench: cores %d threads %d work-ns %d result %#x\n", len(cores), k, d.Nanoseconds(), r)
	}
}

func main() {
	rounds := flag.Int("rounds", 100, "munmaps and futex round trips to time")
	units := flag.Uint64("work", 20_000_000, "units of CPU work split over the threads")
	flag.Parse()
	cores := coresOf(affinity())
	munmapBench(cores, *rounds)
	if len(cores) > 1 {
		d := pingpong(cores[0], cores[len(cores)-1], *rounds)
		fmt.Printf("spanbench: cores %d futex-pingpong-ns %d\n", len(cores), d.Nanoseconds()/int64(*rounds))
	}
	speedup(cores, *units, []int{1, 2, 4, 8, 16})
	fmt.Println("spanbench: done")
}
