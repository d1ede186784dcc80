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

// TestMprotect: mprotect as a Linux program sees it (apps/memprot):
// rights that fault where they say and keep the contents (PROT_NONE
// included), the kernel's own copies held to them, Linux's errors; and a
// program's read-only data, shared by the cores that run it from one
// boot module, made writable and changed on core 0 while core 1 reads it:
// core 1 must see it as built.
func TestMprotect(t *testing.T) {
	memprot := app(t, "memprot")
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			memprot + " @1 rights", memprot + " @all share"}}, 3*time.Minute)
	for _, name := range []string{"mprotect PROT_READ", "read-only pages read", "a store to a read-only page faults",
		"the pages beside stay writable", "the kernel's copy into a read-only page is EFAULT", "mprotect PROT_NONE",
		"a load from a PROT_NONE page faults", "the kernel's copy from a PROT_NONE page is EFAULT",
		"mprotect back to read-write", "the contents survive PROT_NONE", "the pages are writable again",
		"an unaligned address is EINVAL", "an unknown protection bit is EINVAL",
		"PROT_GROWSDOWN outside a stack that grows is EINVAL", "a length of 0 is nothing",
		"a range with a hole is ENOMEM", "a range past the user half is ENOMEM", "the vDSO's data page is EACCES"} {
		mustContain(t, out, "[core 1 memprot] memprot: "+name+": ok")
	}
	for _, name := range []string{"a store to the read-only data faults", "mprotect of its read-only data to read-write",
		"the read-only data is writable now", "this process sees its change"} {
		mustContain(t, out, "[core 0 memprot] memprot: "+name+": ok")
	}
	if strings.Contains(out, "FAILED") || strings.Contains(out, "CHANGED") {
		t.Errorf("a check failed")
	}
	changed := regexp.MustCompile(`\[core 0 memprot\] memprot: share: changed at ([\d.]+) ms`).FindStringSubmatch(out)
	intact := regexp.MustCompile(`\[core 1 memprot\] memprot: share: intact from ([\d.]+) to ([\d.]+) ms`).FindStringSubmatch(out)
	if changed == nil || intact == nil {
		t.Fatalf("the sharing check did not report: changed %q, intact %q", changed, intact)
	}
	at, _ := strconv.ParseFloat(changed[1], 64)
	until, _ := strconv.ParseFloat(intact[2], 64)
	if until <= at {
		t.Errorf("core 1 stopped reading at %v ms, before core 0 changed its copy at %v ms", until, at)
	}
	if n := strings.Count(out, "memprot] exited status 0"); n != 3 {
		t.Errorf("%d memprot programs exited 0, want 3", n)
	}
	wantExit(t, code, exitSuccess)
}
