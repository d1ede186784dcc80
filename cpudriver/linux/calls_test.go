package linux

import (
	"testing"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/linuxabi"
	"multikernel/cpudriver/proc"
)

// TestCallsTable: every entry has a handler, proc's own calls are not
// overridden, and Install puts each into proc's table.
func TestCallsTable(t *testing.T) {
	for nr, c := range calls {
		if c == nil {
			t.Errorf("call %d has no handler", nr)
		}
		if nr >= kpi.NativeBase {
			t.Errorf("call %#x is a native number", nr)
		}
	}
	for _, nr := range []uint64{linuxabi.SysExit, linuxabi.SysExitGroup, linuxabi.SysRtSigreturn} {
		if calls[nr] != nil {
			t.Errorf("call %d is proc's own, but has an entry here", nr)
		}
	}
	Install()
	for nr := range calls {
		if proc.Installed(nr) == nil {
			t.Errorf("call %d not installed", nr)
		}
	}
}

// TestDetachedCalls runs calls that touch no user memory, or must fail
// cleanly when it is not there, on a thread of a process without an
// address space.
func TestDetachedCalls(t *testing.T) {
	th := proc.NewDetached("test")
	for _, tc := range []struct {
		name string
		nr   uint64
		a    [6]uint64
		want int64
	}{
		{"getpid", linuxabi.SysGetpid, [6]uint64{}, 1},
		{"read of a closed descriptor", linuxabi.SysRead, [6]uint64{99, 0x1000, 8}, -kpi.EBADF},
		{"fcntl F_GETFD", linuxabi.SysFcntl, [6]uint64{1, 1}, 0},
		{"write to a bad address", linuxabi.SysWrite, [6]uint64{1, 0x1000, 8}, -kpi.EFAULT},
		{"clock_gettime to a bad address", linuxabi.SysClockGettime, [6]uint64{1, 0x1000}, -kpi.EFAULT},
		{"clock_gettime of a bad clock", linuxabi.SysClockGettime, [6]uint64{99, 0x1000}, -kpi.EINVAL},
		{"mmap of a file", linuxabi.SysMmap, [6]uint64{0, 4096, 3, 2, 3, 0}, -kpi.ENODEV},
		{"clone of a process", linuxabi.SysClone, [6]uint64{0x11}, -kpi.ENOSYS},
		{"tgkill of another process", linuxabi.SysTgkill, [6]uint64{2, 1, 0}, -kpi.ESRCH},
		{"tgkill probe", linuxabi.SysTgkill, [6]uint64{1, 1, 0}, 0},
		{"prlimit of AS", linuxabi.SysPrlimit64, [6]uint64{0, 9, 0, 0}, 0},
		{"getrandom with a bad flag", linuxabi.SysGetrandom, [6]uint64{0x1000, 8, 8}, -kpi.EINVAL},
		{"openat", linuxabi.SysOpenat, [6]uint64{}, -kpi.ENOENT},
		{"ioperm on", linuxabi.SysIoperm, [6]uint64{0x60, 1, 1}, -kpi.EPERM},
		{"sched_getaffinity with a short mask", linuxabi.SysSchedGetaffinity, [6]uint64{0, 4, 0x1000}, -kpi.EINVAL},
		{"sched_getaffinity with a length not of longs", linuxabi.SysSchedGetaffinity, [6]uint64{0, 12, 0x1000}, -kpi.EINVAL},
		{"sched_getaffinity of another thread", linuxabi.SysSchedGetaffinity, [6]uint64{99, 8, 0x1000}, -kpi.ESRCH},
		{"sched_getaffinity of a negative pid", linuxabi.SysSchedGetaffinity, [6]uint64{^uint64(0), 8, 0x1000}, -kpi.ESRCH},
		{"sched_getaffinity to a bad address", linuxabi.SysSchedGetaffinity, [6]uint64{0, 8, 0x1000}, -kpi.EFAULT},
		{"sched_setaffinity from a bad address", linuxabi.SysSchedSetaffinity, [6]uint64{0, 8, 0x1000}, -kpi.EFAULT},
		{"sched_setaffinity of another thread", linuxabi.SysSchedSetaffinity, [6]uint64{99, 8, 0x1000}, -kpi.ESRCH},
		{"get_mempolicy, nothing asked", linuxabi.SysGetMempolicy, [6]uint64{}, 0},
		{"get_mempolicy with an unknown flag", linuxabi.SysGetMempolicy, [6]uint64{0, 0, 0, 0, 8}, -kpi.EINVAL},
		{"get_mempolicy MEMS_ALLOWED with NODE", linuxabi.SysGetMempolicy, [6]uint64{0, 0, 0, 0, 5}, -kpi.EINVAL},
		{"get_mempolicy MEMS_ALLOWED with ADDR", linuxabi.SysGetMempolicy, [6]uint64{0, 0, 0, 0, 6}, -kpi.EINVAL},
		{"get_mempolicy of an addr without ADDR", linuxabi.SysGetMempolicy, [6]uint64{0, 0, 0, 0x1000, 0}, -kpi.EINVAL},
		{"get_mempolicy NODE without ADDR", linuxabi.SysGetMempolicy, [6]uint64{0, 0, 0, 0, 1}, -kpi.EINVAL},
		{"get_mempolicy with a nodemask of no node", linuxabi.SysGetMempolicy, [6]uint64{0, 0x1000, 0, 0, 0}, -kpi.EINVAL},
		{"get_mempolicy with a nodemask past a page", linuxabi.SysGetMempolicy, [6]uint64{0, 0x1000, 1 << 20, 0, 0}, -kpi.EINVAL},
		{"get_mempolicy to a bad mode address", linuxabi.SysGetMempolicy, [6]uint64{0x1000, 0, 0, 0, 0}, -kpi.EFAULT},
		{"get_mempolicy to a bad nodemask address", linuxabi.SysGetMempolicy, [6]uint64{0, 0x1000, 64, 0, 4}, -kpi.EFAULT},
		{"get_mempolicy of an unmapped addr", linuxabi.SysGetMempolicy, [6]uint64{0, 0, 0, 0x1000, 3}, -kpi.EFAULT},
	} {
		if got := calls[tc.nr](th, tc.a); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}
