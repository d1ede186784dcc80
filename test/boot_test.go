//go:build integration

// Package test boots the real image in QEMU and reads its serial console.
package test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// boot runs the system with cfg until the guest powers off or timeout
// passes, and returns the console output and QEMU's exit code.
func boot(t *testing.T, cfg qemuargs.Config, timeout time.Duration) (string, int) {
	t.Helper()
	root, _ := filepath.Abs("..")
	cfg.QEMU = "qemu-system-x86_64"
	cfg.Loader = filepath.Join(root, "build/loader.elf")
	cfg.Modules = []string{filepath.Join(root, "build/cpudriver")}
	if cfg.CPU == "" {
		cfg.CPU = "Opteron_G3,-misalignsse"
	}
	for _, f := range []string{cfg.Loader, cfg.Modules[0]} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("%v: run `make all` first", err)
		}
	}
	args, err := cfg.Args()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(cfg.QEMU, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(timeout, func() { cmd.Process.Kill() })
	defer timer.Stop()
	err = cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	t.Logf("console:\n%s", out.String())
	return out.String(), code
}

var coreLine = regexp.MustCompile(`(?m)^core (\d+) apic (\d+) node (\d+) up\r?$`)

// checkCores asserts one up line per core with the node QEMU gave it, and
// the summary line.
func checkCores(t *testing.T, out string, smp, nodes int) {
	t.Helper()
	seen := map[int]bool{}
	for _, m := range coreLine.FindAllStringSubmatch(out, -1) {
		idx, _ := strconv.Atoi(m[1])
		apic, _ := strconv.Atoi(m[2])
		node, _ := strconv.Atoi(m[3])
		if seen[idx] {
			t.Errorf("core %d reported up twice", idx)
		}
		seen[idx] = true
		// QEMU numbers APIC ids like CPU indexes for these topologies.
		if want := qemuargs.NodeOf(smp, nodes, apic); node != want {
			t.Errorf("core %d apic %d: node %d, QEMU put it on node %d", idx, apic, node, want)
		}
	}
	if len(seen) != smp {
		t.Errorf("%d cores reported up, want %d", len(seen), smp)
	}
	want := fmt.Sprintf("multikernel: %d cores up on %d NUMA nodes", smp, nodes)
	if !bytes.Contains([]byte(out), []byte(want)) {
		t.Errorf("console lacks %q", want)
	}
}

const success = qemuargs.ExitSuccess<<1 | 1

func TestBoot1Core(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 1, Nodes: 1, MemMiB: 512, Cmdline: "poweroff"}, 2*time.Minute)
	checkCores(t, out, 1, 1)
	if code != success {
		t.Errorf("exit code %d, want %d", code, success)
	}
}

func TestBoot4Cores2Nodes(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff"}, 3*time.Minute)
	checkCores(t, out, 4, 2)
	if code != success {
		t.Errorf("exit code %d, want %d", code, success)
	}
}

func TestBoot16Cores4Nodes(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 16, Nodes: 4, MemMiB: 4096, Cmdline: "poweroff"}, 5*time.Minute)
	checkCores(t, out, 16, 4)
	if code != success {
		t.Errorf("exit code %d, want %d", code, success)
	}
}

// TestDeliberateFault: one core takes a page fault; the oops names the
// instruction and the other cores still come up.
func TestDeliberateFault(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff fault=2"}, 3*time.Minute)
	for _, want := range []string{
		"oops: core 2: exception 14 (page fault)",
		"cr2 0x0000000000000000",
		"oops: core 2: instruction at",
		"main.deliberateFault",
	} {
		if !bytes.Contains([]byte(out), []byte(want)) {
			t.Errorf("console lacks %q", want)
		}
	}
	if !regexp.MustCompile(`oops: core 2: instruction at 0x[0-9a-f]+: MOV`).MatchString(out) {
		t.Errorf("the oops does not show the decoded faulting MOV")
	}
	if n := len(coreLine.FindAllString(out, -1)); n != 4 {
		t.Errorf("%d cores up, want 4 (the faulting core reports up before it faults)", n)
	}
	if code != qemuargs.ExitFailure<<1|1 {
		t.Errorf("exit code %d, want the failure code %d", code, qemuargs.ExitFailure<<1|1)
	}
}
