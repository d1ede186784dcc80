// Command limits tries to exceed the per-process bounds a program runs
// under, and checks each is enforced exactly (docs/architecture.md,
// "Limits"):
//
//	limits threads N    lower RLIMIT_NPROC to N, make threads (raw
//	                    clones that run no Go code) until clone fails,
//	                    which must be EAGAIN; let them go and make one
//	                    more; raising the hard limit must be EPERM
//	limits fds N        lower RLIMIT_NOFILE to N and open eventfds until
//	                    one fails with EMFILE: the last one must be N-1
//	limits mem MIB      (run with caps=mem:MIB) take RAM from the memory
//	                    service a MiB at a time until it fails with
//	                    ENOMEM: exactly MIB MiB, as MemLimit reports;
//	                    a deleted MiB can be taken again, one that lives
//	                    on in a frame retyped from it cannot; without the
//	                    client capability nothing can be asked for
//	limits unenforced   limits this system does not enforce (RLIMIT_AS)
//	                    are refused with EINVAL, not recorded
//	limits witness MS   for MS ms, do what an ordinary program does
//	                    (threads, descriptors, RAM from the service) next
//	                    to one that exceeds its limits, and report the
//	                    rounds
//
// Each prints "limits: NAME: ok" per check and exits 0 if all held.
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"multikernel/cap"
	"multikernel/cpudriver/kpi"
	"multikernel/libos/capability"
	"multikernel/libos/probe"
)

func rawThread(flags, stack uintptr, word *uint32) (tid int64)

var checks = probe.Checks{Program: "limits"}

func check(name string, ok bool, detail string) { checks.Check(name, ok, detail) }

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	arg := 0
	if len(os.Args) > 2 {
		n, err := strconv.Atoi(os.Args[2])
		if err != nil || n <= 0 {
			usage()
		}
		arg = n
	}
	switch {
	case os.Args[1] == "threads" && arg > 0:
		threads(arg)
	case os.Args[1] == "fds" && arg > 0:
		fds(arg)
	case os.Args[1] == "mem" && arg > 0:
		mem(arg)
	case os.Args[1] == "unenforced":
		unenforced()
	case os.Args[1] == "witness" && arg > 0:
		witness(time.Duration(arg) * time.Millisecond)
	default:
		usage()
	}
	if checks.Failed > 0 {
		fmt.Printf("limits: %d checks failed\n", checks.Failed)
		os.Exit(1)
	}
	fmt.Println("limits: all checks passed")
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: limits threads N | fds N | mem MIB | unenforced | witness MS")
	os.Exit(2)
}

// Resource numbers (Linux's).
const (
	rlimitAS     = 9
	rlimitNproc  = 6
	rlimitNofile = 7
)

// setLimit sets resource res to cur and max; it returns the errno.
func setLimit(res int, cur, max uint64) syscall.Errno {
	l := [2]uint64{cur, max}
	_, _, e := syscall.RawSyscall6(syscall.SYS_PRLIMIT64, 0, uintptr(res), uintptr(unsafe.Pointer(&l)), 0, 0, 0)
	return e
}

// getLimit returns resource res's limits.
func getLimit(res int) (cur, max uint64, e syscall.Errno) {
	var l [2]uint64
	_, _, e = syscall.RawSyscall6(syscall.SYS_PRLIMIT64, 0, uintptr(res), 0, uintptr(unsafe.Pointer(&l)), 0, 0)
	return l[0], l[1], e
}

// threadFlags makes a thread of this process (what Go's runtime passes
// to clone, but CLONE_SETTLS: the thread runs no Go code).
const threadFlags = syscall.CLONE_VM | syscall.CLONE_FS | syscall.CLONE_FILES | syscall.CLONE_SIGHAND |
	syscall.CLONE_SYSVSEM | syscall.CLONE_THREAD

// threads checks RLIMIT_NPROC at n.
func threads(n int) {
	runtime.LockOSThread() // nothing here needs a new OS thread while it runs
	_, max, _ := getLimit(rlimitNproc)
	e := setLimit(rlimitNproc, max, max+1)
	check("raising RLIMIT_NPROC's hard limit is refused", e == syscall.EPERM, e.Error())
	if e := setLimit(rlimitNproc, uint64(n), max); e != 0 {
		check("lower RLIMIT_NPROC", false, e.Error())
		return
	}
	var word uint32
	stacks := make([]byte, n*256)
	made, last := 0, int64(0)
	for made < n {
		last = rawThread(threadFlags, uintptr(unsafe.Pointer(&stacks[(made+1)*256-16])), &word)
		if last < 0 {
			break
		}
		made++
	}
	check("clone fails with EAGAIN at RLIMIT_NPROC", syscall.Errno(-last) == syscall.EAGAIN,
		fmt.Sprintf("after %d threads: %v", made, syscall.Errno(-last)))
	check("threads were made below the limit", made > 0 && made < n, fmt.Sprintf("%d of %d", made, n))
	fmt.Printf("limits: %d threads made before EAGAIN at RLIMIT_NPROC %d (the rest are Go's)\n", made, n)
	// Let them go, and make one more once one has gone.
	atomic.StoreUint32(&word, 1)
	syscall.RawSyscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(&word)), 129, 1<<30, 0, 0, 0) // FUTEX_WAKE_PRIVATE
	again := int64(-1)
	for deadline := time.Now().Add(10 * time.Second); again < 0 && time.Now().Before(deadline); {
		if again = rawThread(threadFlags, uintptr(unsafe.Pointer(&stacks[len(stacks)-16])), &word); again < 0 {
			time.Sleep(time.Millisecond)
		}
	}
	check("a thread again once others ended", again > 0, fmt.Sprint(syscall.Errno(-again)))
}

