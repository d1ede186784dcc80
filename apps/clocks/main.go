// Command clocks checks what the CPU-time clocks and getrandom report:
//
//	clocks spin MS      spin (no system calls) for MS ms of wall time, then
//	                    sleep as long; print the thread's and the process's
//	                    CPU time for each, in ms
//	clocks random       check getrandom's flags and that two reads differ
//	clocks now N        call time.Now N times and print the time per call
//	                    (with a vDSO, no system call is made)
//	clocks rate MS      print CLOCK_MONOTONIC and CLOCK_REALTIME, sleep MS
//	                    ms, print them again: the test times the two lines
//	                    on the host
//
// rate prints "clocks: rate start real R sys S" and "clocks: rate end
// real R sys S mono M" (ns: REALTIME from the vDSO through time.Now,
// MONOTONIC from the system call, and the vDSO's MONOTONIC time between
// the two lines).
//
// spin prints "clocks: spin W ms: thread C ms, process P ms; sleep W ms:
// thread S ms; spun from A to B ms" (A and B on CLOCK_MONOTONIC) for the
// test to judge (two spinners on one core share it while both spin). random prints "clocks: NAME: ok"
// per check and exits 0 if all held.
package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
	"unsafe"

	"multikernel/libos/probe"
)

const (
	clockMonotonic  = 1
	clockProcessCPU = 2
	clockThreadCPU  = 3
	sysGetrandom    = 318 // not in package syscall
)

// cpu returns clock's time in ms (a CPU-time clock, or CLOCK_MONOTONIC,
// which the programs of one core share).
func cpu(clock int) float64 {
	var ts syscall.Timespec
	syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, uintptr(clock), uintptr(unsafe.Pointer(&ts)), 0)
	return float64(ts.Nano()) / 1e6
}

var sink uint64

func main() {
	switch {
	case len(os.Args) == 3 && os.Args[1] == "spin":
		ms, err := strconv.Atoi(os.Args[2])
		if err != nil || ms <= 0 {
			usage()
		}
		spin(time.Duration(ms) * time.Millisecond)
	case len(os.Args) == 2 && os.Args[1] == "random":
		random()
	case len(os.Args) == 3 && os.Args[1] == "rate":
		ms, err := strconv.Atoi(os.Args[2])
		if err != nil || ms <= 0 {
			usage()
		}
		rate(time.Duration(ms) * time.Millisecond)
	case len(os.Args) == 3 && os.Args[1] == "now":
		n, err := strconv.Atoi(os.Args[2])
		if err != nil || n <= 0 {
			usage()
		}
		now(n)
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: clocks spin MS | clocks random | clocks now N | clocks rate MS")
	os.Exit(2)
}

// spin measures CPU time over d of spinning and d of sleeping.
func spin(d time.Duration) {
	from := cpu(clockMonotonic)
	t0, p0 := cpu(clockThreadCPU), cpu(clockProcessCPU)
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		for i := 0; i < 100000; i++ {
			sink += uint64(i) * 7
		}
	}
	t1, p1 := cpu(clockThreadCPU), cpu(clockProcessCPU)
	to := cpu(clockMonotonic)
	time.Sleep(d)
	t2 := cpu(clockThreadCPU)
	fmt.Printf("clocks: spin %d ms: thread %.1f ms, process %.1f ms; sleep %d ms: thread %.1f ms; spun from %.1f to %.1f ms\n",
		d.Milliseconds(), t1-t0, p1-p0, d.Milliseconds(), t2-t1, from, to)
}

// rate prints the clocks before and after sleeping d.
func rate(d time.Duration) {
	sys := func() int64 {
		var ts syscall.Timespec
		syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clockMonotonic, uintptr(unsafe.Pointer(&ts)), 0)
		return ts.Nano()
	}
	start := time.Now()
	fmt.Printf("clocks: rate start real %d sys %d\n", start.UnixNano(), sys())
	time.Sleep(d)
	end := time.Now()
	fmt.Printf("clocks: rate end real %d sys %d mono %d\n", end.UnixNano(), sys(), end.Sub(start).Nanoseconds())
}

// now times n calls of time.Now, each after the last, and checks the
// clock never goes back.
func now(n int) {
	start := time.Now()
	last := start
	for range n {
		t := time.Now()
		if t.Before(last) {
			fmt.Printf("clocks: time.Now went back from %v to %v\n", last, t)
			os.Exit(1)
		}
		last = t
	}
	d := time.Since(start)
	fmt.Printf("clocks: %d calls of time.Now, %.1f ns each\n", n, float64(d.Nanoseconds())/float64(n))
}

// random checks getrandom.
func random() {
	c := probe.Checks{Program: "clocks"}
	get := func(n int, flags uintptr) ([]byte, syscall.Errno) {
		b := make([]byte, n)
		r, _, e := syscall.RawSyscall(sysGetrandom, uintptr(unsafe.Pointer(&b[0])), uintptr(n), flags)
		if e != 0 {
			return nil, e
		}
		return b[:r], 0
	}
	a, e1 := get(64, 0)
	b, e2 := get(64, 1) // GRND_NONBLOCK
	c.Check("getrandom fills the buffer", e1 == 0 && e2 == 0 && len(a) == 64 && len(b) == 64, fmt.Sprint(e1, e2, len(a), len(b)))
	c.Check("two reads differ", !bytes.Equal(a, b), "")
	_, e := get(16, 8)
	c.Check("an unknown flag is EINVAL", e == syscall.EINVAL, e.Error())
	_, e = get(16, 2|4) // GRND_RANDOM|GRND_INSECURE
	c.Check("GRND_RANDOM with GRND_INSECURE is EINVAL", e == syscall.EINVAL, e.Error())
	var counts [256]int
	big, _ := get(1<<16, 0)
	for _, x := range big {
		counts[x]++
	}
	lo, hi := counts[0], counts[0]
	for _, n := range counts {
		lo, hi = min(lo, n), max(hi, n)
	}
	c.Check("64 KiB spread over every byte value", lo > 150 && hi < 370, fmt.Sprintf("counts %d-%d (expect about 256)", lo, hi))
	fmt.Printf("clocks: first bytes %x\n", a[:8])
	if c.Failed > 0 {
		os.Exit(1)
	}
	fmt.Println("clocks: all checks passed")
}
