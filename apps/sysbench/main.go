//go:build linux

// Command sysbench measures the costs issue 4 compares between the
// multikernel and Linux: one static binary that runs unmodified on both,
// as a program of the Go personality and as /init of a Linux initramfs
// (tools/bootbench -sys runs it on both and compares). It prints one line
// per measure, each the median of -reps repetitions, measured with the
// monotonic clock (time.Now):
//
//	sysbench: start
//	sysbench: gomaxprocs 1 numcpu 1 pid 2
//	sysbench: getpid 123.4 ns/op (50000 ops, median of 3)
//	sysbench: pagefault 2345.6 ns/op (16384 ops, median of 3)
//	sysbench: futexwake 3456.7 ns/op (10000 ops, median of 3)
//	sysbench: done
//
// The measures:
//
//   - getpid: a null system call, getpid through syscall.RawSyscall in a
//     loop (no entersyscall bookkeeping of the Go runtime), per call;
//   - pagefault: a demand-zero page fault: a fresh anonymous private
//     mapping of -mib MiB (syscall.Mmap, with MADV_NOHUGEPAGE so that Linux
//     faults 4 KiB pages, not 2 MiB ones) written one byte per page, per
//     page;
//   - futexwake: a thread wake-up through futex: two goroutines locked to
//     two OS threads (runtime.LockOSThread, GOMAXPROCS raised to 2 for the
//     duration) take turns on a shared uint32 with FUTEX_WAIT and
//     FUTEX_WAKE (private) through raw system calls; each turn is one
//     wake-up, and the figure is the time per turn. On a single core (the
//     multikernel runs a program's threads on its own core) both threads
//     share that core, so a wake-up includes a switch between them.
//
// The first line, "sysbench: start", is printed first thing in main: the
// start of a Go program to its first line is measured from outside, on
// the console. "sysbench: done" ends a successful run, and the program
// exits 0. When it runs as process 1 (Linux's init) it powers the machine
// off instead of returning (which would panic the kernel).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// out is where the result lines go: standard output, or the console when
// init was started without one.
var out io.Writer = os.Stdout

// say prints one line. Process 1 falls back to /dev/console if standard
// output fails (an initramfs whose kernel could not open the console).
func say(format string, a ...any) {
	line := fmt.Sprintf(format, a...) + "\n"
	if _, err := io.WriteString(out, line); err != nil && os.Getpid() == 1 {
		if f, err := os.OpenFile("/dev/console", os.O_WRONLY, 0); err == nil {
			out = f
			io.WriteString(out, line)
		}
	}
}

func main() {
	say("sysbench: start")
	calls := flag.Int("calls", 50000, "getpid calls per repetition")
	mib := flag.Int("mib", 64, "MiB mapped and touched per page-fault repetition")
	turns := flag.Int("turns", 10000, "futex wake-ups per repetition")
	reps := flag.Int("reps", 3, "repetitions of each measure (the median is printed)")
	flag.Parse()
	say("sysbench: gomaxprocs %d numcpu %d pid %d", runtime.GOMAXPROCS(0), runtime.NumCPU(), os.Getpid())
	if err := bench(*calls, *mib, *turns, *reps); err != nil {
		say("sysbench: error: %v", err)
		finish(1)
	}
	say("sysbench: done")
	finish(0)
}

// bench runs every measure reps times and prints the medians.
func bench(calls, mib, turns, reps int) error {
	if calls < 1 || mib < 1 || turns < 1 || reps < 1 {
		return fmt.Errorf("-calls %d -mib %d -turns %d -reps %d: want each at least 1", calls, mib, turns, reps)
	}
	report := func(name string, ops int, f func() (time.Duration, error)) error {
		ds := make([]time.Duration, 0, reps)
		for range reps {
			d, err := f()
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			ds = append(ds, d)
		}
		say("sysbench: %s %.1f ns/op (%d ops, median of %d)", name, float64(median(ds))/float64(ops), ops, reps)
		return nil
	}
	if err := report("getpid", calls, func() (time.Duration, error) { return nullCalls(calls), nil }); err != nil {
		return err
	}
	size := mib << 20
	pages := size / os.Getpagesize()
	if err := report("pagefault", pages, func() (time.Duration, error) { return pageFaults(size) }); err != nil {
		return err
	}
	turns = max(2, turns&^1) // an even number: both threads take as many turns
	return report("futexwake", turns, func() (time.Duration, error) { return futexTurns(turns), nil })
}

