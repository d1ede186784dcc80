package linux

import (
	"multikernel/cpudriver/kpi"
)

// Port I/O privilege: no program has it. Ports are reached only through
// IO capabilities (cpudriver/devices), so iopl and ioperm refuse to raise a
// privilege with EPERM, as Linux refuses a process without
// CAP_SYS_RAWIO; lowering one a program never had succeeds, as there.

// iopl is iopl(level).
func iopl(level uint64) int64 {
	switch {
	case level > 3:
		return -kpi.EINVAL
	case level > 0:
		return -kpi.EPERM
	}
	return 0 // IOPL is 0 already
}

// ioperm is ioperm(from, num, on).
func ioperm(from, num, on uint64) int64 {
	switch {
	case from+num < from || from+num > 1<<16:
		return -kpi.EINVAL
	case on != 0:
		return -kpi.EPERM
	}
	return 0 // no port was granted: none to take away
}
