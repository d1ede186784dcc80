// Command qemu boots the multikernel in QEMU: q35, SMP cores spread over
// NODES NUMA nodes with the SLIT distances of a 4x4 Opteron square, the
// Multiboot loader as -kernel and the CPU driver (and later programs) as
// modules, the serial console on standard output.
//
// The guest ends a run by writing to the isa-debug-exit device: ExitSuccess
// means every check passed, anything else a failure. qemu maps that to its
// own exit status: 0 for success, 1 for a failure the guest reported, 2
// for QEMU exiting without a verdict, 3 for a timeout.
//
// It is what `make run` calls, and what the integration tests and the boot
// benchmark build their command lines with (package qemuargs).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

func main() {
	var c qemuargs.Config
	flag.IntVar(&c.SMP, "smp", 16, "number of cores")
	flag.IntVar(&c.Nodes, "nodes", 4, "NUMA nodes (1: no SRAT/SLIT at all)")
	flag.IntVar(&c.MemMiB, "mem", 4096, "memory in MiB, split evenly over the nodes")
	flag.StringVar(&c.CPU, "cpu", "Opteron_G3,-misalignsse", "QEMU CPU model")
	flag.StringVar(&c.Cmdline, "cmdline", "", "kernel command line")
	flag.StringVar(&c.Loader, "loader", "build/loader.elf", "Multiboot loader")
	mods := flag.String("modules", "build/cpudriver,build/monitor", "comma-separated modules: the CPU driver first, then the monitor")
	progs := flag.String("progs", "", "programs to run: space-separated PATH[@CORE|@all|@SPEC] (default core 0; SPEC: cores one program spans, e.g. 0-15, node:1)")
	menu := flag.String("menu", "", "boot menu file: lines 'program PATH [core=N|core=all|cores=SPEC] [ARG ...]'")
	timeout := flag.Duration("timeout", 0, "kill QEMU after this long (0: never)")
	flag.StringVar(&c.QEMU, "qemu", "qemu-system-x86_64", "QEMU binary")
	traceDir := flag.String("trace", "", "trace the boot into this directory: trace.bin, then trace.json and trace.png (docs/trace.md)")
	traceClasses := flag.String("trace-classes", "", "what to trace: all, or classes separated by commas (urpc,ipi,sys,fault,sched,prog,shoot,cap,mem; default all but sys)")
	flag.Parse()
	c.Modules = strings.Split(*mods, ",")
	p, err := qemuargs.Programs(*progs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "qemu:", err)
		os.Exit(2)
	}
	c.Modules = append(c.Modules, p...)
	if *menu != "" {
		f, err := os.Open(*menu)
		if err != nil {
			fmt.Fprintln(os.Stderr, "qemu:", err)
			os.Exit(2)
		}
		m, err := qemuargs.ParseMenu(f, *menu)
		f.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, "qemu:", err)
			os.Exit(2)
		}
		c.Modules = append(c.Modules, m...)
	}
	if *traceDir != "" {
		if err := setUpTrace(&c, *traceDir, *traceClasses); err != nil {
			fmt.Fprintln(os.Stderr, "qemu:", err)
			os.Exit(2)
		}
	}
	args, err := c.Args()
	if err != nil {
		fmt.Fprintln(os.Stderr, "qemu:", err)
		os.Exit(2)
	}
	code := run(c.QEMU, args, *timeout)
	if *traceDir != "" {
		finishTrace(*traceDir)
	}
	os.Exit(code)
}

func run(bin string, args []string, timeout time.Duration) int {
	cmd := exec.Command(bin, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "qemu:", err)
		return 2
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	var tc <-chan time.Time
	if timeout > 0 {
		tc = time.After(timeout)
	}
	select {
	case err := <-done:
		return verdict(err)
	case <-tc:
		cmd.Process.Kill()
		<-done
		fmt.Fprintf(os.Stderr, "qemu: no verdict from the guest within %v; killed\n", timeout)
		return 3
	case s := <-sig:
		cmd.Process.Signal(s)
		<-done
		return 130
	}
}

// verdict maps QEMU's exit status to ours (see the package comment).
func verdict(err error) int {
	var ee *exec.ExitError
	if err == nil {
		fmt.Fprintln(os.Stderr, "qemu: QEMU exited without a verdict from the guest")
		return 2
	}
	if !errors.As(err, &ee) {
		fmt.Fprintln(os.Stderr, "qemu:", err)
		return 2
	}
	switch ee.ExitCode() {
	case qemuargs.ExitSuccess<<1 | 1:
		return 0
	case qemuargs.ExitFailure<<1 | 1:
		fmt.Fprintln(os.Stderr, "qemu: the guest reported a failure")
		return 1
	}
	fmt.Fprintf(os.Stderr, "qemu: QEMU exited with status %d\n", ee.ExitCode())
	return 2
}