// median returns the middle of ds (the upper middle for an even count).
func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// nullCalls times n getpid system calls.
func nullCalls(n int) time.Duration {
	start := time.Now()
	for range n {
		syscall.RawSyscall(syscall.SYS_GETPID, 0, 0, 0)
	}
	return time.Since(start)
}

// pageFaults maps size bytes of fresh anonymous memory and times writing
// one byte to each page, each write a demand-zero fault.
func pageFaults(size int) (time.Duration, error) {
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return 0, fmt.Errorf("mmap %d bytes: %w", size, err)
	}
	defer syscall.Munmap(b)
	// 4 KiB pages on both systems; a kernel without huge pages may refuse.
	_ = syscall.Madvise(b, syscall.MADV_NOHUGEPAGE)
	step := os.Getpagesize()
	start := time.Now()
	for i := 0; i < len(b); i += step {
		b[i] = 1
	}
	return time.Since(start), nil
}

// Futex operations (private to the process, as the Go runtime uses them).
const (
	futexWaitPrivate = 0 | 128
	futexWakePrivate = 1 | 128
)

// futexWait sleeps while *addr holds val (or returns at once if it does
// not); spurious returns are the caller's to loop over.
func futexWait(addr *uint32, val uint32) {
	_, _, e := syscall.RawSyscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(addr)), futexWaitPrivate, uintptr(val), 0, 0, 0)
	if e == syscall.ENOSYS {
		panic("futex wait: ENOSYS")
	}
}

// futexWake wakes one thread sleeping on addr.
func futexWake(addr *uint32) {
	_, _, e := syscall.RawSyscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(addr)), futexWakePrivate, 1, 0, 0, 0)
	if e == syscall.ENOSYS {
		panic("futex wake: ENOSYS")
	}
}

// futexTurns times n (even) wake-ups between two OS threads that take
// turns on one futex word: the word's value is the number of turns taken
// so far; the thread calling (this one) takes the odd turns and its
// partner the even ones. Each thread, its turn over, wakes the other and
// sleeps until the word moves on. One turn each before the timing starts
// brings the partner thread up.
func futexTurns(n int) time.Duration {
	prev := runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(prev)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var word uint32
	total := uint32(n + 2) // n turns timed, each side's first untimed
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		defer close(done)
		for v := uint32(1); v < total; v += 2 {
			for atomic.LoadUint32(&word) != v {
				futexWait(&word, v-1)
			}
			atomic.StoreUint32(&word, v+1)
			futexWake(&word)
		}
	}()
	var start time.Time
	for v := uint32(0); v < total; v += 2 {
		if v == 2 {
			start = time.Now()
		}
		atomic.StoreUint32(&word, v+1)
		futexWake(&word)
		for atomic.LoadUint32(&word) != v+2 {
			futexWait(&word, v+1)
		}
	}
	d := time.Since(start)
	<-done
	return d
}

// finish ends the program with status: as Linux's init (process 1) by
// powering off, since init must not exit; otherwise by exiting.
func finish(status int) {
	if os.Getpid() == 1 {
		err := syscall.Reboot(syscall.LINUX_REBOOT_CMD_POWER_OFF)
		// Returning from init panics the kernel; with panic=-1 and QEMU's
		// -no-reboot that ends the run too.
		say("sysbench: power off: %v", err)
	}
	os.Exit(status)
}
