package urpc_test

import (
	"runtime"
	"syscall"
	"testing"
	"unsafe"
)

// cpuMask is a sched_setaffinity(2) CPU set for up to 1024 CPUs.
type cpuMask [16]uint64

// allowedCPUs returns the CPUs this thread may run on.
func allowedCPUs() []int {
	var m cpuMask
	_, _, errno := syscall.RawSyscall(syscall.SYS_SCHED_GETAFFINITY, 0, unsafe.Sizeof(m), uintptr(unsafe.Pointer(&m)))
	if errno != 0 {
		return nil
	}
	var cpus []int
	for i := range len(m) * 64 {
		if m[i/64]&(1<<(i%64)) != 0 {
			cpus = append(cpus, i)
		}
	}
	return cpus
}

// pinThread locks the calling goroutine to its OS thread and, if cpu >= 0,
// that thread to cpu. The goroutine must not unlock: its thread then dies
// with it and the affinity leaks nowhere.
func pinThread(cpu int) error {
	runtime.LockOSThread()
	if cpu < 0 {
		return nil
	}
	var m cpuMask
	m[cpu/64] = 1 << (cpu % 64)
	_, _, errno := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, 0, unsafe.Sizeof(m), uintptr(unsafe.Pointer(&m)))
	if errno != 0 {
		return errno
	}
	return nil
}

// twoCPUs returns two CPUs to pin a pair of threads to, or -1s (no pinning)
// when fewer than two are allowed.
func twoCPUs(tb testing.TB) (int, int) {
	cpus := allowedCPUs()
	if len(cpus) < 2 {
		tb.Logf("only %d CPU(s) allowed: threads are not pinned", len(cpus))
		return -1, -1
	}
	return cpus[0], cpus[1]
}
