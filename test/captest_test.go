//go:build integration

package test

import (
	"fmt"
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
	if ram := coreRAM(t, out, 1); ram[0] <= 64 {
		t.Errorf("core 1 has %d MiB of RAM capabilities: the memory service granted it none", ram[0])
	}
	wantExit(t, code, exitSuccess)
}

// TestOutOfMemory: a program that touches more memory than the machine
// has is ended for it once its core's RAM capabilities and the memory
// service have none left (nothing comes from the CPU driver's pool), and
// the program after it on the same core runs.
func TestOutOfMemory(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			app(t, "memtouch") + " @1 -rounds 1 600", app(t, "hello") + " @1"}}, 3*time.Minute)
	if !regexp.MustCompile(`\[core 1 memtouch\] killed \(tid \d+: out of memory at 0x[0-9a-f]+: its core's RAM capabilities are full, and the memory service had none\)`).MatchString(out) {
		t.Errorf("memtouch was not ended for want of memory")
	}
	mustContain(t, out, "[core 1 hello] exited status 0")
	wantExit(t, code, exitFailure) // memtouch was killed
}

// TestMemoryService boots 4 cores on 2 nodes. A program on core 1 (node
// 0) takes 8 MiB of node 1, which the SKB confirms, and 150 MiB, more
// than its core started with; one on core 3 (node 1) takes 450 MiB, more
// than node 1 has: the node's memory server grants its reserve, and node
// 0's server the rest, which core 3 gives back once the program has
// ended (a third program there watches).
func TestMemoryService(t *testing.T) {
	mt := app(t, "memtouch")
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			mt + " @1 -node 1 -nodes 2 -rounds 1 150", mt + " @3 -nodes 2 -rounds 1 450", mt + " @3 -nodes 2 -watch 0"}}, 4*time.Minute)
	mustContain(t, out, "[core 1 memtouch] memtouch: 150 MiB x1 ok", "[core 3 memtouch] memtouch: 450 MiB x1 ok",
		"[core 1 memtouch] exited status 0", "[core 3 memtouch] exited status 0")
	if m := regexp.MustCompile(`\[core 1 memtouch\] memtouch: 8 MiB of node 1 at (0x[0-9a-f]+): ok`).FindStringSubmatch(out); m == nil {
		t.Errorf("core 1 got no memory of node 1")
	} else if base, _ := strconv.ParseUint(m[1], 0, 64); base < 512<<20 {
		t.Errorf("node 1's memory at %#x, below node 1's range", base)
	}
	if ram := coreRAM(t, out, 1); ram[0] <= 64 || ram[1] < 8 {
		t.Errorf("core 1's RAM by node %v MiB: want more than the 64 MiB it started with on node 0, and some of node 1", ram)
	}
	if ram := coreRAM(t, out, 3); ram[0] == 0 || ram[1] <= 64 {
		t.Errorf("core 3's RAM by node %v MiB: want node 1's reserve and some of node 0", ram)
	}
	mustContain(t, out, "[core 3 memtouch] memtouch: the core's RAM of node 0 came and went back")
	wantExit(t, code, exitSuccess)
}

// coreRAM returns the MiB of RAM capabilities by node that memtouch on
// core reported.
func coreRAM(t *testing.T, out string, core int) []int {
	t.Helper()
	m := regexp.MustCompile(fmt.Sprintf(`\[core %d memtouch\] memtouch: core RAM by node \[([0-9 ]+)\] MiB, (\d+) grants`, core)).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no memory report from memtouch on core %d", core)
	}
	var ram []int
	for _, f := range strings.Fields(m[1]) {
		n, _ := strconv.Atoi(f)
		ram = append(ram, n)
	}
	return ram
}

