// Command sysfuzz makes random system calls with random arguments from
// ring 3, to shake out CPU driver bugs: no call may crash or hang the
// core. It leaves out the calls that would only end or maim the fuzzer
// itself (exit, memory unmapping and remapping, clone, rt_sigreturn,
// signals to itself), then says how it went. A call may block for good
// (a read of an empty pipe it made, epoll_pwait without a timeout), as on
// Linux: the fuzzing runs in its own goroutine, and the program reports
// and exits after at most a deadline. Usage: sysfuzz [CALLS [SEED [SECONDS]]].
package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"
)

// skipped are the numbers whose random use kills or corrupts the fuzzer
// rather than testing the kernel.
var skipped = map[uintptr]bool{
	9: true, 10: true, 11: true, 12: true, 15: true, 25: true, 28: true, // mmap, mprotect, munmap, brk, rt_sigreturn, mremap, madvise
	56: true, 57: true, 58: true, 60: true, 231: true, 435: true, // clone, fork, vfork, exit, exit_group, clone3
	62: true, 200: true, 234: true, 129: true, // kill, tkill, tgkill, rt_sigqueueinfo
	13: true, 14: true, 131: true, 158: true, // rt_sigaction, rt_sigprocmask, sigaltstack, arch_prctl: the runtime's own state
	202: true, // futex on random words can park the runtime's threads forever
	3:   true, // close: the runtime's epoll and eventfd descriptors
	318: true, // getrandom: random lengths overwrite the fuzzer's own heap
}

// fdCalls take a descriptor first: on the console they only spray noise,
// and on the runtime's epoll and eventfd descriptors they break its
// netpoller (a lost wake-up leaves timers late by a minute), which tests
// the fuzzer, not the kernel.
var fdCalls = map[uintptr]bool{0: true, 1: true, 16: true, 17: true, 18: true, 19: true, 20: true,
	72: true, 232: true, 233: true, 281: true}

// randArg picks an interesting argument: small numbers, pointers into the
// fuzzer's own memory, kernel and non-canonical addresses, or noise.
func randArg(r *rand.Rand, buf []byte) uintptr {
	switch r.IntN(6) {
	case 0:
		return uintptr(r.IntN(16))
	case 1:
		return uintptr(0xffffffff80200000 + r.Uint64N(1<<20))
	case 2:
		return uintptr(0x0000800000000000 + r.Uint64N(1<<30))
	case 3:
		// Inside the first half of buf: whatever the kernel writes there
		// (up to 32 KiB) stays in the fuzzer's scratch buffer.
		return uintptrOf(buf) + uintptr(r.IntN(len(buf)/2))
	case 4:
		return ^uintptr(0) - uintptr(r.IntN(4096))
	}
	return uintptr(r.Uint64())
}

func main() {
	calls, seed, secs := 20000, uint64(1), 20
	if len(os.Args) > 1 {
		calls, _ = strconv.Atoi(os.Args[1])
	}
	if len(os.Args) > 2 {
		seed, _ = strconv.ParseUint(os.Args[2], 10, 64)
	}
	if len(os.Args) > 3 {
		secs, _ = strconv.Atoi(os.Args[3])
	}
	var cpu uint32
	syscall.RawSyscall(309, uintptr(uintptrOf32(&cpu)), 0, 0)
	var made, errs atomic.Int64
	done := make(chan struct{})
	go fuzz(calls, seed, uint64(cpu), &made, &errs, done)
	select {
	case <-done:
	case <-time.After(time.Duration(secs) * time.Second):
	}
	fmt.Printf("sysfuzz: %d of %d calls made on core %d, %d failed; still answering\n", made.Load(), calls, cpu, errs.Load())
	os.Exit(0) // ends a fuzzing thread still blocked in a call
}

// fuzz makes the calls, counting them.
func fuzz(calls int, seed, stream uint64, made, errs *atomic.Int64, done chan<- struct{}) {
	defer close(done)
	r := rand.New(rand.NewPCG(seed, stream))
	buf := make([]byte, 1<<16)
	for i := 0; i < calls; i++ {
		nr := uintptr(r.IntN(460))
		if r.IntN(20) == 0 {
			nr = 0x1000 + uintptr(r.IntN(8)) // native calls
		}
		if skipped[nr] {
			continue
		}
		a0 := randArg(r, buf)
		if fdCalls[nr] && a0 < 16 {
			continue // the console and the runtime's own epoll and eventfd
		}
		// Syscall6, not RawSyscall6: a call that blocks releases the P.
		_, _, e := syscall.Syscall6(nr, a0, randArg(r, buf), randArg(r, buf),
			randArg(r, buf), randArg(r, buf), randArg(r, buf))
		made.Add(1)
		if e != 0 {
			errs.Add(1)
		}
	}
}
