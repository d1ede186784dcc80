//go:build integration

package test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// TestSpanWorkout: apps/spanwork spanning every core of a 16-core,
// 4-node machine and, beside it, a second copy spanning node 1's cores,
// each passing every check with a thread pinned on each of its cores.
func TestSpanWorkout(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 16, Nodes: 4, MemMiB: 2048, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			app(t, "spanwork") + " @0-15", app(t, "spanwork") + " @node:1"}}, 8*time.Minute)
	// Lines carry the core of the thread that wrote them, which may be
	// any of the program's.
	mustContain(t, out, "spanwork] spanwork: cores [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15] numcpu 16 gomaxprocs 16",
		"spanwork] spanwork: cores [4 5 6 7] numcpu 4 gomaxprocs 4")
	for c := 0; c < 16; c++ {
		mustContain(t, out, fmt.Sprintf("[core %d spanwork] spanwork: thread on core %d: ok", c, c))
	}
	if n := strings.Count(out, "spanwork: PASS"); n != 2 {
		t.Errorf("%d of 2 programs passed", n)
	}
	mustContain(t, out, "[core 0 spanwork] exited status 0", "[core 4 spanwork] exited status 0")
	// First touch: every page on its toucher's node, the 16-core one's
	// on all four nodes.
	mustContain(t, out, "spanwork: first touch: 128 pages, 0 on another node than their toucher's, nodes [0 1 2 3]",
		"spanwork: first touch: 32 pages, 0 on another node than their toucher's, nodes [1]")
	// Its munmaps and mprotects were shot down, and counted.
	if !regexp.MustCompile(`\[core 0 spanwork\] \d+ TLB shootdowns \((unicast|broadcast|multicast|NUMA-aware multicast)\): \d+ messages, \d+ of them across nodes`).MatchString(out) {
		t.Errorf("no shootdown report")
	}
	// Its threads woke each other across cores by claiming waiter slots.
	if !regexp.MustCompile(`\[core 0 spanwork\] \d+ cross-core futex wakes: [1-9]\d* by a slot claim and a notification, \d+ by a request`).MatchString(out) {
		t.Errorf("no cross-core futex wake by a slot claim reported")
	}
	if strings.Contains(out, "FAILED") {
		t.Errorf("a check failed")
	}
	wantExit(t, code, exitSuccess)
}

// TestSpanShootProtocols: the workout spanning four cores on two nodes
// passes with each protocol that is not the default (TestSpanWorkout runs
// that one), so that a multicast's aggregator on node 1 passes the
// shootdowns on, and broadcast's line is read; the end report names the
// protocol.
func TestSpanShootProtocols(t *testing.T) {
	for opt, name := range map[string]string{"broadcast": "broadcast", "multicast": "multicast", "numa": "NUMA-aware multicast"} {
		t.Run(opt, func(t *testing.T) {
			out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff span-shootdown=" + opt,
				Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
					app(t, "spanwork") + " @0-3"}}, 4*time.Minute)
			mustContain(t, out, "spanwork] spanwork: PASS", "[core 0 spanwork] exited status 0",
				"[core 0 spanwork] ", " TLB shootdowns ("+name+"): ")
			if strings.Contains(out, "FAILED") || strings.Contains(out, "refused") {
				t.Errorf("a check failed, or a shootdown message was refused")
			}
			wantExit(t, code, exitSuccess)
		})
	}
}

// TestSpanFault: a program spanning cores 1-3 keeps a thread busy in
// ring 3 on two of them and writes through nil on the third: Go's
// handler reports the fault and ends the program (exit status 2) on all
// three cores, while a workout spanning cores 0-3 beside it passes.
func TestSpanFault(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 1, MemMiB: 1024, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			app(t, "spanwork") + " @1-3 -crash 3", app(t, "spanwork") + " @0-3"}}, 4*time.Minute)
	mustContain(t, out, "[core 3 spanwork] spanwork: writing through nil on core 3",
		"[core 3 spanwork] panic: runtime error: invalid memory address or nil pointer dereference",
		"[core 1 spanwork] exited status 2",
		"spanwork] spanwork: PASS", "[core 0 spanwork] exited status 0")
	wantExit(t, code, exitFailure)
}

// TestSpanHostile: apps/hostile spanning four cores is refused every
// attempt (its threads run on all four), and a program beside it is
// untouched.
func TestSpanHostile(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 1, MemMiB: 1024, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			app(t, "hostile") + " @0-3", app(t, "hello") + " @2"}}, 4*time.Minute)
	mustContain(t, out, "hostile] hostile: every attempt was refused", "[core 0 hostile] exited status 0",
		"[core 2 hello] exited status 0")
	if regexp.MustCompile(`ALLOWED|WRONG`).MatchString(out) {
		t.Errorf("an attempt was allowed, or refused otherwise than Linux refuses it")
	}
	wantExit(t, code, exitSuccess)
}

// TestSpanStdlib: Go's own sync, sync/atomic and runtime/debug test
// binaries, each spanning all 16 cores (GOMAXPROCS 16, Go's default from
// sched_getaffinity), pass.
func TestSpanStdlib(t *testing.T) {
	st := func(name string) string { return filepath.Join(root(t), "build/stdtests", name+".test") }
	out, code := boot(t, qemuargs.Config{SMP: 16, Nodes: 4, MemMiB: 4096, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			st("sync") + " @0-15 -test.short -test.skip=TestMutexMisuse|TestIssue76126|ExampleOnceValues",
			st("sync_atomic") + " @0-15 -test.short",
			st("runtime_debug") + " @0-15 -test.short -test.skip=TestWriteHeapDump|TestSetCrashOutput|TestPanicOnFault"}}, // those need files, or MAP_SHARED
		10*time.Minute)
	for _, name := range []string{"sync.test", "sync_atomic.test", "runtime_debug.test"} {
		if !regexp.MustCompile(`\[core \d+ ` + regexp.QuoteMeta(name) + `\] PASS`).MatchString(out) {
			t.Errorf("%s did not pass", name)
		}
		mustContain(t, out, fmt.Sprintf("[core 0 %s] exited status 0", name))
	}
	wantExit(t, code, exitSuccess)
}

// TestSpanBadCores: a program placed on cores the machine lacks is
// reported and counted as a failure; the other programs run.
func TestSpanBadCores(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			app(t, "hello") + " @0-3", app(t, "hello") + " @1"}}, 2*time.Minute)
	mustContain(t, out, `cpudriver: program "`+app(t, "hello")+`" not started: cores "0-3": core 3: the machine has 2 cores`,
		"[core 1 hello] exited status 0")
	wantExit(t, code, exitFailure)
}
