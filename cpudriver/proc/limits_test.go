package proc

import (
	"testing"

	"multikernel/cpudriver/addrspace"
	"multikernel/cpudriver/fds"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/ring0"
)

// TestSetLimit: limits are lowered and raised up to the hard limit, the
// hard limit only lowered, and only the limits this system enforces are
// recorded; the others refuse anything but their RLIM_INFINITY.
func TestSetLimit(t *testing.T) {
	for _, tc := range []struct {
		name     string
		res      int
		cur, max uint64
		want     int64
	}{
		{"lower NOFILE", rlimitNofile, 64, 1024, 0},
		{"lower NOFILE's hard limit", rlimitNofile, 64, 128, 0},
		{"raise NOFILE's hard limit", rlimitNofile, 64, 2048, -kpi.EPERM},
		{"soft above hard", rlimitNofile, 128, 64, -kpi.EINVAL},
		{"lower NPROC", rlimitNproc, 8, maxThreads, 0},
		{"NPROC as it is", rlimitNproc, maxThreads, maxThreads, 0},
		{"raise NPROC", rlimitNproc, maxThreads, maxThreads + 1, -kpi.EPERM},
		{"AS as it is", 9, rlimInfinity, rlimInfinity, 0},
		{"lower AS, which nothing enforces", 9, 1 << 30, rlimInfinity, -kpi.EINVAL},
		{"lower CPU, which nothing enforces", 0, 10, 10, -kpi.EINVAL},
		{"lower STACK, a fixed reservation", rlimitStack, 1 << 20, addrspace.StackSize, -kpi.EINVAL},
		{"no such resource", 16, 0, 0, -kpi.EINVAL},
		{"negative resource", -1, 0, 0, -kpi.EINVAL},
	} {
		p := &Process{}
		p.fds.Init()
		if got := p.setLimitLocked(tc.res, tc.cur, tc.max); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
			continue
		}
		cur, max, _ := p.limitLocked(tc.res)
		if tc.want == 0 && (cur != tc.cur || max != tc.max) {
			t.Errorf("%s: limits now %d/%d", tc.name, cur, max)
		}
		if tc.want != 0 && p.limits != nil {
			t.Errorf("%s: refused, but recorded %v", tc.name, p.limits)
		}
	}
}

// TestNofileEnforced: with RLIMIT_NOFILE at 5 the lowest free descriptor
// must be below 5; a closed one below it is used again.
func TestNofileEnforced(t *testing.T) {
	p := &Process{}
	p.fds.Init()
	p.mu.Lock()
	if r := p.setLimitLocked(rlimitNofile, 5, fds.Max); r != 0 {
		t.Fatal(r)
	}
	p.mu.Unlock()
	for want := int64(3); want < 5; want++ {
		if fd := p.fds.NewEventfd(0, 0); fd != want {
			t.Fatalf("descriptor %d, want %d", fd, want)
		}
	}
	if fd := p.fds.NewEventfd(0, 0); fd != -kpi.EMFILE {
		t.Fatalf("a descriptor past the limit: %d, want EMFILE", fd)
	}
	p.fds.Close(3)
	if fd := p.fds.NewEventfd(0, 0); fd != 3 {
		t.Fatalf("after a close: %d, want 3", fd)
	}
}

func TestNprocEnforced(t *testing.T) {
	p := &Process{PID: 1, nextTID: 1, threads: map[int]*Thread{}}
	p.setLimitLocked(rlimitNproc, 4, maxThreads)
	var last *Thread
	for i := 0; i < 4; i++ {
		if last = p.newThread(ring0.UserRegs{}, ring0.NewUserFPU()); last == nil {
			t.Fatalf("thread %d refused below the limit", i+1)
		}
	}
	if p.newThread(ring0.UserRegs{}, ring0.NewUserFPU()) != nil {
		t.Fatalf("a fifth thread under RLIMIT_NPROC 4")
	}
	delete(p.threads, last.TID)
	if p.newThread(ring0.UserRegs{}, ring0.NewUserFPU()) == nil {
		t.Fatalf("no thread after one went")
	}
}
