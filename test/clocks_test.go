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
// ran, not wall time: while both spin each gets about half of the core,
// so a spinner's thread clock is about its time alone plus half the time
// the two overlapped (each reports its span on CLOCK_MONOTONIC, which the
// programs of a core share: a busy host can delay one program's start by
// seconds), the two together stay within the time either spun, a sleep
// costs next to nothing, and the process's clock is at least the
// thread's. getrandom's flags and output are checked too, in two
// programs whose first bytes differ.
func TestCPUClocks(t *testing.T) {
	clocks := app(t, "clocks")
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			clocks + " @1 spin 2000", clocks + " @1 spin 2000", clocks + " @0 random", clocks + " @1 random"}}, 3*time.Minute)
	re := regexp.MustCompile(`\[core 1 clocks\] clocks: spin (\d+) ms: thread ([\d.]+) ms, process ([\d.]+) ms; sleep \d+ ms: thread ([\d.]+) ms; spun from ([\d.]+) to ([\d.]+) ms`)
	ms := re.FindAllStringSubmatch(out, -1)
	if len(ms) != 2 {
		t.Fatalf("%d spinners reported, want 2", len(ms))
	}
	type spinner struct{ wall, thread, proc, slept, from, to float64 }
	var sp [2]spinner
	for i, m := range ms {
		var v [6]float64
		for j := range v {
			v[j], _ = strconv.ParseFloat(m[j+1], 64)
		}
		sp[i] = spinner{v[0], v[1], v[2], v[3], v[4], v[5]}
	}
	overlap := max(0, min(sp[0].to, sp[1].to)-max(sp[0].from, sp[1].from))
	union := max(sp[0].to, sp[1].to) - min(sp[0].from, sp[1].from)
	t.Logf("the spinners overlapped %.1f ms of %.1f ms", overlap, union)
	sum := 0.0
	for _, s := range sp {
		span := s.to - s.from
		want := span - overlap/2 // alone, all of it; together, half
		t.Logf("spin %v ms (%.1f ms by the clock): thread %v ms (about %.1f expected), process %v ms; sleeping: %v ms",
			s.wall, span, s.thread, want, s.proc, s.slept)
		if span < s.wall || span > 1.1*s.wall+100 {
			t.Errorf("a spinner of %v ms spun from %v to %v ms", s.wall, s.from, s.to)
		}
		if s.thread < want-0.2*span || s.thread > want+0.2*span {
			t.Errorf("a spinner counted %v ms of CPU in %.1f ms, %.1f of them shared with the other; want about %.1f", s.thread, span, overlap, want)
		}
		if s.proc < s.thread {
			t.Errorf("process CPU time %v ms below its thread's %v ms", s.proc, s.thread)
		}
		if s.slept > 0.05*s.wall {
			t.Errorf("%v ms of CPU time while sleeping %v ms", s.slept, s.wall)
		}
		sum += s.thread
	}
	if sum > 1.1*union {
		t.Errorf("the two spinners counted %v ms of CPU in %.1f ms on one core", sum, union)
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
