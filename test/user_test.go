//go:build integration

package test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hugelgupf/vmtest/qemu"

	"multikernel/cpudriver/kpi"
	"multikernel/tools/qemu/qemuargs"
)

// app returns the path of a program built by `make all` from apps/.
func app(t *testing.T, name string) string {
	return filepath.Join(root(t), "build/apps", name)
}

// withKernel returns the boot modules for programs: the CPU driver, the
// monitor, then each program module ("PATH @SPEC ARGS").
func withKernel(t *testing.T, programs ...string) []string {
	return append([]string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor")}, programs...)
}

// TestPrograms: unmodified Go programs run in ring 3 on the cores their
// modules name, print with the core and program prefix, and report their
// exit status; a non-zero status makes the run fail.
func TestPrograms(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"), app(t, "hello") + " @all", app(t, "hello") + " @2 7"}},
		3*time.Minute)
	for c := 0; c < 4; c++ {
		mustContain(t, out, "[core "+string(rune('0'+c))+" hello] hello from ring 3",
			"[core "+string(rune('0'+c))+" hello] goroutines sum 14",
			"[core "+string(rune('0'+c))+" hello] exited status 0")
	}
	mustContain(t, out, "[core 2 hello] exited status 7")
	wantExit(t, code, exitFailure)
}

// TestProgramFault: faults reach Go's own signal handler as on Linux: a
// recovered nil dereference and division by zero in one program, an
// unrecovered nil dereference in another (Go's panic report, status 2);
// the core goes on running its other programs, among them one that never
// makes a system call for 300 ms (preempted by the time slice).
func TestProgramFault(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			app(t, "recover") + " @1", app(t, "crash") + " @1", app(t, "spin") + " @1", app(t, "hello") + " @1"}},
		3*time.Minute)
	mustContain(t, out,
		"[core 1 recover] recovered: runtime error: invalid memory address or nil pointer dereference",
		"[core 1 recover] recovered: runtime error: integer divide by zero",
		"[core 1 recover] exited status 0",
		"[core 1 crash] panic: runtime error: invalid memory address or nil pointer dereference",
		"[core 1 crash] [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=",
		"[core 1 crash] main.main()",
		"[core 1 crash] exited status 2",
		"[core 1 spin] spun 300 ms true", "[core 1 spin] exited status 0", "[core 1 hello] exited status 0")
	wantExit(t, code, exitFailure)
}

// TestMenuArguments: arguments quoted in a boot menu reach the program as
// the words they were.
func TestMenuArguments(t *testing.T) {
	menu := filepath.Join(t.TempDir(), "menu.lst")
	os.WriteFile(menu, []byte("# arguments with blanks and quotes\nprogram "+app(t, "echo")+` core=1 plain 'two words' "say \"hi\""`+"\n"), 0o644)
	f, _ := os.Open(menu)
	mods, err := qemuargs.ParseMenu(f, menu)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff",
		Modules: append([]string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor")}, mods...)}, 3*time.Minute)
	mustContain(t, out, `[core 1 echo] arg 1 "plain"`, `[core 1 echo] arg 2 "two words"`, `[core 1 echo] arg 3 "say \"hi\""`,
		`[core 1 echo] env "GOMAXPROCS=1"`, "[core 1 echo] exited status 0")
	wantExit(t, code, exitSuccess)
}

// TestStdlibTests: Go's own test binaries for packages that need no files
// pass unmodified, five at once on four cores (bytes's tests guard their
// slices with pages they mprotect to PROT_NONE). The sync tests that start
// a child process or read a source file are skipped: there is no exec and
// no file system yet.
func TestStdlibTests(t *testing.T) {
	st := func(name string) string { return filepath.Join(root(t), "build/stdtests", name+".test") }
	out, code := boot(t, qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 2048, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			st("sort") + " @0 -test.short", st("strings") + " @1 -test.short", st("container_list") + " @2",
			st("bytes") + " @2 -test.short", // its tests guard slices with mprotect'd pages
			st("sync") + " @3 -test.short -test.skip=TestMutexMisuse|TestIssue76126|ExampleOnceValues"}},
		8*time.Minute)
	for _, p := range []struct {
		core int
		name string
	}{{0, "sort.test"}, {1, "strings.test"}, {2, "container_list.test"}, {2, "bytes.test"}, {3, "sync.test"}} {
		mustContain(t, out, fmt.Sprintf("[core %d %s] PASS", p.core, p.name), fmt.Sprintf("[core %d %s] exited status 0", p.core, p.name))
	}
	wantExit(t, code, exitSuccess)
}

