//go:build linux

// Command sysbench measures what system calls, faults and wake-ups cost a
// program: one static binary that runs unmodified on the multikernel (a
// program of the Go personality) and on Linux (/init of an initramfs);
// tools/bootbench -sys runs it on both and compares. It prints one line
// per measure, each the median of -reps repetitions timed with the
// monotonic clock (time.Now around the whole repetition):
//
//	sysbench: start
//	sysbench: gomaxprocs 1 numcpu 1 pid 2
//	sysbench: getpid-fastpath 123.4 ns/op (50000 ops, median of 3)
//	sysbench: read-ebadf 1234.5 ns/op (50000 ops, median of 3)
//	...
//	sysbench: done in 5432.100 ms
//
// Each name says what one operation is (measures, in order):
//
//   - getpid-fastpath: getpid. The multikernel answers it, and the other
//     calls whose answer is a constant of the thread, in its SYSCALL entry
//     code without reaching its system-call dispatch (cpudriver/ring0,
//     user_amd64.s); Linux runs it through its general path. It is the
//     floor of a system call, not what other calls cost.
//   - read-ebadf: read(999, buf, 1) on a descriptor that is not open,
//     failing with EBADF: the general dispatch with the least work behind
//     it.
//   - fcntl-getfd: fcntl(1, F_GETFD) on standard output, as the Go runtime
//     calls it at start.
//   - sched-yield: sched_yield with no other thread ready to run.
//   - clock-gettime-syscall: clock_gettime(CLOCK_MONOTONIC) as a SYSCALL
//     instruction, never through a vDSO.
//   - time-now: time.Now() as Go pays it: through the vDSO where the
//     kernel maps one (Linux does), else the system call.
//   - mmap-munmap-page: mmap of one anonymous private 4 KiB page, never
//     touched, and its munmap; one operation is the pair.
//   - pagefault: a demand-zero page fault: a fresh anonymous private
//     mapping of -mib MiB (MADV_NOHUGEPAGE, so that Linux faults 4 KiB
//     pages and not 2 MiB ones) written one byte per page, per page.
//   - pipe-roundtrip: two threads, two pipes: one writes a byte into the
//     first, the other reads it and writes it into the second, the first
//     reads it back; one operation is that round trip (two wake-ups).
//   - futex-roundtrip: two threads take turns on one futex word with
//     FUTEX_WAKE and FUTEX_WAIT (private), each waking the other; one
//     operation is a round trip (two wake-ups).
//
// Every system call is made with syscall.RawSyscall, so that none of the
// Go runtime's system-call bookkeeping is in the figures (but for
// time-now, which is what the runtime itself does). The two-thread
// measures lock two goroutines to two OS threads (GOMAXPROCS 2 for the
// duration); on one core (the multikernel runs a process's threads on its
// own core; Linux when the machine has one) the threads share it, so each
// wake-up includes a switch between them. Each measure checks once before
// timing that its call does what it says (read fails with EBADF, fcntl
// succeeds, ...), so that a figure never times a different failure.
//
// The first line, "sysbench: start", is printed first thing in main: the
// start of a Go program to its first line is measured from outside, on
// the console. "sysbench: done in N ms" ends a successful run, N the time
// since just before the first line by the program's own clock, so that
// the host can check that clock against its own (a kernel that calibrated
// its clock wrongly would report wrong figures); the program exits 0. When it runs as process 1 (Linux's init) it powers the machine
// off instead of returning (which would panic the kernel).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"syscall"
	"time"
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
	begin := time.Now()
	say("sysbench: start")
	var s sizes
	flag.IntVar(&s.calls, "calls", 50000, "system calls per repetition of each one-call measure")
	flag.IntVar(&s.maps, "maps", 5000, "mmap+munmap pairs per repetition")
	flag.IntVar(&s.mib, "mib", 64, "MiB mapped and touched per page-fault repetition")
	flag.IntVar(&s.trips, "trips", 5000, "round trips per repetition of the two-thread measures")
	flag.IntVar(&s.reps, "reps", 3, "repetitions of each measure (the median is printed)")
	flag.Parse()
	say("sysbench: gomaxprocs %d numcpu %d pid %d", runtime.GOMAXPROCS(0), runtime.NumCPU(), os.Getpid())
	if err := bench(s); err != nil {
		say("sysbench: error: %v", err)
		finish(1)
	}
	say("sysbench: done in %.3f ms", float64(time.Since(begin))/1e6)
	finish(0)
}

// sizes are the command's flags: how much each repetition does.
type sizes struct {
	calls, maps, mib, trips, reps int
}

// measure is one figure the program prints: ops operations per
// repetition, timed by run.
type measure struct {
	name string
	ops  int
	run  func(ops int) (time.Duration, error)
}

// measures returns the measures in the order they run and print.
func measures(s sizes) []measure {
	pages := s.mib << 20 / os.Getpagesize()
	return []measure{
		{"getpid-fastpath", s.calls, getpidCalls},
		{"read-ebadf", s.calls, readBadFD},
		{"fcntl-getfd", s.calls, fcntlGetfd},
		{"sched-yield", s.calls, schedYield},
		{"clock-gettime-syscall", s.calls, clockGettime},
		{"time-now", s.calls, timeNow},
		{"mmap-munmap-page", s.maps, mmapMunmap},
		{"pagefault", pages, pageFaults},
		{"pipe-roundtrip", s.trips, pipeRoundTrips},
		{"futex-roundtrip", s.trips, futexRoundTrips},
	}
}

// bench runs every measure s.reps times and prints the medians.
func bench(s sizes) error {
	if s.calls < 1 || s.maps < 1 || s.mib < 1 || s.trips < 1 || s.reps < 1 {
		return fmt.Errorf("-calls %d -maps %d -mib %d -trips %d -reps %d: want each at least 1", s.calls, s.maps, s.mib, s.trips, s.reps)
	}
	for _, m := range measures(s) {
		ds := make([]time.Duration, 0, s.reps)
		for range s.reps {
			d, err := m.run(m.ops)
			if err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			ds = append(ds, d)
		}
		say("sysbench: %s %.1f ns/op (%d ops, median of %d)", m.name, float64(median(ds))/float64(m.ops), m.ops, s.reps)
	}
	return nil
}

// median returns the middle of ds (the upper middle for an even count).
func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
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
