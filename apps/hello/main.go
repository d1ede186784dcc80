// Command hello is the smallest program of the Go personality: it prints a
// line, starts goroutines that talk over a channel, sleeps, and exits with
// the status given as its first argument (default 0).
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

func main() {
	fmt.Println("hello from ring 3")
	ch := make(chan int)
	for i := 0; i < 4; i++ {
		go func(i int) { ch <- i * i }(i)
	}
	sum := 0
	for i := 0; i < 4; i++ {
		sum += <-ch
	}
	time.Sleep(10 * time.Millisecond)
	fmt.Println("goroutines sum", sum)
	if len(os.Args) > 1 {
		n, _ := strconv.Atoi(os.Args[1])
		os.Exit(n)
	}
}
