package proc

import (
	"slices"
	"testing"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/ring0"
)

func TestSpanWord0(t *testing.T) {
	for _, tc := range []struct {
		tid int
		k   spanKey
		nr  uint64
	}{
		{1, spanKey{0, 1}, 0}, {1<<31 - 1, spanKey{63, 65535}, 1023}, {4242, spanKey{15, 7}, 202},
	} {
		tid, k, nr := unpackWord0(packWord0(tc.tid, tc.k, tc.nr))
		if tid != tc.tid || k != tc.k || nr != tc.nr {
			t.Errorf("%+v came back as %d %+v %d", tc, tid, k, nr)
		}
	}
}

func TestCallField(t *testing.T) {
	for _, nr := range []uint64{0, 1, 202, maxLinux - 1, kpi.NativeBase, kpi.NativeBase + 17} {
		f, ok := callField(nr)
		if !ok || f >= spanCallExport || callNumber(f) != nr {
			t.Errorf("call %d: field %d (%v) gives %d", nr, f, ok, callNumber(f))
		}
	}
	for _, nr := range []uint64{maxLinux, kpi.NativeBase - 1, kpi.NativeBase + spanCallFault} {
		if _, ok := callField(nr); ok {
			t.Errorf("call %d has a field", nr)
		}
	}
}

// TestSpanTIDs: every core's thread ids are distinct from each other's
// and the main thread's, and name the core that made them.
func TestSpanTIDs(t *testing.T) {
	const pid = 7
	seen := map[int]bool{pid: true}
	for c := 0; c < 64; c++ {
		st := &spanState{self: c}
		for n := 0; n < 50; n++ {
			tid := st.spanTID(pid)
			if seen[tid] {
				t.Fatalf("core %d: thread id %d twice", c, tid)
			}
			seen[tid] = true
			if got := tidCore(pid, tid); got != c {
				t.Fatalf("thread id %d: core %d, want %d", tid, got, c)
			}
		}
	}
	if tidCore(pid, pid) != -1 {
		t.Errorf("the main thread's id names a core")
	}
}

func TestReplicaLocal(t *testing.T) {
	// The calls that end or return from a thread never go home.
	for _, nr := range []int{60, 231, 15, 202, 56} { // exit, exit_group, rt_sigreturn, futex, clone
		if !replicaLocal[nr] {
			t.Errorf("call %d is not run on the replica's core", nr)
		}
	}
	for _, nr := range []int{9, 11, 10, 1, 232} { // mmap, munmap, mprotect, write, epoll_wait
		if replicaLocal[nr] {
			t.Errorf("call %d is run on the replica's core", nr)
		}
	}
}

// TestShootTopology: the plans' view of the machine takes each core's
// node (a core without one on node 0) and the published distances, or
// 10 and 20 without them, and is what the shootdown package accepts.
func TestShootTopology(t *testing.T) {
	nodeOf := func(c int) int {
		if c == 5 {
			return -1
		}
		return c / 2
	}
	d := func(a, b int) int { return 10 + 3*(a-b)*(a-b) }
	for _, tc := range []struct {
		dist func(a, b int) int
		want func(a, b int) int
	}{{d, d}, {nil, func(a, b int) int { return map[bool]int{true: 10, false: 20}[a == b] }}} {
		top := topology(6, nodeOf, tc.dist)
		if err := top.Validate(); err != nil {
			t.Fatal(err)
		}
		if want := []int{0, 0, 1, 1, 2, 0}; !slices.Equal(top.Node, want) {
			t.Errorf("nodes %v, want %v", top.Node, want)
		}
		for a := range 3 {
			for b := range 3 {
				if top.Dist[a][b] != tc.want(a, b) {
					t.Errorf("distance %d-%d = %d, want %d", a, b, top.Dist[a][b], tc.want(a, b))
				}
			}
		}
	}
	if n := len(topology(0, nodeOf, nil).Node); n != 1 {
		t.Errorf("no cores gives %d, want 1", n)
	}
}

// TestThreadDoneKeepsReturnedThread: the goroutine of a thread that moved
// away ends after the thread may have come back as a new Thread with the
// same id; its end must not take the new one out of the table (the
// process would end, and its space be released, under a running thread).
func TestThreadDoneKeepsReturnedThread(t *testing.T) {
	old := NewDetached("t")
	p := old.Proc()
	other := p.newThread(ring0.UserRegs{}, ring0.NewUserFPU()) // keeps the process alive
	back := &Thread{proc: p, TID: old.TID}
	p.mu.Lock()
	old.moved = true
	p.threads[old.TID] = back
	p.mu.Unlock()
	p.threadDone(old)
	if p.threads[old.TID] != back || p.threads[other.TID] != other {
		t.Fatalf("the old goroutine's end changed the table: %v", p.threads)
	}
	p.threadDone(back)
	if _, ok := p.threads[old.TID]; ok {
		t.Fatalf("the thread's own end left it in the table")
	}
}

// TestSpanPageLayout: the span page's regions (span.go) lie inside the
// page and never overlap, with a core line and a counter line for every
// core a program may span.
func TestSpanPageLayout(t *testing.T) {
	type region struct {
		name     string
		off, len int
	}
	regions := []region{
		{"header words", 0, spWordCore0 * 8},
		{"core lines", spWordCore0 * 8, spanMaxCores * spCoreStride * 8},
		{"name", spNameOff, spNameLen},
		{"broadcast request", spBcastOff, 56},
		{"ranges' cores", spRangesOff, kpi.MaxRanges * 8},
		{"slots' ranges", spRangeSlotsOff, 256},
		{"kill reason", spReasonOff, spReasonLen},
		{"counters", spWordCount0 * 8, spanMaxCores * spCoreStride * 8},
	}
	header := []int{spWordRoot, spWordCores, spWordPID, spWordReason, spWordSlots, spWordRanges, spWordDedicated}
	seen := map[int]bool{}
	for _, w := range header {
		if w >= spWordCore0 || seen[w] {
			t.Errorf("header word %d lies past the header or is used twice", w)
		}
		seen[w] = true
	}
	if spForeign >= spCoreStride {
		t.Errorf("a core's counters take more than its line")
	}
	for i, a := range regions {
		if a.off < 0 || a.off+a.len > 4096 {
			t.Errorf("%s [%d, %d) leaves the page", a.name, a.off, a.off+a.len)
		}
		for _, b := range regions[i+1:] {
			if a.off < b.off+b.len && b.off < a.off+a.len {
				t.Errorf("%s [%d, %d) overlaps %s [%d, %d)", a.name, a.off, a.off+a.len, b.name, b.off, b.off+b.len)
			}
		}
	}
	if spanMaxCores < 16 {
		t.Errorf("a span page has lines for %d cores, fewer than the machines' 16", spanMaxCores)
	}
}
