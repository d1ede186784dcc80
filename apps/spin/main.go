// Command spin runs a loop that makes no system call for the given number
// of milliseconds (default 300), checking the clock only every few million
// iterations: the CPU driver must preempt it so that the core's other
// programs and its CPU driver keep running. It prints "spin: spinning N
// ms" when it starts and "spun N ms true" when it is done.
//
// With -tsc the loop makes no system call at all: it reads the time-stamp
// counter (RDTSC, allowed in ring 3) instead of the clock, at a rate
// measured against the clock before it starts. Only the LAPIC timer that
// ends the time slice takes the core from it (apps/ticker measures how
// late that leaves the core's other programs).
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"multikernel/libos/sys"
)

func main() {
	tsc := flag.Bool("tsc", false, "spin on the time-stamp counter: no system call at all")
	flag.Parse()
	ms := 300
	if flag.NArg() > 0 {
		n, err := strconv.Atoi(flag.Arg(0))
		if err != nil || n < 0 {
			fmt.Fprintln(os.Stderr, "usage: spin [-tsc] [MS]")
			os.Exit(2)
		}
		ms = n
	}
	d := time.Duration(ms) * time.Millisecond
	n := 0
	if *tsc {
		perSec := cyclesPerSecond()
		fmt.Printf("spin: spinning %d ms without system calls\n", ms)
		n = spinCycles(uint64(d.Seconds() * perSec))
	} else {
		fmt.Printf("spin: spinning %d ms\n", ms)
		start := time.Now()
		for time.Since(start) < d {
			for i := 0; i < 4_000_000; i++ {
				n += i & 1
			}
		}
	}
	fmt.Println("spun", ms, "ms", n > 0)
}

// cyclesPerSecond measures the time-stamp counter's rate against the
// clock over 50 ms.
func cyclesPerSecond() float64 {
	t0, c0 := time.Now(), sys.Cycles()
	time.Sleep(50 * time.Millisecond)
	return float64(sys.Cycles()-c0) / time.Since(t0).Seconds()
}

// spinCycles loops until the time-stamp counter has advanced by cycles,
// and returns a count of the loop's work (so that it is not optimised
// away).
func spinCycles(cycles uint64) int {
	n := 0
	end := sys.Cycles() + cycles
	for sys.Cycles() < end {
		for i := 0; i < 1000; i++ {
			n += i & 1
		}
	}
	return n
}
