// Command corey runs the Corey paper's microbenchmarks (docs/ranges.md)
// on the multikernel and on Linux 6.1 in the same QEMU, with the same
// static binary (build/apps/corey), one subcommand per figure:
//
//	go run ./tools/corey memclone [-cores 16] [-mb 16] [-runs 1] [-quick] [-record]
//	go run ./tools/corey mempass [-cores 16] [-mb 16] [-runs 1] [-quick] [-record]
//	go run ./tools/corey shares [-cores 16] [-runs 1] [-quick] [-record]
//
// memclone is Corey's Fig. 7a: each of 1, 2, 4, ... cores allocates a
// buffer of its own and touches every page (apps/corey says how). One
// boot with -cores cores runs every count; the multikernel runs the
// "mmap" variant (one address space whose faults the program's home core
// serves) and the "private" one (a range private to each core), Linux
// the "mmap" one (threads in one address space). It prints the medians
// over -runs boots of each system, the time per page and the ratios, and
// -record writes them into BENCHMARKS.md. Each command also draws its
// figures against the core counts, ours beside Linux's, and the
// multikernel's counts, as PNG and SVG into -plots (build/plots, or
// docs/plots with -record, where BENCHMARKS.md shows them). -quick is
// a short run (4 cores, 4 MiB, one boot) for a check that it works.
//
// mempass is Corey's Fig. 7b: one buffer passes round robin over 1, 2,
// 4, ... cores, each writing every page; the multikernel runs it in one
// address space ("mmap") and in a range shared by those cores ("range"),
// Linux in one address space.
//
// shares is Corey's Fig. 9: each of 1, 2, 4, ... cores adds an id to a
// share and removes it, in the global share and in its own local share
// (libos/shares), with the adds and removes that found the lock held
// counted; Linux runs the same, and dup and close (Fig. 1: its
// descriptor table, shared by the threads). The multikernel has no dup
// yet (ENOSYS).
//
// Wall time under emulation: every vCPU is a thread of the host's, and
// with more vCPUs than host CPUs the figures measure the emulator's
// scheduling as much as either system; the shootdown messages the
// private ranges' changes sent are counted, and must be 0.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"multikernel/tools/internal/vmbench"
)

// config is the command's flags.
type config struct {
	cores, mb, runs, mem    int
	qemu, cpu, loader       string
	driver, monitor, prog   string
	cache, vmlinuz, command string
	options                 string
	timeout                 time.Duration
	plots                   string
	linux, record           bool
}

func main() {
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: go run ./tools/corey memclone|mempass|shares [flags] (-h for the flags)\n")
	}
	if len(os.Args) < 2 {
		flag.Usage()
		os.Exit(2)
	}
	bench := os.Args[1]
	b, ok := benches[bench]
	if !ok {
		fmt.Fprintf(os.Stderr, "corey: unknown benchmark %q\n", bench)
		flag.Usage()
		os.Exit(2)
	}
	fs := flag.NewFlagSet(bench, flag.ExitOnError)
	var c config
	fs.IntVar(&c.cores, "cores", 16, "cores of the machine (the counts are 1, 2, 4, ... up to it)")
	fs.IntVar(&c.mb, "mb", 16, "MiB each core allocates")
	fs.IntVar(&c.runs, "runs", 1, "boots of each system")
	fs.IntVar(&c.mem, "mem", 4096, "memory in MiB, split over 4 NUMA nodes")
	fs.StringVar(&c.qemu, "qemu", "qemu-system-x86_64", "QEMU binary")
	fs.StringVar(&c.cpu, "cpu", "Opteron_G3,-misalignsse", "QEMU CPU model")
	fs.StringVar(&c.loader, "loader", "build/loader.elf", "the multikernel's Multiboot loader")
	fs.StringVar(&c.driver, "cpudriver", "build/cpudriver", "the multikernel's CPU driver")
	fs.StringVar(&c.monitor, "monitor", "build/monitor", "the multikernel's monitor")
	fs.StringVar(&c.prog, "prog", "build/apps/corey", "the benchmark program (apps/corey)")
	fs.StringVar(&c.cache, "cache", "build/linux", "directory for Debian's kernel and the initramfs")
	fs.StringVar(&c.vmlinuz, "vmlinuz", "", "Linux kernel image to boot instead of fetching Debian's")
	fs.DurationVar(&c.timeout, "timeout", 20*time.Minute, "longest one boot may take")
	fs.BoolVar(&c.linux, "linux", true, "measure Linux too")
	fs.BoolVar(&c.record, "record", false, "write the figures into BENCHMARKS.md")
	fs.StringVar(&c.options, "options", "", "further multikernel command-line options, e.g. span-faultaround=off")
	fs.StringVar(&c.plots, "plots", "build/plots", "directory for the plots (PNG and SVG; docs/plots with -record); empty: none")
	quick := fs.Bool("quick", false, "a short run: 4 cores, 4 MiB, one boot")
	fs.Parse(os.Args[2:])
	if c.record && !flagSet(fs, "plots") {
		c.plots = "docs/plots"
	}
	if *quick {
		c.cores, c.mb, c.runs, c.mem = 4, 4, 1, 1024
	}
	if c.cores < 1 || c.cores > 16 || c.mb < 1 {
		fmt.Fprintln(os.Stderr, "corey: -cores wants 1-16 and -mb at least 1")
		os.Exit(2)
	}
	c.command = "go run ./tools/corey " + vmbench.ShellQuote(os.Args[1:])
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := runBench(ctx, c, b); err != nil {
		fmt.Fprintln(os.Stderr, "corey:", err)
		os.Exit(1)
	}
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
