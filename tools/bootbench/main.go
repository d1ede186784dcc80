// Command bootbench measures how long the multikernel takes to boot to a
// user's first line, against Debian's Linux 6.1 kernel booted in the same
// QEMU with the same machine flags:
//
//	go run ./tools/bootbench [-runs N] [-smp 16 -nodes 4 -mem 4096] [-record]
//
// Both sides run the same static Go program (-prog, build/apps/hello from
// `make all`) and are timed from just before QEMU starts to the program's
// first line (-first, a regular expression: "hello from ring 3$"), read
// from QEMU's standard output line by line as it streams:
//
//   - the multikernel (build/loader.elf, build/cpudriver and build/monitor)
//     runs it on core 0 with the command line "poweroff": it starts once
//     every core's CPU driver and monitor are up, the monitors' mesh is
//     connected and the SKB is up ("multikernel: ready"); the times of the
//     "cores up" and "ready" lines are reported too;
//   - Linux (boot/vmlinuz-* of the package `apt-cache depends
//     linux-image-amd64` names, fetched once with apt-get download into
//     build/linux/) runs it as /init of a newc initramfs; when it exits,
//     the kernel panics and, with panic=-1 and -no-reboot, QEMU ends.
//
// The QEMU command lines come from package qemuargs, as for `make run`:
// q35, the Opteron_G3 CPU, -smp N,sockets=NODES, NODES NUMA nodes with the
// Opteron-square SLIT, the same memory, isa-debug-exit and -no-reboot. Only
// -kernel, -initrd and -append differ. Linux's command line is
// "console=ttyS0 quiet panic=-1" by default (-append): quiet because the
// multikernel prints a handful of lines, not a full kernel log, over the
// same emulated UART.
//
// The runs alternate between the two systems so that load from other work
// on the host spreads over both. It prints every run with the host's load
// before it, the medians, minima and maxima, the ratio of the medians
// (multikernel / Linux; goal: at most 0.1), the date, the machine and the
// command, and a Markdown section that -record writes into BENCHMARKS.md
// (replacing the section "Boot: QEMU start to a program's first line").
// Each boot is killed after -timeout; any failure ends the command with a
// non-zero status.
//
// With -span it measures a program spanning cores instead (span.go:
// munmap with a thread on every core, a cross-core futex ping-pong, the
// speedup of CPU work over pinned threads, at each of -spancores, with
// build/apps/spanbench on both systems):
//
//	go run ./tools/bootbench -span [-spancores 2,4,8,16] [-runs 1] [-record]
//
// With -sys it measures issue 4's system costs instead (sys.go):
//
//	go run ./tools/bootbench -sys [-runs 3] [-smp 1 -nodes 1 -mem 1024] [-record]
//
// One static Go binary, build/apps/sysbench (-prog, from apps/sysbench),
// runs as a program on the multikernel's core 0 (modules: the CPU driver,
// build/monitor and the program; command line "poweroff") and as /init of
// an initramfs under Linux (command line "console=ttyS0 panic=-1", not
// quiet, so that Linux prints "Run /init as init process"). The program
// prints what each of a set of system calls, faults and two-thread round
// trips costs (apps/sysbench's doc names them: getpid-fastpath, the
// multikernel's constant-returning entry path, and what the general path
// costs: read-ebadf, fcntl-getfd, sched-yield, clock-gettime-syscall,
// time-now, mmap-munmap-page, pagefault, pipe-roundtrip,
// futex-roundtrip); the start of the program is read off the console,
// from the kernel's last line before the program starts to the program's
// first line. -sys makes one core on one node with 1024
// MiB, 3 runs and a 300 s timeout the defaults (flags given explicitly
// win; both systems always get the same machine), prints the medians and
// the ratios multikernel / Linux (goal: at most 1 each) as a Markdown
// section, and -record writes it into BENCHMARKS.md (replacing "System
// calls and faults against Linux 6.1").
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"regexp"
	"syscall"
	"time"

	"multikernel/tools/qemu/qemuargs"

	"multikernel/tools/internal/vmbench"
)

// side is one system under measurement.
type side struct {
	name   string
	cfg    qemuargs.Config
	args   []string
	marker *regexp.Regexp // the kernel's line just before the program starts (-sys)
}

