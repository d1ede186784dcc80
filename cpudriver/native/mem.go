package native

import (
	"encoding/binary"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/memory"
	"multikernel/cpudriver/proc"
)

// memInfo is SysMemInfo(buf, n, quota): the bytes of the core's RAM
// capabilities of nodes 0 to n-1 go to buf, the process's limit and use
// of the memory service to quota (if not 0); it returns how many grants
// of the memory service the core received.
func memInfo(t *proc.Thread, a [6]uint64) int64 {
	buf, n, quota := a[0], a[1], a[2]
	if n > kpi.MaxCores {
		return -kpi.EINVAL
	}
	if quota != 0 {
		limit, used := t.Proc().Quota().Report()
		var q [16]byte
		binary.LittleEndian.PutUint64(q[:], limit)
		binary.LittleEndian.PutUint64(q[8:], used)
		if t.CopyOut(quota, q[:]) != nil {
			return -kpi.EFAULT
		}
	}
	b := make([]byte, 8*n)
	for i, v := range memory.NodeRAM(int(n)) {
		binary.LittleEndian.PutUint64(b[8*i:], v)
	}
	if n > 0 && t.CopyOut(buf, b) != nil {
		return -kpi.EFAULT
	}
	return int64(memory.Grants())
}

// vnodes is SysCapVNodes(buf): the calling process's page tables in use
// by level, then how many of each are VNode capabilities, go to buf.
func vnodes(t *proc.Thread, a [6]uint64) int64 {
	p := t.Proc()
	inUse, capped := p.LockSpace().TableCounts()
	p.UnlockSpace()
	var b [64]byte
	for l := 0; l < 4; l++ {
		binary.LittleEndian.PutUint64(b[8*l:], uint64(inUse[l]))
		binary.LittleEndian.PutUint64(b[32+8*l:], uint64(capped[l]))
	}
	if t.CopyOut(a[0], b[:]) != nil {
		return -kpi.EFAULT
	}
	return 0
}
