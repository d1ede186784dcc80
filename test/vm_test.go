//go:build integration

package test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hugelgupf/vmtest/qemu"

	"multikernel/tools/qemu/qemuargs"
)

// Exit codes of QEMU for the guest's verdicts.
const (
	exitSuccess = qemuargs.ExitSuccess<<1 | 1
	exitFailure = qemuargs.ExitFailure<<1 | 1
)

// root is the repository root.
func root(t *testing.T) string {
	r, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// boot runs the system with cfg (Loader and Modules default to the build
// outputs) until QEMU exits or timeout passes, and returns the console and
// QEMU's exit code (-1 when it was killed).
func boot(t *testing.T, cfg qemuargs.Config, timeout time.Duration) (string, int) {
	t.Helper()
	return run(t, vmFns(t, cfg, timeout)...)
}

// vmFns is how boot starts QEMU for cfg.
func vmFns(t *testing.T, cfg qemuargs.Config, timeout time.Duration) []qemu.Fn {
	t.Helper()
	r := root(t)
	if cfg.Loader == "" {
		cfg.Loader = filepath.Join(r, "build/loader.elf")
	}
	if len(cfg.Modules) == 0 {
		cfg.Modules = []string{filepath.Join(r, "build/cpudriver"), filepath.Join(r, "build/monitor")}
	}
	if cfg.CPU == "" {
		cfg.CPU = "Opteron_G3,-misalignsse"
	}
	for _, m := range append([]string{cfg.Loader}, cfg.Modules...) {
		f, _, _ := strings.Cut(m, " ") // a module's string is its path and arguments
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("%v: run `make all` first", err)
		}
	}
	machine, err := cfg.MachineArgs()
	if err != nil {
		t.Fatal(err)
	}
	fns := []qemu.Fn{
		qemu.WithQEMUCommand("qemu-system-x86_64"),
		qemu.WithKernel(cfg.Loader),
		qemu.WithInitramfs(qemuargs.Initrd(cfg.Modules)),
		qemu.ArbitraryArgs(append(machine, cfg.Extra...)...),
		qemu.WithVMTimeout(timeout),
	}
	if cfg.Cmdline != "" {
		fns = append(fns, qemu.WithAppendKernel(cfg.Cmdline))
	}
	return fns
}

// run starts QEMU with fns, reads the console to the end and returns it
// with QEMU's exit code (-1 when it was killed).
func run(t *testing.T, fns ...qemu.Fn) (string, int) {
	t.Helper()
	vm, err := qemu.Start(qemu.ArchAMD64, fns...)
	if err != nil {
		t.Fatalf("starting QEMU: %v", err)
	}
	out, _ := vm.Console.ExpectEOF()
	code := exitCode(vm.Wait())
	out = strings.ReplaceAll(out, "\r", "")
	t.Logf("QEMU %s\nexit %d, console:\n%s", vm.CmdlineQuoted(), code, out)
	return out, code
}

// exitCode turns what waiting for QEMU returned into its exit code: 0,
// the status it exited with, or -1 when it was killed or did not run.
func exitCode(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		return ee.ExitCode()
	}
	return -1
}

var coreLine = regexp.MustCompile(`(?m)^core (\d+) apic (\d+) node (\d+) up$`)

// upCores returns the core -> (apic, node) pairs the console reports, and
// fails on a core reported twice.
func upCores(t *testing.T, out string) map[int][2]int {
	t.Helper()
	cores := map[int][2]int{}
	for _, m := range coreLine.FindAllStringSubmatch(out, -1) {
		idx, _ := strconv.Atoi(m[1])
		apic, _ := strconv.Atoi(m[2])
		node, _ := strconv.Atoi(m[3])
		if _, dup := cores[idx]; dup {
			t.Errorf("core %d reported up twice", idx)
		}
		cores[idx] = [2]int{apic, node}
	}
	return cores
}

// checkCores asserts one up line per core, each on the node QEMU gave it
// (QEMU numbers APIC ids like CPU indexes here), and the summary line.
func checkCores(t *testing.T, out string, smp, nodes int) {
	t.Helper()
	cores := upCores(t, out)
	for idx, an := range cores {
		if want := qemuargs.NodeOf(smp, nodes, an[0]); an[1] != want {
			t.Errorf("core %d apic %d: node %d, QEMU put it on node %d", idx, an[0], an[1], want)
		}
	}
	if len(cores) != smp {
		t.Errorf("%d cores reported up, want %d", len(cores), smp)
	}
	mustContain(t, out, "multikernel: "+strconv.Itoa(smp)+" cores up on "+strconv.Itoa(nodes)+" NUMA nodes")
}

func mustContain(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("console lacks %q", w)
		}
	}
}

func wantExit(t *testing.T, got, want int) {
	t.Helper()
	if got != want {
		t.Errorf("QEMU exit code %d, want %d", got, want)
	}
}

// inOrder fails t unless each of wants appears in out after the first
// appearance of the one before it.
func inOrder(t *testing.T, out string, wants ...string) {
	t.Helper()
	at := 0
	for _, w := range wants {
		i := strings.Index(out[at:], w)
		if i < 0 {
			t.Errorf("console lacks %q after %q", w, out[max(0, at-80):at])
			return
		}
		at += i + len(w)
	}
}
