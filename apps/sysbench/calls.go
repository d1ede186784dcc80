//go:build linux

package main

import (
	"fmt"
	"syscall"
	"time"
	"unsafe"
)

// The one-call measures: n calls in a loop, timed as a whole. Each checks
// its call's result once before the loop.

// badFD is a descriptor no run of the program opens.
const badFD = 999

// sinkTime keeps time.Now's results live.
var sinkTime time.Time

// getpidCalls times n getpid calls.
func getpidCalls(n int) (time.Duration, error) {
	if pid, _, _ := syscall.RawSyscall(syscall.SYS_GETPID, 0, 0, 0); int(pid) != syscall.Getpid() {
		return 0, fmt.Errorf("getpid returned %d, want %d", pid, syscall.Getpid())
	}
	start := time.Now()
	for range n {
		syscall.RawSyscall(syscall.SYS_GETPID, 0, 0, 0)
	}
	return time.Since(start), nil
}

// readBadFD times n reads of a descriptor that is not open.
func readBadFD(n int) (time.Duration, error) {
	var b [1]byte
	p := uintptr(unsafe.Pointer(&b[0]))
	if _, _, e := syscall.RawSyscall(syscall.SYS_READ, badFD, p, 1); e != syscall.EBADF {
		return 0, fmt.Errorf("read(%d) failed with %v, want EBADF", badFD, e)
	}
	start := time.Now()
	for range n {
		syscall.RawSyscall(syscall.SYS_READ, badFD, p, 1)
	}
	return time.Since(start), nil
}

// fcntlGetfd times n fcntl(1, F_GETFD) calls.
func fcntlGetfd(n int) (time.Duration, error) {
	if _, _, e := syscall.RawSyscall(syscall.SYS_FCNTL, 1, syscall.F_GETFD, 0); e != 0 {
		return 0, fmt.Errorf("fcntl(1, F_GETFD): %v", e)
	}
	start := time.Now()
	for range n {
		syscall.RawSyscall(syscall.SYS_FCNTL, 1, syscall.F_GETFD, 0)
	}
	return time.Since(start), nil
}

// schedYield times n sched_yield calls.
func schedYield(n int) (time.Duration, error) {
	if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_YIELD, 0, 0, 0); e != 0 {
		return 0, fmt.Errorf("sched_yield: %v", e)
	}
	start := time.Now()
	for range n {
		syscall.RawSyscall(syscall.SYS_SCHED_YIELD, 0, 0, 0)
	}
	return time.Since(start), nil
}

// clockMonotonic is CLOCK_MONOTONIC.
const clockMonotonic = 1

// clockGettime times n clock_gettime(CLOCK_MONOTONIC) system calls.
func clockGettime(n int) (time.Duration, error) {
	var ts syscall.Timespec
	p := uintptr(unsafe.Pointer(&ts))
	if _, _, e := syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clockMonotonic, p, 0); e != 0 || ts.Sec == 0 && ts.Nsec == 0 {
		return 0, fmt.Errorf("clock_gettime(CLOCK_MONOTONIC): %v, %d.%09d", e, ts.Sec, ts.Nsec)
	}
	start := time.Now()
	for range n {
		syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clockMonotonic, p, 0)
	}
	return time.Since(start), nil
}

// timeNow times n calls of time.Now.
func timeNow(n int) (time.Duration, error) {
	start := time.Now()
	for range n {
		sinkTime = time.Now()
	}
	return time.Since(start), nil
}
