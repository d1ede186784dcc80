//go:build integration

package test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/hugelgupf/vmtest/qemu"

	"multikernel/tools/qemu/qemuargs"
)

func TestBoot1Core(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 1, Nodes: 1, MemMiB: 512, Cmdline: "poweroff"}, 2*time.Minute)
	checkCores(t, out, 1, 1)
	wantExit(t, code, exitSuccess)
}

func TestBoot4Cores2Nodes(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff"}, 3*time.Minute)
	checkCores(t, out, 4, 2)
	wantExit(t, code, exitSuccess)
}

func TestBoot16Cores4Nodes(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 16, Nodes: 4, MemMiB: 4096, Cmdline: "poweroff"}, 5*time.Minute)
	checkCores(t, out, 16, 4)
	mustContain(t, out, "cpudriver: CPU AuthenticAMD family 0x10")
	// Every core reports its node-local memory and its own footprint.
	if n := len(regexp.MustCompile(`(?m)^core \d+: \d+ KiB free on node \d; CPU driver uses \d+ KiB$`).FindAllString(out, -1)); n != 16 {
		t.Errorf("%d memory reports, want 16", n)
	}
	wantExit(t, code, exitSuccess)
}

// TestDeliberateFault: one core takes a page fault; the oops names the
// instruction and the other cores still come up.
func TestDeliberateFault(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff fault=2"}, 3*time.Minute)
	mustContain(t, out,
		"oops: core 2: exception 14 (page fault) error 0x0000000000000002 cr2 0x0000000000000000",
		"oops: core 2:   main.deliberateFault",
	)
	if !regexp.MustCompile(`oops: core 2: instruction at 0x[0-9a-f]+: MOVQ \$0x1, 0\(`).MatchString(out) {
		t.Errorf("the oops does not show the decoded faulting MOVQ")
	}
	if n := len(upCores(t, out)); n != 4 {
		t.Errorf("%d cores up, want 4 (the faulting core reports up before it faults)", n)
	}
	wantExit(t, code, exitFailure)
}

// TestCoreHang: a core that never comes up is reported by id and the rest
// of the system goes on.
func TestCoreHang(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff hang=3 upwait=3000"}, 3*time.Minute)
	mustContain(t, out, "cpudriver: core 3 did not come up in time; going on without it", "multikernel: 3 cores up on 2 NUMA nodes")
	if _, up := upCores(t, out)[3]; up {
		t.Errorf("core 3 reported up although it hangs")
	}
	wantExit(t, code, exitFailure)
}

// TestNoSRAT: without -numa QEMU gives no SRAT; the system is one node.
func TestNoSRAT(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 1, MemMiB: 512, Cmdline: "poweroff"}, 3*time.Minute)
	mustContain(t, out, "cpudriver: no usable SRAT: one NUMA node")
	checkCores(t, out, 4, 1)
	wantExit(t, code, exitSuccess)
}

// TestACPIOff: acpi=off ignores the tables (no MADT): one core, one node,
// and no PM timer: the TSC is calibrated against the PIT, and the
// console says so.
func TestACPIOff(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 512, Cmdline: "poweroff acpi=off verbose"}, 3*time.Minute)
	mustContain(t, out, "cpudriver: ACPI: firmware tables ignored (acpi=off); running on this core alone",
		"multikernel: 1 cores up on 1 NUMA nodes",
		"cpudriver: no ACPI PM timer: the TSC is calibrated against the PIT and every core takes this core's rate and base")
	if !regexp.MustCompile(`(?m)^core 0: TSC \d+\.\d{3} MHz \(PIT\), no PM timer to re-sync against$`).MatchString(out) {
		t.Error("core 0 does not report a calibration against the PIT")
	}
	wantExit(t, code, exitSuccess)
}

