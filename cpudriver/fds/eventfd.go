package fds

import "multikernel/cpudriver/kpi"

// NewEventfd makes an eventfd with the count initval (eventfd2's flags:
// O_NONBLOCK, O_CLOEXEC) and returns its descriptor.
func (t *Table) NewEventfd(initval uint32, flags int) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return int64(t.addLocked(&File{kind: Eventfd, count: uint64(initval),
		flags: uint64(flags) & oNonblock, cloexec: flags&oCloexec != 0}))
}

// EventfdAdd adds v to the eventfd f's count (a write of v): 8, or
// -EINVAL for the one value a write may not add.
func (t *Table) EventfdAdd(f *File, v uint64) int64 {
	if v == ^uint64(0) {
		return -kpi.EINVAL
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	f.count += v
	f.gen++
	t.signalLocked()
	return 8
}

// EventfdTake returns the eventfd f's count and resets it (a read), or
// -EAGAIN when it is 0: the runtime opens its eventfd non-blocking, and
// a blocking read of an empty one is not supported.
func (t *Table) EventfdTake(f *File) (uint64, int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v := f.count
	if v == 0 {
		return 0, -kpi.EAGAIN
	}
	f.count = 0
	f.gen++
	return v, 8
}
