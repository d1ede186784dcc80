package linux

import (
	"encoding/binary"
	"fmt"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/proc"
)

// prlimit gets and sets the calling process's limits (pid 0 or its own).
func prlimit(t *proc.Thread, a [6]uint64) int64 {
	pid, res, newLim, oldLim := int(a[0]), int(a[1]), a[2], a[3]
	p := t.Proc()
	if pid != 0 && pid != p.PID {
		return -kpi.ESRCH
	}
	var nb [16]byte
	if newLim != 0 && t.CopyIn(newLim, nb[:]) != nil {
		return -kpi.EFAULT
	}
	le := binary.LittleEndian
	cur, max, ok, r := p.SwapLimit(res, newLim != 0, le.Uint64(nb[:]), le.Uint64(nb[8:]))
	if r != 0 {
		if r == -kpi.EINVAL && ok {
			p.LogOnce(fmt.Sprintf("prlimit %d", res), "prlimit: resource %d cannot be limited here (EINVAL)", res)
		}
		return r
	}
	if oldLim != 0 {
		var b [16]byte
		binary.LittleEndian.PutUint64(b[:], cur)
		binary.LittleEndian.PutUint64(b[8:], max)
		if t.CopyOut(oldLim, b[:]) != nil {
			return -kpi.EFAULT
		}
	}
	return 0
}
