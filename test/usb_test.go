//go:build integration

package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	expect "github.com/Netflix/go-expect"
	"github.com/hugelgupf/vmtest/qemu"

	"multikernel/tools/qemu/qemuargs"
)

// bootUSB boots build/multikernel-usb.img as a USB stick (EHCI, QEMU's
// default BIOS) on 16 Opteron_G3 cores in 4 nodes. pick, when set, is the
// title of the menu entry to boot (see selectEntry). It returns the console
// up to the line until and shortly after.
func bootUSB(t *testing.T, pick, until string) string {
	t.Helper()
	img := filepath.Join(root(t), "build/multikernel-usb.img")
	if _, err := os.Stat(img); err != nil {
		t.Fatalf("%v: run `make usb` first", err)
	}
	cfg := qemuargs.Config{SMP: 16, Nodes: 4, MemMiB: 4096, CPU: "Opteron_G3,-misalignsse", Modules: []string{"unused"}}
	machine, err := cfg.MachineArgs()
	if err != nil {
		t.Fatal(err)
	}
	vm, err := qemu.Start(qemu.ArchAMD64,
		qemu.WithQEMUCommand("qemu-system-x86_64"),
		qemu.ArbitraryArgs(append(machine,
			"-device", "usb-ehci,id=ehci",
			"-drive", "if=none,id=stick,format=raw,file="+img+",readonly=on",
			"-device", "usb-storage,bus=ehci.0,drive=stick,bootindex=0")...),
		qemu.WithVMTimeout(2*time.Minute),
	)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if pick != "" {
		selectEntry(t, vm.Console, &out, pick)
	}
	s, err := vm.Console.ExpectString(until)
	out.WriteString(s)
	if err != nil {
		t.Errorf("console never showed %q: %v", until, err)
	}
	time.Sleep(time.Second) // the other cores' last lines
	vm.Kill()
	rest, _ := vm.Console.ExpectEOF()
	out.WriteString(rest)
	vm.Wait()
	text := strings.ReplaceAll(out.String(), "\r", "")
	t.Logf("console:\n%s", text)
	return text
}

// TestUSBImage: the default menu entry boots the same system as -kernel,
// with the same console lines.
func TestUSBImage(t *testing.T) {
	out := bootUSB(t, "", "multikernel: 16 cores up on 4 NUMA nodes")
	mustContain(t, out, "Booting `multikernel: every core'", "cpudriver: CPU AuthenticAMD family 0x10")
	checkCores(t, out, 16, 4)
}

// TestUSBSafeMode: the second entry boots one core with the verbose report.
func TestUSBSafeMode(t *testing.T) {
	out := bootUSB(t, "multikernel: safe mode", "multikernel: 1 cores up on 4 NUMA nodes")
	mustContain(t, out, `cpudriver: boot loader "GRUB`, `command line "maxcores=1 verbose"`,
		"cpudriver: ACPI table SRAT", "cpudriver: memory 0x")
	if n := len(upCores(t, out)); n != 1 {
		t.Errorf("%d cores up in safe mode, want 1", n)
	}
}

// selectEntry moves GRUB's highlight down to the entry titled title and
// boots it. GRUB marks the highlighted entry with '*' before its title on
// the serial terminal. A key typed while GRUB is still drawing the menu on
// the slow emulated VGA screen can be lost, so 'v' is typed again until
// the mark has moved (more 'v's stay on the last entry), and Enter until
// the CPU driver's first line shows (GRUB prints no "Booting" line for an
// entry chosen with Enter); the first key that arrives stops the
// countdown.
func selectEntry(t *testing.T, c *expect.Console, out *strings.Builder, title string) {
	t.Helper()
	s, err := c.ExpectString("Use the ^ and v keys")
	out.WriteString(s)
	if err != nil {
		t.Fatalf("no GRUB menu: %v", err)
	}
	for _, step := range []struct {
		key, want string
		wait      time.Duration
	}{{"v", "*" + title, 500 * time.Millisecond}, {"\r", "cpudriver: ", 3 * time.Second}} {
		mark := out.Len()
		for try := 0; !strings.Contains(out.String()[mark:], step.want); try++ {
			if try == 10 {
				t.Fatalf("GRUB never showed %q after typing %q 10 times; console:\n%s", step.want, step.key, out.String())
			}
			c.Send(step.key)
			s, _ := c.Expect(expect.String(step.want), expect.WithTimeout(step.wait))
			out.WriteString(s)
		}
	}
}
