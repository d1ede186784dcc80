// Command memprot checks mprotect as a Linux program sees it:
//
//	memprot rights   anonymous memory made read-only, PROT_NONE and
//	                 read-write again keeps its contents, faults (SIGSEGV,
//	                 as a recovered panic) where the rights say, and the
//	                 kernel's own copies respect the rights too (EFAULT);
//	                 the argument errors are Linux's
//	memprot share   run on several cores from one boot module (@all),
//	                 whose read-only pages they share: on core 0 it makes
//	                 the page of a string constant in its read-only data
//	                 writable, changes the string and prints "memprot:
//	                 share: changed at T ms"; on the others it reads the
//	                 string for 3 s and prints "memprot: share: intact
//	                 from T0 to T1 ms" (times on CLOCK_MONOTONIC), or
//	                 "memprot: share: CHANGED at T ms" and exits 1
//
// It prints "memprot: NAME: ok" or "memprot: NAME: FAILED (...)" per
// check and exits 1 if one failed.
package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"syscall"
	"time"
	"unsafe"

	"multikernel/libos/probe"
	"multikernel/libos/sys"
)

const (
	page           = 4096
	protNone       = 0
	protRead       = 1
	protWrite      = 2
	protGrowsDown  = 0x01000000
	clockMonotonic = 1
)

// marker lies in the program's read-only data, shared with every other
// process running the program.
const marker = "memprot: the text as built"

// sink keeps the loads whose faults are checked.
var sink byte

// markerAt returns where marker's bytes lie, through a call the compiler
// cannot see into: it folds a load from read-only data into the constant
// it was built with.
//
//go:noinline
func markerAt() *byte { return unsafe.StringData(marker) }

func main() {
	debug.SetPanicOnFault(true)
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: memprot rights|share")
		os.Exit(2)
	}
	c := probe.Checks{Program: "memprot"}
	switch os.Args[1] {
	case "rights":
		rights(&c)
	case "share":
		if cpu, _, _ := sys.CPU(); cpu == 0 {
			change(&c)
			break
		}
		from := monotonicMS()
		for start := time.Now(); time.Since(start) < 3*time.Second; time.Sleep(50 * time.Millisecond) {
			if *markerAt() != 'm' {
				fmt.Printf("memprot: share: CHANGED at %.1f ms\n", monotonicMS())
				os.Exit(1)
			}
		}
		fmt.Printf("memprot: share: intact from %.1f to %.1f ms\n", from, monotonicMS())
	default:
		fmt.Fprintln(os.Stderr, "usage: memprot rights|share")
		os.Exit(2)
	}
	if c.Failed > 0 {
		os.Exit(1)
	}
}

// mprotect makes the raw call and returns its errno.
func mprotect(addr, n, prot uintptr) syscall.Errno {
	_, _, e := syscall.RawSyscall(syscall.SYS_MPROTECT, addr, n, prot)
	return e
}

// monotonicMS returns CLOCK_MONOTONIC in ms (the programs of one core
// share it).
func monotonicMS() float64 {
	var ts syscall.Timespec
	syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clockMonotonic, uintptr(unsafe.Pointer(&ts)), 0)
	return float64(ts.Nano()) / 1e6
}

func rights(c *probe.Checks) {
	mem, err := syscall.Mmap(-1, 0, 4*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		c.Check("mmap", false, err.Error())
		return
	}
	base := uintptr(unsafe.Pointer(&mem[0]))
	for i := range mem {
		mem[i] = byte(i*7 + i/page)
	}
	intact := func() bool {
		for i := range mem {
			if mem[i] != byte(i*7+i/page) {
				return false
			}
		}
		return true
	}
	// Pages 1 and 2 read-only: they read, a store faults, the kernel's
	// copy into them is EFAULT; pages 0 and 3 stay writable.
	e := mprotect(base+page, 2*page, protRead)
	c.Check("mprotect PROT_READ", e == 0, e.Error())
	c.Check("read-only pages read", !probe.Faults(func() { sink = mem[page+5] }) && intact(), "a read faulted or the contents changed")
	c.Check("a store to a read-only page faults", probe.Faults(func() { mem[2*page+1] = 0 }), "it did not")
	c.Check("the pages beside stay writable", !probe.Faults(func() { mem[0]++; mem[3*page]++; mem[0]--; mem[3*page]-- }), "a store faulted")
	_, _, e = syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clockMonotonic, base+page, 0)
	c.Check("the kernel's copy into a read-only page is EFAULT", e == syscall.EFAULT, e.Error())
	// PROT_NONE: any access faults; back to read-write, the contents
	// are there.
	e = mprotect(base, 4*page, protNone)
	c.Check("mprotect PROT_NONE", e == 0, e.Error())
	c.Check("a load from a PROT_NONE page faults", probe.Faults(func() { sink = mem[3*page+9] }), "it did not")
	_, _, e = syscall.RawSyscall(syscall.SYS_WRITE, 1, base, 1)
	c.Check("the kernel's copy from a PROT_NONE page is EFAULT", e == syscall.EFAULT, e.Error())
	e = mprotect(base, 4*page, protRead|protWrite)
	c.Check("mprotect back to read-write", e == 0, e.Error())
	c.Check("the contents survive PROT_NONE", intact(), "they changed")
	c.Check("the pages are writable again", !probe.Faults(func() { i := 2*page + 1; mem[i] = byte(i*7 + i/page) }), "a store faulted")
	// Linux's argument errors.
	c.Check("an unaligned address is EINVAL", mprotect(base+1, page, protRead) == syscall.EINVAL, "it was not")
	c.Check("an unknown protection bit is EINVAL", mprotect(base, page, 0x10) == syscall.EINVAL, "it was not")
	c.Check("PROT_GROWSDOWN outside a stack that grows is EINVAL", mprotect(base, page, protRead|protGrowsDown) == syscall.EINVAL, "it was not")
	c.Check("a length of 0 is nothing", mprotect(base, 0, protNone) == 0, "it was refused")
	syscall.RawSyscall(syscall.SYS_MUNMAP, base+2*page, page, 0) // a hole at page 2
	c.Check("a range with a hole is ENOMEM", mprotect(base, 4*page, protRead) == syscall.ENOMEM, "it was not")
	c.Check("a range past the user half is ENOMEM", mprotect(0x7ffffffff000, 2*page, protRead) == syscall.ENOMEM, "it was not")
	c.Check("the vDSO's data page is EACCES", mprotect(0x7ffff77fd000, page, protRead|protWrite) == syscall.EACCES, "it was not")
}

// change makes marker's pages writable and changes its first byte.
func change(c *probe.Checks) {
	b := unsafe.Slice(markerAt(), len(marker))
	p := uintptr(unsafe.Pointer(&b[0]))
	c.Check("a store to the read-only data faults", probe.Faults(func() { b[0] = 'M' }), "it did not")
	pg := p &^ (page - 1)
	n := (p + uintptr(len(b)) + page - 1) &^ (page - 1)
	e := mprotect(pg, n-pg, protRead|protWrite)
	c.Check("mprotect of its read-only data to read-write", e == 0, e.Error())
	c.Check("the read-only data is writable now", !probe.Faults(func() { b[0] = 'M' }), "a store faulted")
	c.Check("this process sees its change", *markerAt() == 'M', "it does not")
	fmt.Printf("memprot: share: changed at %.1f ms\n", monotonicMS())
}
