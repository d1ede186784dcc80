package linux

import (
	"encoding/binary"
	"math/bits"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/proc"
	"multikernel/cpudriver/ring0"
)

// CPU affinity. A program of one core runs on that core, and a spanning
// program's thread on its own set of the program's cores (all of them
// unless it set fewer): sched_getaffinity says so, which is where Go's
// runtime.NumCPU and its default GOMAXPROCS come from. sched_setaffinity
// keeps the cores of the mask that the program may use and refuses a mask
// with none (Linux's rule: the new mask, less the cores a thread may not
// use, must not be empty); a spanning program's thread whose core is not
// among them moves to the first of them before the call returns
// (proc.Thread.MoveTo). Another thread of the program (pid not 0) gets
// the mask on its own core, told by a message when that is another
// (proc.Process.SetThreadAffinity), and moves before it next runs in
// ring 3. A core dedicated to another thread of the program (a kernel
// core, kpi.SysSpanDedicate) counts as one the thread may not use.

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

// schedGetaffinity is sched_getaffinity(pid, len, mask): it writes the
// calling thread's cores and returns the mask's size.
func schedGetaffinity(t *proc.Thread, a [6]uint64) int64 {
	pid, size, mask := int(int32(a[0])), a[1], a[2]
	if e := affinityThread(t, pid, size); e != 0 {
		return e
	}
	var b [maskBytes]byte
	binary.LittleEndian.PutUint64(b[:], t.Affinity())
	if t.CopyOut(mask, b[:]) != nil {
		return -kpi.EFAULT
	}
	return maskBytes
}

// schedSetaffinity is sched_setaffinity(pid, len, mask): EINVAL when the
// mask allows none of the program's cores, else 0 (see above). Only the
// first maskBytes of a longer mask are read; the cores they cannot name
// do not exist.
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
	allowed := binary.LittleEndian.Uint64(b[:]) & t.Proc().Cores()
	if allowed == 0 {
		return -kpi.EINVAL
	}
	if !t.Proc().Spanning() {
		return 0 // one core: the mask allows it, and there is nowhere else to go
	}
	other := pid != 0 && pid != t.TID
	holder := t
	if other {
		holder = nil // only the caller's own mask keeps the core it holds
	}
	if allowed = t.Proc().Undedicated(holder, allowed); allowed == 0 {
		return -kpi.EINVAL // every core of the mask is dedicated to another thread
	}
	if other {
		if t.Proc().SetThreadAffinity(pid, allowed) {
			return 0
		}
		return -kpi.ESRCH // it ended meanwhile
	}
	t.SetAffinity(allowed)
	if c := ring0.Core().Index; allowed&(1<<c) == 0 {
		t.MoveTo(bits.TrailingZeros64(allowed))
	}
	return 0
}
