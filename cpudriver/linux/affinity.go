package linux

import (
	"encoding/binary"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/proc"
	"multikernel/cpudriver/ring0"
)

// CPU affinity. A program runs on one core (until programs span cores:
// docs/spanning.md), so the cores its threads may run on are that core:
// sched_getaffinity says so, which is where Go's runtime.NumCPU and its
// default GOMAXPROCS come from, and sched_setaffinity accepts a mask only
// if it allows that core (Linux's rule: the new mask, less the cores a
// thread may not use, must not be empty).

// maskBytes is the size of the kernel's CPU mask (Linux's cpumask_size:
// the machine's cores in bits, rounded up to whole longs): kpi.MaxCores
// bits.
const maskBytes = (kpi.MaxCores + 63) / 64 * 8

// affinityThread checks sched_*affinity's pid and mask length as Linux
// does: pid 0 or a thread of the caller's process (ESRCH for any other:
// the threads of other programs are not this process's to see), a length
// that is a multiple of 8 bytes and holds the mask (EINVAL).
func affinityThread(t *proc.Thread, pid int, size uint64) int64 {
	if size < maskBytes || size&7 != 0 {
		return -kpi.EINVAL
	}
	if pid < 0 || pid != 0 && !t.Proc().Signal(pid, 0) {
		return -kpi.ESRCH
	}
	return 0
}

// schedGetaffinity is sched_getaffinity(pid, len, mask): it writes this
// core's bit and returns the mask's size.
func schedGetaffinity(t *proc.Thread, a [6]uint64) int64 {
	pid, size, mask := int(int32(a[0])), a[1], a[2]
	if e := affinityThread(t, pid, size); e != 0 {
		return e
	}
	var b [maskBytes]byte
	c := ring0.Core().Index
	b[c/8] = 1 << (c % 8)
	if t.CopyOut(mask, b[:]) != nil {
		return -kpi.EFAULT
	}
	return maskBytes
}

// schedSetaffinity is sched_setaffinity(pid, len, mask): 0 when the mask
// allows this core (the thread stays where it is), EINVAL when it does
// not. Only the first maskBytes of a longer mask are read; the cores they
// cannot name do not exist.
func schedSetaffinity(t *proc.Thread, a [6]uint64) int64 {
	pid, size, mask := int(int32(a[0])), a[1], a[2]
	if pid < 0 || pid != 0 && !t.Proc().Signal(pid, 0) {
		return -kpi.ESRCH
	}
	var b [maskBytes]byte
	n := min(size, maskBytes)
	if t.CopyIn(mask, b[:n]) != nil {
		return -kpi.EFAULT
	}
	c := ring0.Core().Index
	if binary.LittleEndian.Uint64(b[:])&(1<<c) == 0 {
		return -kpi.EINVAL
	}
	return 0
}
