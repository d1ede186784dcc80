// Command ticker wakes up every 10 ms (-every) and prints a line with the
// time since it started on the monotonic clock, -n times (200):
//
//	ticker: tick 17 at 170.123 ms
//
// then the largest gap between two consecutive ticks, and the median:
//
//	ticker: 200 ticks every 10ms: largest gap 12.345 ms (before tick 17), median 10.012 ms
//
// Each tick is due at its own time (start + i*every), so one late tick
// does not delay the rest. Beside a program that never makes a system
// call (apps/spin -tsc) on the same core, the largest gap says how long
// the core's time slicing lets that program hold the core. -wait delays
// the first tick (so that such a program is spinning by then).
package main

import (
	"flag"
	"fmt"
	"slices"
	"time"
)

func main() {
	n := flag.Int("n", 200, "ticks")
	every := flag.Duration("every", 10*time.Millisecond, "time between ticks")
	wait := flag.Duration("wait", 0, "time before the first tick")
	flag.Parse()
	if *n < 2 || *every <= 0 {
		fmt.Println("ticker: need -n of at least 2 and a positive -every")
		return
	}
	time.Sleep(*wait)
	start := time.Now()
	at := make([]time.Duration, *n)
	for i := range at {
		time.Sleep(time.Until(start.Add(time.Duration(i) * *every)))
		at[i] = time.Since(start)
		fmt.Printf("ticker: tick %d at %.3f ms\n", i, ms(at[i]))
	}
	gaps := make([]time.Duration, *n-1)
	worst := 1 // the tick after the largest gap
	for i := 1; i < *n; i++ {
		gaps[i-1] = at[i] - at[i-1]
		if gaps[i-1] > at[worst]-at[worst-1] {
			worst = i
		}
	}
	largest := at[worst] - at[worst-1]
	slices.Sort(gaps)
	fmt.Printf("ticker: %d ticks every %v: largest gap %.3f ms (before tick %d), median %.3f ms\n",
		*n, *every, ms(largest), worst, ms(gaps[len(gaps)/2]))
}

// ms is d in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / 1e6 }