// fds checks RLIMIT_NOFILE at n.
func fds(n int) {
	if e := setLimit(rlimitNofile, uint64(n), uint64(n)); e != 0 {
		check("lower RLIMIT_NOFILE", false, e.Error())
		return
	}
	last := -1
	var e syscall.Errno
	for {
		fd, _, err := syscall.RawSyscall(syscall.SYS_EVENTFD2, 0, 0, 0)
		if err != 0 {
			e = err
			break
		}
		last = int(fd)
	}
	check("eventfd fails with EMFILE at RLIMIT_NOFILE", e == syscall.EMFILE, e.Error())
	check("the last descriptor is the limit's last", last == n-1, fmt.Sprintf("last %d, limit %d", last, n))
	e = setLimit(rlimitNofile, uint64(n), uint64(n+1))
	check("raising RLIMIT_NOFILE's hard limit is refused", e == syscall.EPERM, e.Error())
}

// mem checks the memory service limit of mib MiB.
func mem(mib int) {
	limit, used, err := capability.MemLimit()
	check("MemLimit reports the limit", err == nil && limit == uint64(mib)<<20 && used == 0,
		fmt.Sprintf("limit %d used %d (%v)", limit, used, err))
	var got []capability.Slot
	var e error
	for {
		s, err := capability.AllocRAM(1<<20, kpi.AnyNode)
		if err != nil {
			e = err
			break
		}
		got = append(got, s)
	}
	check("AllocRAM fails with ENOMEM at the limit", errors.Is(e, syscall.ENOMEM), fmt.Sprint(e))
	check("exactly the limit was given", len(got) == mib, fmt.Sprintf("%d MiB of %d", len(got), mib))
	_, used, _ = capability.MemLimit()
	check("MemLimit reports it all used", used == uint64(mib)<<20, fmt.Sprint(used))
	if len(got) < 2 {
		return
	}
	// A frame retyped from one MiB keeps it: deleting the RAM gives
	// nothing back. Deleting another does.
	f, err := capability.Retype(got[0], cap.Frame, 0, 4096, 1)
	check("retype a frame from the RAM", err == nil, fmt.Sprint(err))
	capability.Delete(got[0])
	_, err = capability.AllocRAM(1<<20, kpi.AnyNode)
	check("RAM still used through a frame counts", errors.Is(err, syscall.ENOMEM), fmt.Sprint(err))
	capability.Delete(got[1])
	_, err = capability.AllocRAM(1<<20, kpi.AnyNode)
	check("a deleted MiB can be taken again", err == nil, fmt.Sprint(err))
	capability.Delete(f)
	_, err = capability.AllocRAM(1<<20, kpi.AnyNode)
	check("the MiB the frame held can be taken once it is gone", err == nil, fmt.Sprint(err))
	// The authority: the RAM capability is not a client capability, and
	// without one nothing can be asked for.
	_, err = capability.AllocRAMWith(capability.RAMSlot, 1<<20, kpi.AnyNode)
	check("AllocRAM through a RAM capability is refused", errors.Is(err, syscall.EINVAL), fmt.Sprint(err))
	capability.Delete(capability.MemSlot)
	_, err = capability.AllocRAM(4096, kpi.AnyNode)
	check("AllocRAM without the client capability is refused", errors.Is(err, syscall.EBADF), fmt.Sprint(err))
}

// unenforced checks that a limit nothing enforces is refused.
func unenforced() {
	cur, max, _ := getLimit(rlimitAS)
	e := setLimit(rlimitAS, 1<<30, max)
	check("RLIMIT_AS, which nothing enforces, is refused", e == syscall.EINVAL, e.Error())
	c2, m2, _ := getLimit(rlimitAS)
	check("and not recorded", c2 == cur && m2 == max, fmt.Sprintf("%#x/%#x", c2, m2))
	check("setting it to what it is succeeds", setLimit(rlimitAS, cur, max) == 0, "")
}

// witness works as an ordinary program for d: each round makes a thread
// (a goroutine locked to a thread of its own), an eventfd and a MiB of
// RAM, and lets them go.
func witness(d time.Duration) {
	rounds := 0
	for end := time.Now().Add(d); time.Now().Before(end); rounds++ {
		done := make(chan error)
		go func() {
			runtime.LockOSThread() // a thread of its own, which ends with the goroutine
			fd, _, e := syscall.RawSyscall(syscall.SYS_EVENTFD2, 0, 0, 0)
			if e == 0 {
				syscall.Close(int(fd))
			}
			s, err := capability.AllocRAM(1<<20, kpi.AnyNode)
			if err == nil {
				err = capability.Delete(s)
			}
			if e != 0 {
				err = e
			}
			done <- err
		}()
		if err := <-done; err != nil {
			check("an ordinary round", false, fmt.Sprintf("round %d: %v", rounds, err))
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	check("ordinary rounds beside a program at its limits", rounds > 10, fmt.Sprint(rounds))
	fmt.Printf("limits: witness did %d rounds in %v\n", rounds, d)
}
