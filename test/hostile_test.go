//go:build integration

package test

import (
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"multikernel/tools/qemu/qemuargs"
)

// TestHostilePrograms: a program tries privileged instructions, the CPU
// driver's memory, port access, foreign mappings, TLS bases that are not
// user addresses and the monitor's native calls, and every attempt is
// refused exactly as Linux refuses it (the program checks each errno and
// fault address); another calls into the CPU driver's text and is ended
// alone, and two return from forged signal frames to a non-canonical and
// a kernel-half RIP and are ended. Programs beside them on the same core
// and the SKB on core 0 keep working.
func TestHostilePrograms(t *testing.T) {
	hostile := app(t, "hostile")
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			hostile + " @1", hostile + " @1 jump", hostile + " @1 sigreturn 0x800000000000",
			hostile + " @1 sigreturn 0xffffffff80201000", app(t, "hello") + " @1", app(t, "skbq") + " @1 'core(1, _, N)'"}},
		3*time.Minute)
	for _, name := range []string{"cli", "hlt", "wrmsr", "rdmsr", "mov to cr3", "lgdt", "in", "out",
		"read kernel text", "write kernel text", "read physical memory", "write physical memory",
		"read the CPU driver's heap", "write the vDSO's clock data", "write the vDSO's code",
		"write its own text", "clock_gettime into its own text", "iopl", "ioperm", "mmap of a file", "mmap over the kernel half",
		"mmap at a non-canonical address", "mmap at address 0",
		"clone with a non-canonical TLS base", "clone with a kernel-half TLS base",
		"arch_prctl(ARCH_SET_FS) to a non-canonical address", "arch_prctl(ARCH_SET_FS) to a kernel-half address",
		"another core's channel frame", "a program's channel frame", "report a monitor up", "end the boot",
		"notify another core", "read the machine's facts", "import a made-up capability",
		"identify a forged capability slot",
		"a port through a forged capability slot", "a port through a RAM capability",
		"an interrupt through a RAM capability", "map device memory through a RAM capability"} {
		mustContain(t, out, "[core 1 hostile] hostile: "+name+": refused (")
	}
	if regexp.MustCompile(`ALLOWED|WRONG`).MatchString(out) {
		t.Errorf("an attempt was allowed, or refused otherwise than Linux refuses it")
	}
	for _, ip := range []string{"0x800000000000", "0xffffffff80201000"} {
		mustContain(t, out, "[core 1 hostile] hostile: sigreturn: returning to "+ip)
	}
	killed := regexp.MustCompile(`\[core 1 hostile\] killed \(tid \d+: rt_sigreturn with a bad signal frame at`)
	if n := len(killed.FindAllString(out, -1)); n != 2 {
		t.Errorf("%d programs were ended for their forged signal frames, want 2", n)
	}
	mustContain(t, out, "[core 1 hostile] hostile: every attempt was refused",
		"[core 1 hostile] [signal SIGSEGV: segmentation violation code=0x2 addr=0xffffffff80201000 pc=0xffffffff80201000]",
		"[core 1 hostile] exited status 2",
		"[core 1 hello] exited status 0",
		"[core 1 skbq] N = 0", "[core 1 skbq] exited status 0")
	if n := len(regexp.MustCompile(`\[core 1 hostile\] exited status 0`).FindAllString(out, -1)); n != 1 {
		t.Errorf("%d hostile programs exited 0, want 1 (the other is ended by its fault)", n)
	}
	wantExit(t, code, exitFailure) // the program that jumped failed
}
