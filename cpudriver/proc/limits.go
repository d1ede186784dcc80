package proc

import (
	"multikernel/cpudriver/addrspace"
	"multikernel/cpudriver/fds"
	"multikernel/cpudriver/kpi"
)

// Resource limits (getrlimit(2)). Every limit this system reports is one
// it enforces: RLIMIT_NOFILE (descriptors: the lowest free one must be
// below the soft limit, else EMFILE) and RLIMIT_NPROC (threads of the
// process, not of a user as on Linux: clone fails with EAGAIN at the soft
// limit). A process may lower them, and raise the soft limit up to the
// hard one, as on Linux. RLIMIT_STACK reports the main thread's fixed
// stack reservation. The other resources have no limit here: they report
// RLIM_INFINITY, and setting one below that is refused with EINVAL
// rather than recorded and ignored.
const (
	rlimitStack  = 3
	rlimitNproc  = 6
	rlimitNofile = 7
	rlimInfinity = ^uint64(0)
)

// maxThreads is the most threads a process may have (RLIMIT_NPROC's
// hard limit).
const maxThreads = 512

// defaultLimit returns the soft and hard limit of resource r; ok is false
// for a resource number Linux does not have.
func defaultLimit(r int) (cur, max uint64, ok bool) {
	switch r {
	case rlimitStack:
		return addrspace.StackSize, addrspace.StackSize, true
	case rlimitNofile:
		return fds.Max, fds.Max, true
	case rlimitNproc:
		return maxThreads, maxThreads, true
	}
	if r >= 0 && r < 16 {
		return rlimInfinity, rlimInfinity, true
	}
	return 0, 0, false
}

// limitLocked returns the soft and hard limit of resource r for p.
// Caller holds p.mu.
func (p *Process) limitLocked(r int) (cur, max uint64, ok bool) {
	cur, max, ok = defaultLimit(r)
	if l, set := p.limits[r]; set {
		cur, max = l[0], l[1]
	}
	return cur, max, ok
}

// setLimitLocked sets resource r's limits to cur and max, and enforces
// them from now on. Caller holds p.mu.
func (p *Process) setLimitLocked(r int, cur, max uint64) int64 {
	oc, om, ok := p.limitLocked(r)
	switch {
	case !ok || cur > max:
		return -kpi.EINVAL
	case max > om:
		return -kpi.EPERM // only a privileged process may raise a hard limit
	case cur == oc && max == om:
		return 0
	case r != rlimitNofile && r != rlimitNproc:
		return -kpi.EINVAL // not a limit this system enforces: refused, not recorded
	}
	if p.limits == nil {
		p.limits = map[int][2]uint64{}
	}
	p.limits[r] = [2]uint64{cur, max}
	if r == rlimitNofile {
		p.fds.SetLimit(cur)
	}
	return 0
}

// threadsAllowedLocked reports whether p may have one more thread.
// Caller holds p.mu.
func (p *Process) threadsAllowedLocked() bool {
	cur, _, _ := p.limitLocked(rlimitNproc)
	return uint64(len(p.threads)) < cur
}

// SwapLimit returns resource r's soft and hard limit and, if set,
// replaces them with cur and max as prlimit does, in one step: errno is
// 0, or EINVAL for a limit this system does not enforce, EPERM for
// raising a hard limit. ok is false for a resource there is none of.
func (p *Process) SwapLimit(r int, set bool, cur, max uint64) (oldCur, oldMax uint64, ok bool, errno int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	oldCur, oldMax, ok = p.limitLocked(r)
	switch {
	case !ok:
		errno = -kpi.EINVAL
	case set:
		errno = p.setLimitLocked(r, cur, max)
	}
	return oldCur, oldMax, ok, errno
}