// TestCapabilityAcrossCores: a program on core 0 sends a copy of a Frame
// capability (it may not send one without the grant right) to endpoint 1
// of core 3 on the other node, through the monitors; the program there
// that receives on endpoint 1 takes it (one receiving on endpoint 8 gets
// nothing, and one trying endpoint 8 once that one bound it gets EBUSY); it
// may not revoke the copy (the sender's); it maps it, retypes
// part of it (the monitors' two-phase retype) and answers through the
// shared memory. The sender's retype over that part is refused, of
// another part agreed. The sender then revokes the frame: the monitors'
// two-phase revoke takes the copy on core 3, what was retyped from it and
// its mapping away, and the sender's own other copy.
func TestCapabilityAcrossCores(t *testing.T) {
	capshare := app(t, "capshare")
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			capshare + " @0 send 3", capshare + " @3 receive", capshare + " @3 -ep 8 idle 4000", capshare + " @3 -ep 8 squat 1500"}},
		3*time.Minute)
	sent := regexp.MustCompile(`\[core 0 capshare\] capshare: sent frame (0x[0-9a-f]+) to core 3`).FindStringSubmatch(out)
	if sent == nil {
		t.Fatalf("the frame was not sent")
	}
	mustContain(t, out, "[core 3 capshare] capshare: received frame "+sent[1]+" (rights rwxg), read the greeting, answered",
		"[core 0 capshare] capshare: core 3 answered through the shared frame",
		"[core 3 capshare] capshare: retyped pages 0-1 of the shared frame with every core's agreement",
		"[core 3 capshare] capshare: revoking the received frame or a copy of it: refused (EPERM)",
		"[core 3 capshare] capshare: nothing arrived on endpoint 8 in 4s",
		"[core 3 capshare] capshare: endpoint 8 is another program's: refused (EBUSY)",
		"[core 0 capshare] capshare: retyped pages 2-3 with every core's agreement; pages 1-2 refused (core 3 holds page 1)",
		"[core 0 capshare] capshare: revoked the frame on every core, then deleted it",
		"[core 3 capshare] capshare: the sender revoked the frame: mapping and copy gone",
		"[core 0 capshare] exited status 0")
	if n := strings.Count(out, "[core 3 capshare] exited status 0"); n != 3 {
		t.Errorf("%d programs on core 3 exited 0, want 3", n)
	}
	wantExit(t, code, exitSuccess)
}

// TestAncestorRevokeAcrossCores: a program shares a Frame with a core
// that retypes part of it, then revokes the RAM it retyped the Frame
// from: the monitors' revoke takes the copy on the other core (which
// holds no copy of that RAM), what was retyped from it and its mapping.
func TestAncestorRevokeAcrossCores(t *testing.T) {
	capshare := app(t, "capshare")
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			capshare + " @0 ancestor 1", capshare + " @1 receive"}}, 3*time.Minute)
	mustContain(t, out, "[core 1 capshare] capshare: retyped pages 0-1 of the shared frame with every core's agreement",
		"[core 0 capshare] capshare: revoked the frame's RAM on every core, and retyped it again",
		"[core 1 capshare] capshare: the sender revoked the frame: mapping and copy gone",
		"[core 0 capshare] exited status 0", "[core 1 capshare] exited status 0")
	wantExit(t, code, exitSuccess)
}

// TestCapabilityOutlivesSender: a program gives a Frame to a program on
// another core and ends holding its copy; the copy on the other core,
// still mapped, lives on, and its content stays its own while a second
// program on the sender's core takes every page it can get and fills it
// with a pattern of its own: the sender's core keeps the frame's range
// taken (a placeholder of the ended sender's copy). The receiver's delete
// then runs the monitors' protocol, which tells the sender's core.
func TestCapabilityOutlivesSender(t *testing.T) {
	capshare := app(t, "capshare")
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			capshare + " @0 give 1", capshare + " @1 keep 12000", capshare + " @0 hog 2000"}}, 4*time.Minute)
	mustContain(t, out, "[core 0 capshare] capshare: ending, still holding the frame", "[core 0 capshare] exited status 0",
		"[core 1 capshare] capshare: the frame outlived its sender",
		"[core 1 capshare] capshare: the frame's content stayed its own for 12s",
		"[core 1 capshare] capshare: deleted the copy through the monitors", "[core 1 capshare] exited status 0")
	if regexp.MustCompile(`across cores: errno|protocol error|message dropped`).MatchString(out) {
		t.Errorf("the delete across cores failed")
	}
	// The hog ran after the sender ended and finished while the receiver
	// watched.
	inOrder(t, out, "[core 0 capshare] capshare: ending, still holding the frame", "[core 0 capshare] capshare: hog starts",
		"[core 0 capshare] capshare: hog filled", "[core 1 capshare] capshare: the frame's content stayed its own")
	if m := regexp.MustCompile(`hog filled (\d+) pages`).FindStringSubmatch(out); m == nil {
		t.Errorf("the hog did not finish")
	} else if n, _ := strconv.Atoi(m[1]); n < 8192 {
		t.Errorf("the hog took only %d pages", n)
	}
	wantExit(t, code, exitSuccess)
}
