//go:build linux

// Command guestinit is the init the boot benchmark gives Linux: a static Go
// binary, packed as /init in an initramfs, that prints one line on the
// console and powers the machine off (ACPI; QEMU runs with -no-reboot and
// exits). The line it prints is what tools/bootbench waits for.
//
// It refuses to power anything off unless it runs as process 1.
package main

import (
	"fmt"
	"os"
	"syscall"
)

// Line is the console line that marks "init is up".
const Line = "bootbench: init up"

func main() {
	if _, err := fmt.Println(Line); err != nil {
		if f, err := os.OpenFile("/dev/console", os.O_WRONLY, 0); err == nil {
			fmt.Fprintln(f, Line)
			f.Close()
		}
	}
	if os.Getpid() != 1 {
		fmt.Fprintln(os.Stderr, "guestinit: not process 1; not powering off")
		os.Exit(1)
	}
	err := syscall.Reboot(syscall.LINUX_REBOOT_CMD_POWER_OFF)
	// Returning from init panics the kernel; with panic=-1 and QEMU's
	// -no-reboot that ends the run too.
	fmt.Fprintln(os.Stderr, "guestinit: power off:", err)
	os.Exit(1)
}
