package linux

import (
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/proc"
	"multikernel/cpudriver/random"
)

// uname fills struct utsname (6 fields of 65 bytes).
func uname(t *proc.Thread, a [6]uint64) int64 {
	buf := a[0]
	var u [6 * 65]byte
	for i, s := range []string{"Linux", "multikernel", "6.1.0-multikernel", "#1 multikernel", "x86_64", "(none)"} {
		copy(u[i*65:], s)
	}
	if t.CopyOut(buf, u[:]) != nil {
		return -kpi.EFAULT
	}
	return 0
}

// getrandom is getrandom(buf, n, flags), from the core's generator
// (package random; README.md, "Randomness"): GRND_NONBLOCK, GRND_RANDOM
// and GRND_INSECURE are accepted (the generator never blocks: it is
// keyed before the first program starts); other flags are EINVAL. At most
// 1 MiB is returned per call.
func getrandom(t *proc.Thread, a [6]uint64) int64 {
	buf, n, flags := a[0], a[1], a[2]
	if flags&^7 != 0 || flags&6 == 6 {
		return -kpi.EINVAL // as Linux: an unknown flag, or RANDOM with INSECURE
	}
	n = min(n, 1<<20)
	b := make([]byte, n)
	random.Fill(b)
	if t.CopyOut(buf, b) != nil {
		return -kpi.EFAULT
	}
	return int64(n)
}
