// Command hostile tries, from ring 3, what a program must not be able to
// do, and reports each attempt: privileged instructions (cli, hlt, wrmsr,
// rdmsr, mov to cr3, lgdt, in, out), reading and writing the CPU driver's
// memory (its image and the direct map of all physical memory), the
// monitor's native calls (another core's or program's channel frames, the
// bootstrap handshake, importing a capability), a forged capability slot,
// port access through iopl and ioperm, ports, interrupts and device
// memory through a capability of the wrong type, and mmap of anything
// but anonymous memory. Every attempt must be refused with an
// error or a fault; the faults come back as recoverable panics
// (debug.SetPanicOnFault). It prints "hostile: NAME: refused (HOW)" for each
// and exits 0 if all were refused, 1 if any succeeded.
//
// With the argument "jump" it instead calls into the CPU driver's text,
// which the CPU driver must answer by ending the program (the fault's
// address is not Go code, so Go's runtime cannot recover from it).
package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"syscall"
	"unsafe"

	"multikernel/libos/sys"
)

func cli()
func hlt()
func wrmsr()
func rdmsr()
func movcr3()
func lgdt()
func inb() byte
func outb()
func call(addr uintptr)

// Addresses of the CPU driver (DESIGN.md: the direct map of physical
// memory, and the image linked at the top 2 GiB).
const (
	directMap  = 0xffff800000000000
	kernelText = 0xffffffff80201000
	heapWindow = 0xffffc00000000000
)

// faults runs f and reports the panic it ended with, "" if none.
func faults(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
			if a, ok := r.(interface{ Addr() uintptr }); ok {
				msg = fmt.Sprintf("fault at %#x: %s", a.Addr(), msg)
			}
		}
	}()
	f()
	return ""
}

// load and store touch memory at a raw address.
func load(addr uintptr) byte {
	return *(*byte)(*(*unsafe.Pointer)(unsafe.Pointer(&addr)))
}

func store(addr uintptr) {
	*(*byte)(*(*unsafe.Pointer)(unsafe.Pointer(&addr))) = 1
}

// native makes a native call and returns its errno.
func native(nr uintptr, args ...uintptr) syscall.Errno {
	var a [3]uintptr
	copy(a[:], args)
	_, _, e := syscall.RawSyscall(nr, a[0], a[1], a[2])
	return e
}

func main() {
	debug.SetPanicOnFault(true)
	if len(os.Args) > 1 && os.Args[1] == "jump" {
		fmt.Println("hostile: jump: calling the CPU driver's text")
		call(kernelText)
		fmt.Println("hostile: jump: ALLOWED (the call returned)")
		os.Exit(1)
	}
	failed := 0
	fault := func(name string, f func()) {
		if msg := faults(f); msg != "" {
			fmt.Printf("hostile: %s: refused (%s)\n", name, msg)
		} else {
			fmt.Printf("hostile: %s: ALLOWED\n", name)
			failed++
		}
	}
	errno := func(name string, e syscall.Errno) {
		if e != 0 {
			fmt.Printf("hostile: %s: refused (%v)\n", name, e)
		} else {
			fmt.Printf("hostile: %s: ALLOWED\n", name)
			failed++
		}
	}
	fault("cli", cli)
	fault("hlt", hlt)
	fault("wrmsr", wrmsr)
	fault("rdmsr", rdmsr)
	fault("mov to cr3", movcr3)
	fault("lgdt", lgdt)
	fault("in", func() { inb() })
	fault("out", outb)
	fault("read kernel text", func() { load(kernelText) })
	fault("write kernel text", func() { store(kernelText) })
	fault("read physical memory", func() { load(directMap + 0x100000) })
	fault("write physical memory", func() { store(directMap + 0x100000) })
	fault("read the CPU driver's heap", func() { load(heapWindow) })
	_, _, e := syscall.RawSyscall(syscall.SYS_IOPL, 3, 0, 0)
	errno("iopl", e)
	_, _, e = syscall.RawSyscall(syscall.SYS_IOPERM, 0x3F8, 8, 1)
	errno("ioperm", e)
	_, _, e = syscall.RawSyscall6(syscall.SYS_MMAP, 0, 4096, syscall.PROT_READ, syscall.MAP_SHARED, 0, 0)
	errno("mmap of a file", e)
	_, _, e = syscall.RawSyscall6(syscall.SYS_MMAP, directMap, 4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS|syscall.MAP_FIXED, ^uintptr(0), 0)
	errno("mmap over the kernel half", e)
	errno("another core's channel frame", native(sys.SysChannel, 0))
	errno("a program's channel frame", native(sys.SysClient, 0))
	errno("report a monitor up", native(sys.SysMonitorUp))
	errno("end the boot", native(sys.SysBootDone))
	self, _, _ := sys.CPU()
	errno("notify another core", native(sys.SysNotify, uintptr(self+1)))
	errno("read the machine's facts", native(sys.SysFacts, 0, 0))
	errno("import a made-up capability", native(sys.SysCapImport, 3, 0x100000, 0x1000))
	errno("identify a forged capability slot", native(sys.SysCapIdentify, 12345, 0))
	errno("a port through a forged capability slot", native(sys.SysCapIO, 12345, sys.IORead|1, 0x3F8))
	errno("a port through a RAM capability", native(sys.SysCapIO, 1, sys.IOWrite|1, 0xF4, 0))
	errno("an interrupt through a RAM capability", native(sys.SysCapIRQ, 1, 0, ^uintptr(0)))
	errno("map device memory through a RAM capability", native(sys.SysCapMap, 1, 0x500000000000, syscall.PROT_READ))
	if failed > 0 {
		fmt.Printf("hostile: %d attempts were allowed\n", failed)
		os.Exit(1)
	}
	fmt.Println("hostile: every attempt was refused")
}
