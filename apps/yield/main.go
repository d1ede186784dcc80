//go:build linux

// Command yield checks that sched_yield gives the core to another thread
// that is ready to run: two threads (goroutines locked to OS threads,
// GOMAXPROCS 2) take turns on a shared word, each calling sched_yield
// after every turn, -n turns each. Where yielding works the two
// alternate; a yield that returned at once although the other thread was
// ready would leave a thread taking turns for its whole time slice. It
// prints
//
//	yield: 2 threads, N turns each: longest run R, hand-overs H
//
// (a run: turns one thread took in a row; a hand-over: a turn taken
// from the other thread) and exits 1 if fewer than -share of the turns
// were hand-overs. (A few long runs happen where yielding works too:
// while the Go runtime preempts one of the threads, the other takes
// turns alone.)
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
)

// owner is the thread that took the last turn (1 or 2); ready counts
// the threads at the start line.
var owner, ready atomic.Int32

func yield() { syscall.RawSyscall(syscall.SYS_SCHED_YIELD, 0, 0, 0) }

// turns takes n turns as thread id and returns its longest run and the
// turns it took from the other thread.
func turns(id int32, n int) (longest, handovers int) {
	runtime.LockOSThread()
	ready.Add(1)
	for ready.Load() < 2 {
		yield() // both start together: the other may still be starting
	}
	run := 0
	for range n {
		if owner.Swap(id) == id {
			run++
		} else {
			run = 1
			handovers++
		}
		longest = max(longest, run)
		yield()
	}
	return longest, handovers
}

func main() {
	n := flag.Int("n", 20000, "turns per thread")
	share := flag.Float64("share", 0.9, "least share of the turns that must be hand-overs")
	flag.Parse()
	runtime.GOMAXPROCS(2)
	var wg sync.WaitGroup
	var longest, handovers [2]int
	for i := range 2 {
		wg.Go(func() { longest[i], handovers[i] = turns(int32(i+1), *n) })
	}
	wg.Wait()
	h := handovers[0] + handovers[1]
	fmt.Printf("yield: 2 threads, %d turns each: longest run %d, hand-overs %d\n", *n, max(longest[0], longest[1]), h)
	if float64(h) < *share*float64(2**n) {
		fmt.Printf("yield: %d of %d turns were hand-overs, want at least %.0f%%: sched_yield did not let the other thread run\n", h, 2**n, 100**share)
		os.Exit(1)
	}
}
