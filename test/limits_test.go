//go:build integration

package test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// TestLimits: programs on core 1 exceed their thread, descriptor and
// memory-service limits and are refused exactly (EAGAIN, EMFILE, ENOMEM
// at the limit; EPERM to raise a hard limit; EINVAL for a limit nothing
// enforces; no RAM without the client capability), while a witness on
// the same core makes threads, descriptors and takes RAM throughout and
// finishes.
func TestLimits(t *testing.T) {
	limits := app(t, "limits")
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			limits + " @1 witness 3000", limits + " @1 threads 48", limits + " @1 fds 12",
			limits + " @1 caps=mem:16 mem 16", limits + " @1 unenforced"}}, 3*time.Minute)
	for _, name := range []string{
		"raising RLIMIT_NPROC's hard limit is refused", "clone fails with EAGAIN at RLIMIT_NPROC",
		"threads were made below the limit", "a thread again once others ended",
		"eventfd fails with EMFILE at RLIMIT_NOFILE", "the last descriptor is the limit's last",
		"raising RLIMIT_NOFILE's hard limit is refused",
		"MemLimit reports the limit", "AllocRAM fails with ENOMEM at the limit", "exactly the limit was given",
		"MemLimit reports it all used", "RAM still used through a frame counts", "a deleted MiB can be taken again",
		"the MiB the frame held can be taken once it is gone", "AllocRAM through a RAM capability is refused",
		"AllocRAM without the client capability is refused",
		"RLIMIT_AS, which nothing enforces, is refused", "and not recorded", "setting it to what it is succeeds",
		"ordinary rounds beside a program at its limits",
	} {
		mustContain(t, out, "[core 1 limits] limits: "+name+": ok")
	}
	if strings.Contains(out, "FAILED") {
		t.Errorf("a check failed")
	}
	if n := len(regexp.MustCompile(`\[core 1 limits\] exited status 0`).FindAllString(out, -1)); n != 5 {
		t.Errorf("%d of 5 programs exited 0", n)
	}
	mustContain(t, out, "[core 1 limits] prlimit: resource 9 cannot be limited here (EINVAL)")
	wantExit(t, code, exitSuccess)
}
