// Command cpus checks what a program learns about the cores it may run
// on: sched_getaffinity's mask (from which Go takes runtime.NumCPU),
// getcpu, and sched_setaffinity's answers (Linux's rule: a mask that
// allows none of the thread's cores is EINVAL). A program runs on one
// core, so the mask is that core alone. It prints "cpus: core C node N
// numcpu K mask M" and "cpus: NAME: ok" or "cpus: NAME: FAILED (...)" per
// check, and exits 1 if one failed.
package main

import (
	"fmt"
	"os"
	"runtime"
	"syscall"
	"unsafe"

	"multikernel/libos/probe"
)

const sysGetcpu = 309 // not in package syscall

func main() {
	c := probe.Checks{Program: "cpus"}
	var core, node uint32
	_, _, e := syscall.RawSyscall(sysGetcpu, uintptr(unsafe.Pointer(&core)), uintptr(unsafe.Pointer(&node)), 0)
	c.Check("getcpu", e == 0, e.Error())
	var mask [16]uint64 // longer than the kernel's: it writes its own size
	n, _, e := syscall.RawSyscall(syscall.SYS_SCHED_GETAFFINITY, 0, unsafe.Sizeof(mask), uintptr(unsafe.Pointer(&mask)))
	c.Check("sched_getaffinity", e == 0 && n == 8, fmt.Sprintf("%d bytes, %v", n, e))
	fmt.Printf("cpus: core %d node %d numcpu %d mask %#x\n", core, node, runtime.NumCPU(), mask[0])
	c.Check("the mask is this core alone", mask[0] == 1<<core, fmt.Sprintf("mask %#x, core %d", mask[0], core))
	c.Check("runtime.NumCPU is the mask's count", runtime.NumCPU() == 1, fmt.Sprint(runtime.NumCPU()))
	set := func(m uint64) syscall.Errno {
		_, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, 0, 8, uintptr(unsafe.Pointer(&m)))
		return e
	}
	c.Check("sched_setaffinity to this core", set(1<<core) == 0, "refused")
	c.Check("sched_setaffinity to every core", set(^uint64(0)) == 0, "refused")
	other := uint64(1) << ((core + 1) % 64)
	c.Check("sched_setaffinity to another core only is EINVAL", set(other) == syscall.EINVAL, "not EINVAL")
	c.Check("sched_setaffinity to no core is EINVAL", set(0) == syscall.EINVAL, "not EINVAL")
	tid := syscall.Gettid()
	n, _, e = syscall.RawSyscall(syscall.SYS_SCHED_GETAFFINITY, uintptr(tid), 8, uintptr(unsafe.Pointer(&mask)))
	c.Check("sched_getaffinity of its own thread id", e == 0 && mask[0] == 1<<core, e.Error())
	if c.Failed > 0 {
		os.Exit(1)
	}
}
