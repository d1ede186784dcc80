// Command hostile tries, from ring 3, what a program must not be able to
// do, and reports each attempt: privileged instructions (cli, hlt, wrmsr,
// rdmsr, mov to cr3, lgdt, in, out), reading and writing the CPU driver's
// memory (its image and the direct map of all physical memory) and its
// own text (shared by every core that runs the program), the
// monitor's native calls (another core's or program's channel frames, the
// bootstrap handshake, importing a capability), a forged capability slot,
// port access through iopl and ioperm, ports, interrupts and device
// memory through a capability of the wrong type, mmap of anything but
// anonymous memory or outside the user address space, and thread-local
// storage bases (clone's CLONE_SETTLS, arch_prctl) that are not user
// addresses. Every attempt must be refused exactly as Linux refuses it
// from an unprivileged process (the errno, or a SIGSEGV at the address
// Linux reports), and the native calls exactly as docs/architecture.md
// says; the faults come back as recoverable panics
// (debug.SetPanicOnFault). It prints "hostile: NAME: refused (HOW)" for
// each, "hostile: NAME: ALLOWED" or "hostile: NAME: WRONG (...)" for one
// that succeeded or was refused otherwise, and exits 0 if all were
// refused as expected, 1 if not.
//
// With the argument "jump" it instead calls into the CPU driver's text,
// which the CPU driver must answer by ending the program (the fault's
// address is not Go code, so Go's runtime cannot recover from it). With
// "sigreturn ADDR" it returns from a signal frame it made whose RIP is
// ADDR: for an address that is not a user address, the CPU driver must
// end the program (on Linux, too, it dies of SIGSEGV).
package main

import (
	"fmt"
	"os"
	"reflect"
	"runtime/debug"
	"strconv"
	"syscall"
	"unsafe"

	"multikernel/cpudriver/kpi"
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
func sigreturn(uc uintptr)

// Addresses of the CPU driver (docs/decisions.md, "The address space": the direct map of physical
// memory, and the image linked at the top 2 GiB).
const (
	directMap  = 0xffff800000000000
	kernelText = 0xffffffff80201000
	heapWindow = 0xffffc00000000000
	vdsoData   = 0x7ffff77fd000 // cpudriver/vdso.DataVA: read-only, the code page after it too
)

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
	if len(os.Args) > 2 && os.Args[1] == "sigreturn" {
		forgedSigreturn(os.Args[2])
	}
	failed := 0
	// fault runs f, which must fault with SIGSEGV at addr.
	fault := func(name string, addr uintptr, f func()) {
		msg, at, ok := faultAt(f)
		switch {
		case !ok:
			fmt.Printf("hostile: %s: ALLOWED\n", name)
			failed++
		case at != addr:
			fmt.Printf("hostile: %s: WRONG (%s; want a fault at %#x)\n", name, msg, addr)
			failed++
		default:
			fmt.Printf("hostile: %s: refused (%s)\n", name, msg)
		}
	}
	// errno checks that an attempt failed with want.
	errno := func(name string, want, e syscall.Errno) {
		switch {
		case e == 0:
			fmt.Printf("hostile: %s: ALLOWED\n", name)
			failed++
		case e != want:
			fmt.Printf("hostile: %s: WRONG (%v, want %v)\n", name, e, want)
			failed++
		default:
			fmt.Printf("hostile: %s: refused (%v)\n", name, e)
		}
	}
	// A privileged instruction is a general-protection fault: SIGSEGV,
	// address 0 (Linux's si_addr for #GP).
	fault("cli", 0, cli)
	fault("hlt", 0, hlt)
	fault("wrmsr", 0, wrmsr)
	fault("rdmsr", 0, rdmsr)
	fault("mov to cr3", 0, movcr3)
	fault("lgdt", 0, lgdt)
	fault("in", 0, func() { inb() })
	fault("out", 0, outb)
	fault("read kernel text", kernelText, func() { load(kernelText) })
	fault("write kernel text", kernelText, func() { store(kernelText) })
	fault("read physical memory", directMap+0x100000, func() { load(directMap + 0x100000) })
	fault("write physical memory", directMap+0x100000, func() { store(directMap + 0x100000) })
	fault("read the CPU driver's heap", heapWindow, func() { load(heapWindow) })
	fault("write the vDSO's clock data", vdsoData, func() { store(vdsoData) })
	fault("write the vDSO's code", vdsoData+4096, func() { store(vdsoData + 4096) })
	// Its own text is mapped read-only, from the boot module every core
	// shares (cpudriver/addrspace, boot images): neither a store nor a
	// system call may write it.
	text := reflect.ValueOf(load).Pointer()
	fault("write its own text", text, func() { store(text) })
	_, _, e := syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, 1, text, 0)
	errno("clock_gettime into its own text", syscall.EFAULT, e)
	_, _, e = syscall.RawSyscall(syscall.SYS_IOPL, 3, 0, 0)
	errno("iopl", syscall.EPERM, e)
	_, _, e = syscall.RawSyscall(syscall.SYS_IOPERM, 0x3F8, 8, 1)
	errno("ioperm", syscall.EPERM, e)
	_, _, e = syscall.RawSyscall6(syscall.SYS_MMAP, 0, 4096, syscall.PROT_READ, syscall.MAP_SHARED, 0, 0)
	errno("mmap of a file", syscall.ENODEV, e) // fd 0, the console
	const anonFixed = syscall.MAP_PRIVATE | syscall.MAP_ANONYMOUS | syscall.MAP_FIXED
	_, _, e = syscall.RawSyscall6(syscall.SYS_MMAP, directMap, 4096, syscall.PROT_READ|syscall.PROT_WRITE, anonFixed, ^uintptr(0), 0)
	errno("mmap over the kernel half", syscall.ENOMEM, e)
	_, _, e = syscall.RawSyscall6(syscall.SYS_MMAP, nonCanonical, 4096, syscall.PROT_READ, anonFixed, ^uintptr(0), 0)
	errno("mmap at a non-canonical address", syscall.ENOMEM, e)
	_, _, e = syscall.RawSyscall6(syscall.SYS_MMAP, 0, 4096, syscall.PROT_READ, anonFixed, ^uintptr(0), 0)
	errno("mmap at address 0", syscall.EPERM, e)
	for _, tls := range []struct {
		name string
		v    uintptr
	}{{"non-canonical", nonCanonical}, {"kernel-half", kernelText}} {
		errno("clone with a "+tls.name+" TLS base", syscall.EPERM, cloneTLS(tls.v))
		_, _, e = syscall.RawSyscall(syscall.SYS_ARCH_PRCTL, archSetFS, tls.v, 0)
		errno("arch_prctl(ARCH_SET_FS) to a "+tls.name+" address", syscall.EPERM, e)
	}
	// The native calls (docs/architecture.md): the monitor's need the
	// Kernel capability (EPERM), a slot that names nothing is EBADF, a
	// capability of the wrong type EINVAL.
	errno("another core's channel frame", syscall.EPERM, native(kpi.SysChannel, 0))
	errno("a program's channel frame", syscall.EPERM, native(kpi.SysClient, 0))
	errno("report a monitor up", syscall.EPERM, native(kpi.SysMonitorUp))
	errno("end the boot", syscall.EPERM, native(kpi.SysBootDone))
	self, _, _ := sys.CPU()
	errno("notify another core", syscall.EPERM, native(kpi.SysNotify, uintptr(self+1)))
	errno("read the machine's facts", syscall.EPERM, native(kpi.SysFacts, 0, 0))
	errno("import a made-up capability", syscall.EPERM, native(kpi.SysCapImport, 3, 0x100000, 0x1000))
	errno("identify a forged capability slot", syscall.EBADF, native(kpi.SysCapIdentify, 12345, 0))
	errno("a port through a forged capability slot", syscall.EBADF, native(kpi.SysCapIO, 12345, kpi.IORead|1, 0x3F8))
	errno("a port through a RAM capability", syscall.EINVAL, native(kpi.SysCapIO, 1, kpi.IOWrite|1, 0xF4, 0))
	errno("an interrupt through a RAM capability", syscall.EINVAL, native(kpi.SysCapIRQ, 1, 0, ^uintptr(0)))
	errno("map device memory through a RAM capability", syscall.EINVAL, native(kpi.SysCapMap, 1, 0x500000000000, syscall.PROT_READ))
	if failed > 0 {
		fmt.Printf("hostile: %d attempts were allowed\n", failed)
		os.Exit(1)
	}
	fmt.Println("hostile: every attempt was refused")
}

