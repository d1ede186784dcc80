//go:build integration

package test

import (
	"bufio"
	"net"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hugelgupf/vmtest/qemu"

	"multikernel/tools/qemu/qemuargs"
)

// TestVGAConsole boots 4 cores and reads the VGA text screen (physical
// 0xB8000, 80x25 cells of character and attribute) through QEMU's monitor:
// the console output must be mirrored there.
func TestVGAConsole(t *testing.T) {
	r := root(t)
	sock := filepath.Join(t.TempDir(), "mon")
	cfg := qemuargs.Config{SMP: 4, Nodes: 2, MemMiB: 512, CPU: "Opteron_G3,-misalignsse", Modules: []string{"build/cpudriver"}}
	machine, err := cfg.MachineArgs()
	if err != nil {
		t.Fatal(err)
	}
	vm, err := qemu.Start(qemu.ArchAMD64,
		qemu.WithQEMUCommand("qemu-system-x86_64"),
		qemu.WithKernel(filepath.Join(r, "build/loader.elf")),
		qemu.WithInitramfs(filepath.Join(r, "build/cpudriver")),
		qemu.ArbitraryArgs(append(machine, "-monitor", "unix:"+sock+",server=on,wait=off")...),
		qemu.WithVMTimeout(2*time.Minute),
	)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		vm.Kill()
		vm.Wait()
	}()
	if _, err := vm.Console.ExpectString("multikernel: 4 cores up"); err != nil {
		t.Fatalf("the system did not come up: %v", err)
	}
	time.Sleep(200 * time.Millisecond) // the other cores' last lines
	screen, err := readVGA(sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("VGA screen:\n%s", screen)
	// Every line on the screen is a whole console line, in order.
	for _, want := range []string{"cpudriver: CPU AuthenticAMD family 0x10", "core 0 apic 0 node 0 up",
		"core 3 apic 3 node 1 up", "multikernel: 4 cores up on 2 NUMA nodes"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(want)).MatchString(screen) {
			t.Errorf("VGA screen lacks a line starting %q", want)
		}
	}
}

var xpLine = regexp.MustCompile(`^[0-9a-f]+: (.*)$`)

// readVGA asks the monitor for the 2000 text cells and returns the screen
// as 25 lines of 80 characters.
func readVGA(sock string) (string, error) {
	c, err := net.DialTimeout("unix", sock, 10*time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := c.Write([]byte("xp /2000hx 0xb8000\nquit\n")); err != nil {
		return "", err
	}
	var cells []byte
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		m := xpLine.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		for _, f := range strings.Fields(m[1]) {
			v, err := strconv.ParseUint(strings.TrimPrefix(f, "0x"), 16, 16)
			if err != nil {
				continue
			}
			ch := byte(v)
			if ch < ' ' || ch > '~' {
				ch = ' '
			}
			cells = append(cells, ch)
		}
	}
	var b strings.Builder
	for i := 0; i+80 <= len(cells); i += 80 {
		b.WriteString(strings.TrimRight(string(cells[i:i+80]), " "))
		b.WriteByte('\n')
	}
	return b.String(), nil
}