// TestConsoleInput: the first program on core 0 holds the console input
// and reads what is typed on the serial line; a program elsewhere reads
// end of file.
func TestConsoleInput(t *testing.T) {
	cfg := qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, CPU: "Opteron_G3,-misalignsse", Cmdline: "poweroff", Modules: []string{"unused"}}
	machine, err := cfg.MachineArgs()
	if err != nil {
		t.Fatal(err)
	}
	r := root(t)
	vm, err := qemu.Start(qemu.ArchAMD64,
		qemu.WithQEMUCommand("qemu-system-x86_64"),
		qemu.WithKernel(filepath.Join(r, "build/loader.elf")),
		qemu.WithInitramfs(strings.Join([]string{filepath.Join(r, "build/cpudriver"), filepath.Join(r, "build/monitor"),
			app(t, "readline"), app(t, "readline") + " @1"}, ",")),
		qemu.WithAppendKernel("poweroff"),
		qemu.ArbitraryArgs(machine...),
		qemu.WithVMTimeout(2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	s, err := vm.Console.ExpectString("[core 0 readline] waiting for input")
	out.WriteString(s)
	if err != nil {
		t.Fatalf("readline did not start: %v", err)
	}
	vm.Console.Send("hello world\r")
	s, _ = vm.Console.ExpectString(`read: "hello world"`)
	out.WriteString(s)
	vm.Console.Send("quit\r")
	rest, _ := vm.Console.ExpectEOF()
	out.WriteString(rest)
	code := exitCode(vm.Wait())
	text := strings.ReplaceAll(out.String(), "\r", "")
	t.Logf("exit %d, console:\n%s", code, text)
	mustContain(t, text, `[core 0 readline] read: "hello world"`, `[core 0 readline] read: "quit"`,
		"[core 0 readline] exited status 0", "[core 1 readline] end of input", "[core 1 readline] exited status 0")
	wantExit(t, code, exitSuccess)
}

// TestSyscallFuzz: random system calls with random arguments from ring 3
// on every core (apps/sysfuzz: every native call, the Go personality's
// Linux calls and random numbers), beside a witness on every core
// (memtouch -hold) that fills 16 MiB before the fuzzers begin and checks
// it after they have ended. No CPU driver crashes or hangs, every fuzzer
// makes at least minFuzzCalls calls, every native and shaped Linux call
// among them, finds no call that succeeds where it must fail and none
// that never returns, and sees every thread it cloned gone; afterwards
// every witness finds its memory unchanged and its core and monitor
// answering (an SKB query), and the run powers off with every program's
// success.
func TestSyscallFuzz(t *testing.T) {
	// A fuzzer makes 1,100 to 20,000 calls here, the fewer on a busy
	// host; one that stalls makes a handful.
	const cores, minFuzzCalls = 4, 300
	out, code := boot(t, qemuargs.Config{SMP: cores, Nodes: 2, MemMiB: 1024, Cmdline: "poweroff",
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"),
			app(t, "memtouch") + " @all -hold 16s 16", app(t, "sysfuzz") + " @all -time 6s -after 1s -seed 7"}}, 5*time.Minute)
	summary := regexp.MustCompile(`(?m)^\[core (\d) sysfuzz\] sysfuzz: core (\d): (\d+) calls in \S+ \(\d+ by random number, \d+ succeeded\), ` +
		`(\d+) of (\d+) native calls and (\d+) of (\d+) Linux calls made, (\d+) threads cloned, (\d+) gone, \d+ kicks, (\d+) stuck, (\d+) violations$`)
	fuzzed := map[string]bool{}
	lastExit := -1
	for _, m := range summary.FindAllStringSubmatch(out, -1) {
		c := m[1]
		fuzzed[c] = true
		calls, _ := strconv.Atoi(m[3])
		switch {
		case m[2] != c:
			t.Errorf("the fuzzer on core %s reports core %s", c, m[2])
		case calls < minFuzzCalls:
			t.Errorf("core %s: %d calls, want at least %d", c, calls, minFuzzCalls)
		case m[4] != m[5] || m[4] != strconv.Itoa(kpi.NativeEnd-kpi.NativeBase):
			t.Errorf("core %s: %s of %s native calls made, want all %d", c, m[4], m[5], kpi.NativeEnd-kpi.NativeBase)
		case m[6] != m[7]:
			t.Errorf("core %s: %s of %s shaped Linux calls made", c, m[6], m[7])
		case m[8] != m[9]:
			t.Errorf("core %s: %s threads cloned, %s gone", c, m[8], m[9])
		case m[10] != "0" || m[11] != "0":
			t.Errorf("core %s: %s calls stuck, %s violations", c, m[10], m[11])
		}
		exit := "[core " + c + " sysfuzz] exited status 0\n"
		mustContain(t, out, exit)
		lastExit = max(lastExit, strings.Index(out, exit))
	}
	for c := 0; c < cores; c++ {
		if !fuzzed[strconv.Itoa(c)] {
			t.Errorf("no report from the fuzzer on core %d", c)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "VIOLATION") || strings.Contains(l, "STUCK") || strings.Contains(l, "did not exit") {
			t.Errorf("%s", l)
		}
	}
	for c := 0; c < cores; c++ {
		p := fmt.Sprintf("[core %d memtouch] memtouch: ", c)
		mustContain(t, out, p+"holding 16 MiB for 16s", fmt.Sprintf("[core %d memtouch] exited status 0", c))
		checked := strings.Index(out, p+"16 MiB unchanged after 16s\n")
		switch {
		case checked < 0:
			t.Errorf("core %d: the witness did not find its memory unchanged", c)
		case checked < lastExit:
			t.Errorf("core %d: the witness checked its memory before the fuzzers had all ended", c)
		}
		if !regexp.MustCompile(regexp.QuoteMeta(p) + fmt.Sprintf(`core %d in the SKB: A = \d+, N = \d+\n`, c)).MatchString(out) {
			t.Errorf("core %d: no answer from the SKB after the fuzzers", c)
		}
	}
	if strings.Contains(out, "oops:") {
		t.Errorf("a CPU driver oopsed")
	}
	wantExit(t, code, exitSuccess)
}
