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

// TestCapabilityInvocations: two programs on one core each get a RAM
// capability of their own, retype, map and use Frames, and are refused
// whatever their capabilities do not allow (forged slots, rights they
// lack, overlapping retypes, mappings of RAM or into the kernel half);
// a revoke takes their mappings away; every page table they have is a
// VNode capability. A third program on another core times the
// invocations.
func TestCapabilityInvocations(t *testing.T) {
	captest := app(t, "captest")
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			captest + " @1", captest + " @1", captest + " @0 -bench"}}, 3*time.Minute)
	if n := len(regexp.MustCompile(`\[core 1 captest\] captest: all checks held`).FindAllString(out, -1)); n != 2 {
		t.Errorf("%d of 2 captest runs held every check", n)
	}
	if regexp.MustCompile(`FAILED`).MatchString(out) {
		t.Errorf("a check failed")
	}
	if n := strings.Count(out, "captest: page tables from VNode capabilities: ok"); n != 2 {
		t.Errorf("%d of 2 captest runs found their page tables to be VNode capabilities", n)
	}
	for _, op := range []string{"retype", "map", "unmap", "delete"} {
		if !regexp.MustCompile(`\[core 0 captest\] captest: ` + op + ` \d+ ns/op`).MatchString(out) {
			t.Errorf("no %s figure", op)
		}
	}
	wantExit(t, code, exitSuccess)
}

// TestProgramMemoryFromCapabilities: a program on core 1 writes 150 MiB
// three times over (unmapping in between), more than core 1's CPU driver
// keeps in its own pool (32 MiB): its pages come from the core's RAM
// capability, are zeroed when handed out, and are reused after munmap.
func TestProgramMemoryFromCapabilities(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			app(t, "memtouch") + " @1 150", app(t, "hello") + " @1"}}, 3*time.Minute)
	m := regexp.MustCompile(`core 1: (\d+) KiB free on node 0`).FindStringSubmatch(out)
	if m == nil {
		t.Fatal("no memory report for core 1")
	}
	if kib, _ := strconv.Atoi(m[1]); kib >= 150<<10 {
		t.Errorf("core 1's pool holds %d KiB: the test cannot tell where the pages came from", kib)
	}
	mustContain(t, out, "[core 1 memtouch] memtouch: 150 MiB x3 ok", "[core 1 memtouch] exited status 0", "[core 1 hello] exited status 0")
	wantExit(t, code, exitSuccess)
}

// TestCapabilityAcrossCores: a program on core 0 sends a copy of a Frame
// capability (it may not send one without the grant right) to core 3 on
// the other node, through the monitors; a program there maps it and
// answers through the shared memory. The sender then revokes the frame:
// the monitors' two-phase revoke takes the copy on core 3 and its mapping
// away, and the sender's own other copy.
func TestCapabilityAcrossCores(t *testing.T) {
	capshare := app(t, "capshare")
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			capshare + " @0 send 3", capshare + " @3 receive"}}, 3*time.Minute)
	sent := regexp.MustCompile(`\[core 0 capshare\] capshare: sent frame (0x[0-9a-f]+) to core 3`).FindStringSubmatch(out)
	if sent == nil {
		t.Fatalf("the frame was not sent")
	}
	mustContain(t, out, "[core 3 capshare] capshare: received frame "+sent[1]+" (rights rwxg), read the greeting, answered",
		"[core 0 capshare] capshare: core 3 answered through the shared frame",
		"[core 0 capshare] capshare: revoked the frame on every core, then deleted it",
		"[core 3 capshare] capshare: the sender revoked the frame: mapping and copy gone",
		"[core 0 capshare] exited status 0", "[core 3 capshare] exited status 0")
	wantExit(t, code, exitSuccess)
}

// TestCapabilityOutlivesSender: a program gives a Frame to a program on
// another core and ends holding its copy; its CPU driver has the monitors
// delete that copy (the last one on its core), and the copy on the other
// core, still mapped, lives on.
func TestCapabilityOutlivesSender(t *testing.T) {
	capshare := app(t, "capshare")
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			capshare + " @0 give 1", capshare + " @1 keep"}}, 3*time.Minute)
	mustContain(t, out, "[core 0 capshare] capshare: ending, still holding the frame", "[core 0 capshare] exited status 0",
		"[core 1 capshare] capshare: the frame outlived its sender", "[core 1 capshare] exited status 0")
	if regexp.MustCompile(`across cores: errno|protocol error|message dropped`).MatchString(out) {
		t.Errorf("the delete across cores failed")
	}
	wantExit(t, code, exitSuccess)
}
