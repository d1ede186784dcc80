// Command captest exercises the capability invocations from ring 3: it
// identifies the RAM capability it got at start, retypes Frames from it,
// maps one and uses it, and checks that the CPU driver refuses what the
// capabilities do not allow: a forged slot, a writable mapping of a
// read-only copy, a retype without the write right, an overlapping
// retype, mapping a RAM capability, a write through a read-only mapping,
// and access after a revoke. It prints "captest: NAME: ok" for each check
// and exits 0 if all held, 1 otherwise.
//
// With -bench it instead times local invocations: retype of a 4 KiB Frame
// from RAM, map, unmap and delete, and prints "captest: NAME N ns/op".
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"syscall"
	"time"

	"multikernel/cap"
	"multikernel/libos/capability"
	"multikernel/libos/probe"
)

// frameVA is where the checks map frames: far from the Go heap.
const frameVA = 0x500000000000

var checks = probe.Checks{Program: "captest"}

func check(name string, ok bool, detail string) { checks.Check(name, ok, detail) }

var mem = probe.Word

func main() {
	bench := flag.Bool("bench", false, "time retype, map, unmap and delete instead")
	flag.Parse()
	debug.SetPanicOnFault(true)
	ram, err := capability.Identify(capability.RAMSlot)
	if err != nil || ram.Type != cap.RAM {
		fmt.Printf("captest: no RAM capability in slot %d: %v %v\n", capability.RAMSlot, ram, err)
		os.Exit(1)
	}
	if *bench {
		runBench()
		return
	}
	check("identify RAM", ram.Size >= 64<<10 && ram.Rights == cap.AllRights, fmt.Sprint(ram))

	f, err := capability.Retype(capability.RAMSlot, cap.Frame, 0, 4096, 4)
	check("retype 4 frames", err == nil, fmt.Sprint(err))
	fi, err := capability.Identify(f)
	check("identify frame", err == nil && fi.Type == cap.Frame && fi.Size == 4096 && fi.Base == ram.Base, fmt.Sprint(fi, err))

	err = capability.Map(f, frameVA, syscall.PROT_READ|syscall.PROT_WRITE)
	check("map frame read-write", err == nil, fmt.Sprint(err))
	check("frame starts zeroed", *mem(frameVA) == 0, "not zero")
	*mem(frameVA) = 0x1234
	check("write through the mapping", *mem(frameVA) == 0x1234, "value lost")

	_, err = capability.Identify(999)
	check("forged slot refused", errors.Is(err, syscall.EBADF), fmt.Sprint(err))
	_, err = capability.Identify(0)
	check("empty slot refused", errors.Is(err, syscall.EBADF), fmt.Sprint(err))

	ro, err := capability.Mint(f, cap.RightRead)
	check("mint read-only", err == nil, fmt.Sprint(err))
	_, err = capability.Mint(ro, cap.RightRead|cap.RightWrite)
	check("mint cannot add rights", errors.Is(err, syscall.EPERM), fmt.Sprint(err))
	err = capability.Map(ro, frameVA+0x10000, syscall.PROT_READ|syscall.PROT_WRITE)
	check("writable map of a read-only copy refused", errors.Is(err, syscall.EPERM), fmt.Sprint(err))
	err = capability.Map(ro, frameVA+0x10000, syscall.PROT_READ)
	check("read-only map", err == nil && *mem(frameVA + 0x10000) == 0x1234, fmt.Sprint(err))
	check("write through a read-only mapping faults", probe.Faults(func() { *mem(frameVA + 0x10000) = 1 }), "no fault")

	roRAM, err := capability.Mint(capability.RAMSlot, cap.RightRead)
	check("mint read-only RAM", err == nil, fmt.Sprint(err))
	_, err = capability.Retype(roRAM, cap.Frame, 64<<10, 4096, 1)
	check("retype without the write right refused", errors.Is(err, syscall.EPERM), fmt.Sprint(err))
	_, err = capability.Retype(capability.RAMSlot, cap.Frame, 0, 4096, 1)
	check("overlapping retype refused", errors.Is(err, syscall.EBUSY), fmt.Sprint(err))
	err = capability.Map(capability.RAMSlot, frameVA+0x20000, syscall.PROT_READ)
	check("map of RAM refused", errors.Is(err, syscall.EINVAL), fmt.Sprint(err))
	err = capability.Map(f, 0xffff800000000000, syscall.PROT_READ)
	check("map into the kernel half refused", errors.Is(err, syscall.EINVAL), fmt.Sprint(err))
	err = capability.Map(f, frameVA, syscall.PROT_READ)
	check("map over a mapping refused", errors.Is(err, syscall.EEXIST), fmt.Sprint(err))

	n, err := capability.Revoke(capability.RAMSlot)
	check("revoke RAM", err == nil && n >= 5, fmt.Sprint(n, err))
	check("revoked frame unmapped", probe.Faults(func() { _ = *mem(frameVA) }), "still mapped")
	_, err = capability.Identify(f)
	check("revoked frame gone", err != nil, "still there")
	_, err = capability.Retype(capability.RAMSlot, cap.Frame, 0, 4096, 1)
	check("retype after revoke", err == nil, fmt.Sprint(err))
	checkVNodes()

	if checks.Failed > 0 {
		fmt.Printf("captest: %d checks failed\n", checks.Failed)
		os.Exit(1)
	}
	fmt.Println("captest: all checks held")
}