// TestExtraMADT: a second, malformed MADT (entry of length 0) added with
// -acpitable is reported and the boot goes on with the first.
func TestExtraMADT(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "madt.bin")
	// Local APIC address, flags, then an entry of type 0 and length 0.
	os.WriteFile(bad, []byte{0, 0, 0xe0, 0xfe, 1, 0, 0, 0, 0, 0, 1, 1}, 0o644)
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 512, Cmdline: "poweroff",
		Extra: []string{"-acpitable", "sig=APIC,data=" + bad}}, 3*time.Minute)
	if !regexp.MustCompile(`cpudriver: ACPI: acpi: MADT at 0x[0-9a-f]+: `).MatchString(out) {
		t.Errorf("the second MADT is not reported")
	}
	checkCores(t, out, 4, 2)
	wantExit(t, code, exitSuccess)
}

// TestUnknownOption: an unknown option is reported and the boot goes on.
func TestUnknownOption(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 1, Nodes: 1, MemMiB: 512, Cmdline: "poweroff frobnicate"}, 2*time.Minute)
	mustContain(t, out, `cpudriver: command line: unknown option "frobnicate"`)
	checkCores(t, out, 1, 1)
	wantExit(t, code, exitSuccess)
}

// TestLowMemory: 16 cores and their monitors fit in 128 MiB; in 64 MiB
// the cores still come up but the monitors cannot start or run out of
// memory once started (their text comes from the boot module, so loading
// one needs little), which is said and fails the run.
func TestLowMemory(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 16, Nodes: 1, MemMiB: 128, Cmdline: "poweroff"}, 5*time.Minute)
	checkCores(t, out, 16, 1)
	mustContain(t, out, "16 monitors")
	wantExit(t, code, exitSuccess)
	out, code = boot(t, qemuargs.Config{SMP: 16, Nodes: 1, MemMiB: 64, Cmdline: "poweroff"}, 5*time.Minute)
	checkCores(t, out, 16, 1)
	if !regexp.MustCompile(`cpudriver: core \d+: monitor (not started: \S*monitor: out of memory|ended \(status \d+, killed: tid \d+: out of memory)`).MatchString(out) {
		t.Errorf("no core says why its monitor did not start or ended")
	}
	wantExit(t, code, exitFailure)
}

// TestTooLittleMemory: with 24 MiB the bootstrap core runs alone and says
// why; with 8 MiB the loader finds no room for the CPU driver and says so.
func TestTooLittleMemory(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 24, Cmdline: "poweroff"}, 2*time.Minute)
	mustContain(t, out, "cpudriver: not enough memory on node 0 for the shared region", "multikernel: 1 cores up on 1 NUMA nodes")
	wantExit(t, code, exitSuccess)
	out, code = boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 8, Cmdline: "poweroff"}, 2*time.Minute)
	mustContain(t, out, "loader: no available memory below 4 GiB above the modules for the CPU driver image")
	wantExit(t, code, exitFailure)
}

// TestNoModule: without modules the loader says what it needs.
func TestNoModule(t *testing.T) {
	cfg := qemuargs.Config{SMP: 1, Nodes: 1, MemMiB: 256, CPU: "Opteron_G3,-misalignsse", Modules: []string{"unused"}}
	machine, err := cfg.MachineArgs()
	if err != nil {
		t.Fatal(err)
	}
	out, code := run(t, qemu.WithQEMUCommand("qemu-system-x86_64"),
		qemu.WithKernel(filepath.Join(root(t), "build/loader.elf")),
		qemu.ArbitraryArgs(machine...), qemu.WithVMTimeout(time.Minute))
	mustContain(t, out, "loader: no boot module: the CPU driver ELF must be module 0")
	wantExit(t, code, exitFailure)
}