const (
	nonCanonical = 0x0000800000000000 // the first address past the lower half
	archSetFS    = 0x1002
	// cloneThread is what Go's runtime passes to clone for a thread, with
	// CLONE_SETTLS.
	cloneThread = syscall.CLONE_VM | syscall.CLONE_FS | syscall.CLONE_FILES | syscall.CLONE_SIGHAND |
		syscall.CLONE_SYSVSEM | syscall.CLONE_THREAD | syscall.CLONE_SETTLS
)

// cloneTLS asks for a thread whose TLS base is tls, and returns the
// errno. Were it allowed, the child would run on a stack of its own
// that it cannot return from.
func cloneTLS(tls uintptr) syscall.Errno {
	stack := make([]byte, 64<<10)
	top := uintptr(unsafe.Pointer(&stack[len(stack)-64]))
	_, _, e := syscall.RawSyscall6(syscall.SYS_CLONE, cloneThread, top, 0, 0, tls, 0)
	return e
}

// faultAt runs f and reports the fault it ended with, its address, and
// whether it faulted.
func faultAt(f func()) (msg string, addr uintptr, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			msg, ok = fmt.Sprint(r), true
			if a, isFault := r.(interface{ Addr() uintptr }); isFault {
				addr = a.Addr()
				msg = fmt.Sprintf("fault at %#x: %s", addr, msg)
			} else {
				addr = ^uintptr(0) // a panic that is not a fault
			}
		}
	}()
	f()
	return "", 0, false
}

// Offsets in the ucontext rt_sigreturn reads at the stack pointer (Linux
// x86-64: uc_mcontext at 40; RSP and RIP are its 16th and 17th words).
const (
	ucSP   = 40 + 15*8
	ucIP   = 40 + 16*8
	ucSize = 40 + 256 + 8 + 128
)

// forgedSigreturn returns from a signal frame whose RIP is the address in
// arg; it does not come back.
func forgedSigreturn(arg string) {
	ip, err := strconv.ParseUint(arg, 0, 64)
	if err != nil {
		fmt.Printf("hostile: sigreturn: bad address %q\n", arg)
		os.Exit(2)
	}
	uc := make([]byte, ucSize+64)
	base := uintptr(unsafe.Pointer(&uc[0]))
	*(*uint64)(unsafe.Pointer(&uc[ucSP])) = uint64(base) // a stack that is one
	*(*uint64)(unsafe.Pointer(&uc[ucIP])) = ip
	fmt.Printf("hostile: sigreturn: returning to %#x\n", ip)
	sigreturn(base)
	fmt.Println("hostile: sigreturn: ALLOWED (the call returned)")
	os.Exit(1)
}
