package fds

import (
	"testing"
	"time"

	"multikernel/cpudriver/kpi"
)

// newTestTable returns a table with an epoll instance (fd 3) watching an
// eventfd (fd 4) edge-triggered and the read end of a pipe (fd 5, write
// end 6) level-triggered.
func newTestTable(t *testing.T) *Table {
	var ft Table
	ft.Init()
	ep := ft.NewEpoll()
	ev := ft.NewEventfd(0, 0)
	r, w := ft.NewPipe(0)
	if ep != 3 || ev != 4 || r != 5 || w != 6 {
		t.Fatalf("descriptors %d %d %d %d, want 3 4 5 6", ep, ev, r, w)
	}
	if ft.EpollCtl(3, EpollCtlAdd, 4, EpollIn|EpollET, 44) != 0 || ft.EpollCtl(3, EpollCtlAdd, 5, EpollIn, 55) != 0 {
		t.Fatal("epoll_ctl add failed")
	}
	return &ft
}

func TestEpollReadiness(t *testing.T) {
	ft := newTestTable(t)
	done := make(chan struct{})
	if evs, n := ft.EpollWait(3, 8, 0, done); n != 0 || len(evs) != 0 {
		t.Fatalf("nothing ready: got %v, %d", evs, n)
	}
	ft.EventfdAdd(ft.Get(4), 1)
	if n := ft.PipeWrite(ft.Get(6), []byte("x"), Until(done)); n != 1 {
		t.Fatalf("pipe write = %d", n)
	}
	evs, n := ft.EpollWait(3, 8, 0, done)
	if n != 2 {
		t.Fatalf("eventfd and pipe ready: got %v", evs)
	}
	// Again without a change: the edge-triggered eventfd is not reported,
	// the level-triggered pipe is.
	evs, n = ft.EpollWait(3, 8, 0, done)
	if n != 1 || evs[0].Data != 55 {
		t.Errorf("second poll: got %v, want only the pipe (data 55)", evs)
	}
	// Closing the write end: the read end reports hang-up, and reads the
	// byte, then the end of the file.
	ft.Close(6)
	evs, _ = ft.EpollWait(3, 8, 0, done)
	if len(evs) != 1 || evs[0].Events&EpollHup == 0 {
		t.Errorf("after the writer left: got %v, want EPOLLHUP", evs)
	}
	if b, n := ft.PipeRead(ft.Get(5), 10, Until(done)); n != 1 || string(b) != "x" {
		t.Errorf("pipe read = %q, %d", b, n)
	}
	if _, n := ft.PipeRead(ft.Get(5), 10, Until(done)); n != 0 {
		t.Errorf("pipe read at the end = %d, want 0", n)
	}
}

func TestEpollWaitBlocksUntilChange(t *testing.T) {
	ft := newTestTable(t)
	done := make(chan struct{})
	got := make(chan int64)
	go func() {
		_, n := ft.EpollWait(3, 8, -1, done)
		got <- n
	}()
	time.Sleep(5 * time.Millisecond)
	ft.EventfdAdd(ft.Get(4), 2)
	select {
	case n := <-got:
		if n != 1 {
			t.Errorf("woken epoll_wait returned %d, want 1", n)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("epoll_wait was not woken by the eventfd")
	}
	// A timeout with nothing ready returns 0; a dying process -EINTR.
	if v, r := ft.EventfdTake(ft.Get(4)); v != 2 || r != 8 {
		t.Errorf("eventfd read = %d, %d; want 2, 8", v, r)
	}
	if _, r := ft.EventfdTake(ft.Get(4)); r != -kpi.EAGAIN {
		t.Errorf("empty eventfd read = %d, want -EAGAIN", r)
	}
	ft.EpollWait(3, 8, 0, done) // consume the edge
	if _, n := ft.EpollWait(3, 8, 10*time.Millisecond, done); n != 0 {
		t.Errorf("timed-out epoll_wait returned %d", n)
	}
	close(done)
	if _, n := ft.EpollWait(3, 8, -1, done); n != -kpi.EINTR {
		t.Errorf("epoll_wait in a dying process returned %d, want -EINTR", n)
	}
}

func TestPipeBlocksAndNonblock(t *testing.T) {
	var ft Table
	ft.Init()
	r, w := ft.NewPipe(0x800) // O_NONBLOCK
	if _, n := ft.PipeRead(ft.Get(int(r)), 1, Until(nil)); n != -kpi.EAGAIN {
		t.Errorf("empty non-blocking read = %d, want -EAGAIN", n)
	}
	big := make([]byte, PipeCapacity+10)
	if n := ft.PipeWrite(ft.Get(int(w)), big, Until(nil)); n != PipeCapacity {
		t.Errorf("non-blocking write of more than fits = %d, want %d", n, PipeCapacity)
	}
	if n := ft.PipeWrite(ft.Get(int(w)), big, Until(nil)); n != -kpi.EAGAIN {
		t.Errorf("write to a full non-blocking pipe = %d, want -EAGAIN", n)
	}
	ft.Close(int(r))
	if n := ft.PipeWrite(ft.Get(int(w)), big, Until(nil)); n != -kpi.EPIPE {
		t.Errorf("write without readers = %d, want -EPIPE", n)
	}
	if r, _ := ft.NewPipe(0x1); r != -kpi.EINVAL {
		t.Errorf("pipe2 with a bad flag = %d, want -EINVAL", r)
	}
}

func TestFdTableAdd(t *testing.T) {
	var ft Table
	ft.Init()
	a := ft.NewEventfd(0, 0)
	if ft.Close(1) != 0 || ft.Close(1) != -kpi.EBADF {
		t.Fatal("close")
	}
	if b := ft.NewEventfd(0, 0); b != 1 {
		t.Errorf("add reused %d, want the lowest free descriptor 1", b)
	}
	if a != 3 || ft.Get(-1) != nil || ft.Get(1000) != nil {
		t.Errorf("bad descriptor lookups")
	}
	ft.SetLimit(4)
	if fd := ft.NewEpoll(); fd != -kpi.EMFILE {
		t.Errorf("past RLIMIT_NOFILE: %d, want -EMFILE", fd)
	}
	if ft.Fcntl(3, 1, 0) != 0 || ft.Fcntl(99, 1, 0) != -kpi.EBADF { // F_GETFD
		t.Errorf("fcntl")
	}
}

// TestGetFollowsTable: Get, which takes no lock, sees every open, close
// and reuse of a descriptor, and nothing out of range.
func TestGetFollowsTable(t *testing.T) {
	var ft Table
	ft.Init()
	check := func(what string) {
		t.Helper()
		ft.mu.Lock()
		defer ft.mu.Unlock()
		for fd := -1; fd <= Max; fd++ {
			want := ft.getLocked(fd)
			if got := ft.Get(fd); got != want {
				t.Fatalf("%s: Get(%d) = %p, the table holds %p", what, fd, got, want)
			}
		}
	}
	check("console only")
	r, w := ft.NewPipe(0)
	check("a pipe")
	if ft.Close(int(r)) != 0 {
		t.Fatal("close of the read end failed")
	}
	check("its read end closed")
	if ev := ft.NewEventfd(0, 0); ev != r {
		t.Fatalf("eventfd got %d, want the freed %d", ev, r)
	}
	check("the descriptor reused")
	ft.Close(int(w))
	ft.Close(1)
	check("stdout and the write end closed")
	ft.SetLimit(4)
	if _, w := ft.NewPipe(0); w != -kpi.EMFILE && w >= 4 {
		t.Fatalf("pipe past the limit: write end %d", w)
	}
	check("a pipe refused at the limit")
}