// TestBadModules: a module 0 that is not an ELF64 executable, or is empty,
// stops the loader with a clear message and a failure exit.
func TestBadModules(t *testing.T) {
	dir := t.TempDir()
	notELF := filepath.Join(dir, "notelf")
	empty := filepath.Join(dir, "empty")
	elf32, _ := filepath.Abs("../build/loader.elf")
	os.WriteFile(notELF, []byte("#!/bin/sh\necho this is not a CPU driver\n"), 0o644)
	os.WriteFile(empty, nil, 0o644)
	for _, tc := range []struct{ module, want string }{
		{notELF, "loader: module 0 is not a valid ELF64 x86-64 executable"},
		{elf32, "loader: module 0 is not a valid ELF64 x86-64 executable"},
		{empty, "loader: module 0 is empty"},
	} {
		out, code := boot(t, qemuargs.Config{SMP: 1, Nodes: 1, MemMiB: 256, Modules: []string{tc.module}}, time.Minute)
		mustContain(t, out, tc.want)
		wantExit(t, code, exitFailure)
	}
}

// TestBootstrapCoreFault: the bootstrap core faults after the system is up;
// core 1 decodes its oops and ends the run with a failure.
func TestBootstrapCoreFault(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff fault=0"}, 3*time.Minute)
	mustContain(t, out,
		"oops: core 0: exception 14 (page fault)",
		"oops: core 0: decoded by core 1",
		"oops: core 0:   main.deliberateFault",
		"oops: core 0:   main.bootstrap",
	)
	wantExit(t, code, exitFailure)
}

// TestCPURefused: a CPU without long mode, or without a feature the CPU
// driver needs, is refused by name instead of crashing.
func TestCPURefused(t *testing.T) {
	for _, tc := range []struct{ cpu, want string }{
		{"qemu32", "loader: this CPU has no long mode (64-bit): the multikernel needs an x86-64 CPU"},
		{"Opteron_G3,-sse2,-apic", "loader: this CPU lacks: APIC SSE2"},
	} {
		out, code := boot(t, qemuargs.Config{SMP: 1, Nodes: 1, MemMiB: 256, CPU: tc.cpu, Cmdline: "poweroff"}, time.Minute)
		mustContain(t, out, tc.want)
		wantExit(t, code, exitFailure)
	}
}

// TestCPUReport: the CPU driver names the CPU and the features it uses.
func TestCPUReport(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 1, Nodes: 1, MemMiB: 256, Cmdline: "poweroff"}, time.Minute)
	mustContain(t, out, "cpudriver: CPU AuthenticAMD family 0x10 model 0x2",
		"cpudriver: CPU features used: fpu tsc msr pae cx8 apic cmov fxsr sse sse2 lm nx syscall",
		"-ssse3 -sse4.1 -sse4.2 -x2apic -avx")
	wantExit(t, code, exitSuccess)
}

// TestMonitors: every core starts its monitor, each prints its line, and
// the summary counts them; the monitors connect over URPC and core 0
// prints the round-trip matrix (checkMatrix, in urpc_test.go).
func TestMonitors(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 16, Nodes: 4, MemMiB: 4096, Cmdline: "poweroff urpc-matrix"}, 5*time.Minute)
	checkMatrix(t, out, 16)
	for c := 0; c < 16; c++ {
		mustContain(t, out, fmt.Sprintf("[core %d monitor] monitor %d up", c, c))
	}
	mustContain(t, out, "multikernel: 16 cores up on 4 NUMA nodes, 16 monitors")
	// Each core's CPU driver and monitor stay under 16 MiB at idle.
	idle := regexp.MustCompile(`(?m)^core (\d+): CPU driver and monitor use (\d+) KiB at idle; the CPU driver keeps \d+ KiB from programs \(\d+ KiB of it free\)$`).FindAllStringSubmatch(out, -1)
	if len(idle) != 16 {
		t.Errorf("%d idle memory reports, want 16", len(idle))
	}
	for _, m := range idle {
		if kib, _ := strconv.Atoi(m[2]); kib >= 16<<10 {
			t.Errorf("core %s uses %d KiB at idle, goal under 16 MiB", m[1], kib)
		}
	}
	wantExit(t, code, exitSuccess)
}
