package cores

import (
	"fmt"
	"syscall"

	"multikernel/cpudriver/kpi"
)

// Dedicate takes the calling thread's core for it alone within the
// program (kpi.SysSpanDedicate; docs/kcore.md): the thread must be
// locked to its goroutine (runtime.LockOSThread) and pinned to that core
// (Pin), and the program must span other cores, where its other threads
// go. Undedicate gives the core back; the thread's end or a new
// affinity of its own does too. An error on Linux (ENOSYS), for a
// program of one core or an unpinned thread (EINVAL), and when another
// thread holds the core or no other core would be left (EBUSY).
func Dedicate() error { return dedicate(1) }

// Undedicate gives back the core the calling thread holds (Dedicate).
func Undedicate() error { return dedicate(0) }

func dedicate(on uintptr) error {
	if _, _, e := syscall.RawSyscall(kpi.SysSpanDedicate, on, 0, 0); e != 0 {
		return fmt.Errorf("span dedicate %d: %w", on, e)
	}
	return nil
}