func main() {
	runs := flag.Int("runs", 5, "boots of each system (-sys: 3)")
	smp := flag.Int("smp", 16, "cores (-sys: 1)")
	nodes := flag.Int("nodes", 4, "NUMA nodes (-sys: 1)")
	mem := flag.Int("mem", 4096, "memory in MiB, split evenly over the nodes (-sys: 1024)")
	cpu := flag.String("cpu", "Opteron_G3,-misalignsse", "QEMU CPU model")
	qemu := flag.String("qemu", "qemu-system-x86_64", "QEMU binary")
	timeout := flag.Duration("timeout", 120*time.Second, "longest a single boot may take to reach its line (-sys: to the benchmark's end)")
	loader := flag.String("loader", "build/loader.elf", "the multikernel's Multiboot loader")
	driver := flag.String("cpudriver", "build/cpudriver", "the multikernel's CPU driver")
	monitor := flag.String("monitor", "build/monitor", "the multikernel's monitor (-sys)")
	prog := flag.String("prog", "", "the program run on both systems (default build/apps/hello; -sys: build/apps/sysbench)")
	first := flag.String("first", "hello from ring 3$", "regular expression for the program's first line (default mode)")
	withLinux := flag.Bool("linux", true, "measure Linux too")
	cache := flag.String("cache", "build/linux", "directory for Debian's kernel and the initramfs (never committed)")
	vmlinuz := flag.String("vmlinuz", "", "Linux kernel image to boot instead of fetching Debian's")
	appendLine := flag.String("append", "console=ttyS0 quiet panic=-1", "Linux kernel command line (-sys: "+sysAppend+")")
	sys := flag.Bool("sys", false, "measure system calls, page faults, two-thread round trips and program start instead of boot")
	urpc := flag.Bool("urpc", false, "measure URPC latency between monitors in the guest instead of boot (issue 5)")
	caps := flag.Bool("caps", false, "measure two-phase capability retypes across cores instead of boot (issue 7)")
	spanMode := flag.Bool("span", false, "measure a program spanning cores (munmap, futex ping-pong, speedup; apps/spanbench) instead of boot (issue 13)")
	spanCores := flag.String("spancores", "2,4,8,16", "core counts -span boots (comma-separated)")
	record := flag.Bool("record", false, "write the figures into BENCHMARKS.md")
	options := flag.String("options", "", "further multikernel command-line options (-urpc, -caps, -span), e.g. monitor-poll=-1 or span-shootdown=unicast")
	flag.Parse()
	defaults := map[string]string{}
	modes := 0
	for _, on := range []bool{*sys, *urpc, *caps, *spanMode} {
		if on {
			modes++
		}
	}
	switch {
	case modes > 1:
		fmt.Fprintln(os.Stderr, "bootbench: -sys, -urpc, -caps and -span are different benchmarks: give one")
		os.Exit(2)
	case *sys:
		defaults = sysDefaults
	case *urpc:
		defaults = urpcDefaults
	case *caps:
		defaults = capsDefaults
	case *spanMode:
		defaults = spanDefaults
	default:
		defaults = bootDefaults
	}
	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for name, v := range defaults {
		if !set[name] {
			flag.Set(name, v)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	command := "go run ./tools/bootbench"
	if len(os.Args) > 1 {
		command += " " + vmbench.ShellQuote(os.Args[1:])
	}
	if err := run(ctx, config{
		runs: *runs, smp: *smp, nodes: *nodes, mem: *mem, cpu: *cpu, qemu: *qemu,
		timeout: *timeout, loader: *loader, driver: *driver, monitor: *monitor, prog: *prog,
		linux: *withLinux, cache: *cache, vmlinuz: *vmlinuz, append: *appendLine, record: *record,
		sys: *sys, urpc: *urpc, caps: *caps, span: *spanMode, spanCores: *spanCores, command: command, options: *options, first: *first,
	}); err != nil {
		fmt.Fprintln(os.Stderr, "bootbench:", err)
		os.Exit(1)
	}
}

// config is the command's flags.
type config struct {
	runs, smp, nodes, mem            int
	cpu, qemu, loader, driver, cache string
	monitor, prog, first             string
	vmlinuz, append, command         string
	options                          string // appended to the multikernel's command line (-urpc, -caps)
	load                             string // the host's load averages around the runs (loadText), once measured
	timeout                          time.Duration
	linux, record, sys, urpc, caps   bool
	span                             bool   // -span (span.go)
	spanCores                        string // -spancores
}

func logf(format string, a ...any) { fmt.Fprintf(os.Stderr, "bootbench: "+format+"\n", a...) }

func run(ctx context.Context, c config) error {
	if c.sys {
		return runSys(ctx, c)
	}
	if c.urpc {
		return runURPC(ctx, c)
	}
	if c.caps {
		return runCaps(ctx, c)
	}
	if c.span {
		return runSpan(ctx, c)
	}
	return runBoot(ctx, c)
}

// setup checks what every run needs (vmbench.Setup) and returns QEMU's
// path.
func setup(c config, files ...string) (string, error) {
	return vmbench.Setup(c.qemu, c.runs, "./tools/bootbench", files...)
}

// preamble computes every side's QEMU arguments and prints the date, the
// machine, the command and each side's QEMU command line. It returns the
// date and the machine, for the report.
func preamble(c config, qemu string, sides []*side) (date, host string, err error) {
	for _, s := range sides {
		if s.args, err = s.cfg.Args(); err != nil {
			return "", "", err
		}
	}
	date = time.Now().UTC().Format("2006-01-02 15:04 UTC")
	host = vmbench.Machine(qemu)
	fmt.Printf("%s\nmachine: %s\ncommand: %s\n", date, host, c.command)
	for _, s := range sides {
		fmt.Printf("%s: %s %s\n", s.name, c.qemu, vmbench.ShellQuote(s.args))
	}
	return date, host, nil
}
