//go:build integration

package test

import (
	"bufio"
	"net"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hugelgupf/vmtest/qemu"

	"multikernel/tools/qemu/qemuargs"
)

// TestVGAConsole boots 4 cores and reads the VGA text screen (physical
// 0xB8000, 80x25 cells of character and attribute) through QEMU's monitor:
// the console output must be mirrored there, whole lines in the order the
// serial line got them.
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
	serial, err := vm.Console.ExpectString("multikernel: 4 cores up")
	if err != nil {
		t.Fatalf("the system did not come up: %v", err)
	}
	time.Sleep(200 * time.Millisecond) // the other cores' last lines
	screen, err := readVGA(sock)
	if err != nil {
		t.Fatal(err)
	}
	vm.Kill()
	rest, _ := vm.Console.ExpectEOF()
	serial = strings.ReplaceAll(serial+rest, "\r", "")
	if i := strings.Index(serial, "cpudriver: "); i >= 0 {
		serial = serial[i:] // the firmware's output before is not the CPU driver's
	}
	t.Logf("VGA screen:\n%s", screen)
	rows := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	for len(rows) > 0 && rows[len(rows)-1] == "" {
		rows = rows[:len(rows)-1] // below the cursor
	}
	// The screen holds the last rows the serial output makes when it is
	// written 80 columns a row, in the same order: a run of them.
	if !containsRun(screenRows(serial), rows) {
		t.Errorf("the screen's %d rows are not a run of the serial console's rows:\n%s", len(rows), serial)
	}
	// These lines start rows, in this order.
	at := -1
	for _, want := range []string{"cpudriver: CPU AuthenticAMD family 0x10", "core 0 apic 0 node 0 up",
		"core 3 apic 3 node 1 up", "multikernel: 4 cores up on 2 NUMA nodes"} {
		i := slices.IndexFunc(rows, func(row string) bool { return strings.HasPrefix(row, want) })
		switch {
		case i < 0:
			t.Errorf("VGA screen lacks a line starting %q", want)
		case i <= at:
			t.Errorf("VGA screen has %q in row %d, not after row %d", want, i, at)
		default:
			at = i
		}
	}
}

// screenRows returns the rows text makes on an 80-column screen as the
// CPU driver writes it (cpudriver/ring0/console.go): a line wraps every
// 80 characters, a newline moves to the next row, and bytes that are not
// printable show as blanks; each row without its trailing blanks.
func screenRows(text string) []string {
	var rows []string
	row := []byte{}
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '\n' {
			rows = append(rows, strings.TrimRight(string(row), " "))
			row = row[:0]
			continue
		}
		if c < ' ' || c > '~' {
			c = ' '
		}
		row = append(row, c)
		if len(row) == 80 {
			rows = append(rows, strings.TrimRight(string(row), " "))
			row = row[:0]
		}
	}
	return append(rows, strings.TrimRight(string(row), " "))
}

// containsRun reports whether run occurs in rows as consecutive elements.
func containsRun(rows, run []string) bool {
	for i := 0; i+len(run) <= len(rows); i++ {
		if slices.Equal(rows[i:i+len(run)], run) {
			return true
		}
	}
	return false
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