// runBench times local invocations, each over many rounds.
func runBench() {
	const rounds = 2000
	var retype, mapT, unmap, del time.Duration
	for i := 0; i < rounds; i++ {
		t0 := time.Now()
		f, err := capability.Retype(capability.RAMSlot, cap.Frame, 0, 4096, 1)
		t1 := time.Now()
		if err != nil {
			fmt.Println("captest: retype:", err)
			os.Exit(1)
		}
		if err := capability.Map(f, frameVA, syscall.PROT_READ|syscall.PROT_WRITE); err != nil {
			fmt.Println("captest: map:", err)
			os.Exit(1)
		}
		t2 := time.Now()
		if err := capability.Unmap(frameVA); err != nil {
			fmt.Println("captest: unmap:", err)
			os.Exit(1)
		}
		t3 := time.Now()
		if err := capability.Delete(f); err != nil {
			fmt.Println("captest: delete:", err)
			os.Exit(1)
		}
		t4 := time.Now()
		retype += t1.Sub(t0)
		mapT += t2.Sub(t1)
		unmap += t3.Sub(t2)
		del += t4.Sub(t3)
	}
	for _, r := range []struct {
		name string
		d    time.Duration
	}{{"retype", retype}, {"map", mapT}, {"unmap", unmap}, {"delete", del}} {
		fmt.Printf("captest: %s %d ns/op (%d rounds)\n", r.name, r.d.Nanoseconds()/rounds, rounds)
	}
}

// checkVNodes touches a page in an empty 512 GiB region of the address
// space and checks that the CPU driver built the three tables that took
// from VNode capabilities, and that every table of the process is one.
func checkVNodes() {
	before, _, err := capability.VNodes()
	const far = 0x300000000000 // PML4 entry 96: nothing else is there
	if err == nil {
		_, err = syscall.Mmap(-1, 0, 4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS)
	}
	if err == nil {
		_, _, e := syscall.RawSyscall6(syscall.SYS_MMAP, far, 4096, syscall.PROT_READ|syscall.PROT_WRITE,
			syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS|syscall.MAP_FIXED, ^uintptr(0), 0)
		if e != 0 {
			err = e
		}
	}
	if err != nil {
		check("page tables from VNode capabilities", false, err.Error())
		return
	}
	*mem(far) = 1
	after, vnodes, err := capability.VNodes()
	ok := err == nil && after[3] == 1 && vnodes == after
	for l := 0; l < 3; l++ {
		ok = ok && after[l] >= before[l]+1
	}
	check("page tables from VNode capabilities", ok, fmt.Sprintf("tables by level %v -> %v, VNodes %v, %v", before, after, vnodes, err))
	fmt.Printf("captest: page tables (PT, PD, PDPT, PML4): %v, all VNode capabilities\n", after)
	syscall.RawSyscall(syscall.SYS_MUNMAP, far, 4096, 0)
}
