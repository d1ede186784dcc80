//go:build integration

package test

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// TestCPUClocks: two programs spin side by side on core 1 for 2 s of
// wall time each, then sleep 2 s. Their CPU-time clocks count what they
// ran, not wall time: each spinner gets about half of the core (well
// below its wall time, and the two together about the wall time), its
// sleep costs it next to nothing, and the process's clock is at least
// the thread's. getrandom's flags and output are checked too, in two
// programs whose first bytes differ.
func TestCPUClocks(t *testing.T) {
	clocks := app(t, "clocks")
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			clocks + " @1 spin 2000", clocks + " @1 spin 2000", clocks + " @0 random", clocks + " @1 random"}}, 3*time.Minute)
	re := regexp.MustCompile(`\[core 1 clocks\] clocks: spin (\d+) ms: thread ([\d.]+) ms, process ([\d.]+) ms; sleep \d+ ms: thread ([\d.]+) ms`)
	ms := re.FindAllStringSubmatch(out, -1)
	if len(ms) != 2 {
		t.Fatalf("%d spinners reported, want 2", len(ms))
	}
	sum := 0.0
	for _, m := range ms {
		wall, _ := strconv.ParseFloat(m[1], 64)
		thread, _ := strconv.ParseFloat(m[2], 64)
		proc, _ := strconv.ParseFloat(m[3], 64)
		slept, _ := strconv.ParseFloat(m[4], 64)
		t.Logf("spin %v ms: thread %v ms, process %v ms; sleeping: %v ms", wall, thread, proc, slept)
		if thread < 0.15*wall || thread > 0.85*wall {
			t.Errorf("a spinner sharing its core counted %v ms of CPU in %v ms of wall time, want about half", thread, wall)
		}
		if proc < thread {
			t.Errorf("process CPU time %v ms below its thread's %v ms", proc, thread)
		}
		if slept > 0.05*wall {
			t.Errorf("%v ms of CPU time while sleeping %v ms", slept, wall)
		}
		sum += thread
	}
	if sum > 1.1*2000 {
		t.Errorf("the two spinners counted %v ms of CPU in 2000 ms on one core", sum)
	}
	first := regexp.MustCompile(`clocks: first bytes ([0-9a-f]+)`).FindAllStringSubmatch(out, -1)
	if len(first) != 2 || first[0][1] == first[1][1] {
		t.Errorf("getrandom's first bytes in two programs: %v", first)
	}
	if n := strings.Count(out, "clocks: all checks passed"); n != 2 {
		t.Errorf("%d random checks passed, want 2", n)
	}
	wantExit(t, code, exitSuccess)
}

// TestVDSO: with strace on, a program calling time.Now 20,000 times makes
// (almost) no clock_gettime system call: the vDSO answers, in ring 3.
// Monotonic time never goes back.
func TestVDSO(t *testing.T) {
	clocks := app(t, "clocks")
	out, code := boot(t, qemuargs.Config{SMP: 1, Nodes: 1, MemMiB: 512, Cmdline: "poweroff strace",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			clocks + " now 20000"}}, 3*time.Minute)
	mustContain(t, out, "[core 0 clocks] clocks: 20000 calls of time.Now", "[core 0 clocks] exited status 0")
	calls := len(regexp.MustCompile(`\[core 0 clocks\] tid \d+: syscall 228\(`).FindAllString(out, -1))
	others := len(regexp.MustCompile(`\[core 0 clocks\] tid \d+: syscall \d+\(`).FindAllString(out, -1))
	t.Logf("clock_gettime system calls: %d (of %d system calls)", calls, others)
	if others < 20 {
		t.Fatalf("only %d system calls traced: is strace on?", others)
	}
	if calls > 100 {
		t.Errorf("%d clock_gettime system calls for 20000 time.Now calls: the vDSO is not used", calls)
	}
	wantExit(t, code, exitSuccess)
}
