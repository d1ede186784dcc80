// Command spin runs a loop that makes no system call for the given number
// of milliseconds (default 300), checking the clock only every few million
// iterations: the CPU driver must preempt it so that the core's other
// programs and its CPU driver keep running.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

func main() {
	ms := 300
	if len(os.Args) > 1 {
		ms, _ = strconv.Atoi(os.Args[1])
	}
	start := time.Now()
	n := 0
	for time.Since(start) < time.Duration(ms)*time.Millisecond {
		for i := 0; i < 4_000_000; i++ {
			n += i & 1
		}
	}
	fmt.Println("spun", ms, "ms", n > 0)
}
