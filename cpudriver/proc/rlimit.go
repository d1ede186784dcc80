package proc

import "encoding/binary"

// Resource limits (getrlimit(2)): the limits this system really has, which
// a process may lower but not raise.
const (
	rlimitStack  = 3
	rlimitNofile = 7
	rlimInfinity = ^uint64(0)
)

// defaultLimit returns the soft and hard limit of resource r; ok is false
// for a resource number Linux does not have.
func defaultLimit(r int) (cur, max uint64, ok bool) {
	switch r {
	case rlimitStack:
		return stackSize, stackSize, true
	case rlimitNofile:
		return maxFds, maxFds, true
	}
	if r >= 0 && r < 16 {
		return rlimInfinity, rlimInfinity, true
	}
	return 0, 0, false
}

// prlimit gets and sets the calling process's limits (pid 0 or its own).
func (t *Thread) prlimit(pid, res int, newLim, oldLim uint64) int64 {
	p := t.proc
	if pid != 0 && pid != p.PID {
		return -eSRCH
	}
	cur, max, ok := defaultLimit(res)
	if !ok {
		return -eINVAL
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if l, set := p.limits[res]; set {
		cur, max = l[0], l[1]
	}
	if oldLim != 0 {
		var b [16]byte
		binary.LittleEndian.PutUint64(b[:], cur)
		binary.LittleEndian.PutUint64(b[8:], max)
		if p.space.copyOut(oldLim, b[:]) != nil {
			return -eFAULT
		}
	}
	if newLim != 0 {
		var b [16]byte
		if p.space.copyIn(newLim, b[:]) != nil {
			return -eFAULT
		}
		nc, nm := binary.LittleEndian.Uint64(b[:]), binary.LittleEndian.Uint64(b[8:])
		if nc > nm {
			return -eINVAL
		}
		if nm > max {
			return -ePERM
		}
		if p.limits == nil {
			p.limits = map[int][2]uint64{}
		}
		p.limits[res] = [2]uint64{nc, nm}
	}
	return 0
}
