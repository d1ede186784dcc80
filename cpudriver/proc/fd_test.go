package proc

import (
	"testing"
	"time"

	"multikernel/cpudriver/kpi"
)

// newTestTable returns a table with an epoll instance (fd 3) watching an
// eventfd (fd 4) edge-triggered and the read end of a pipe (fd 5, write
// end 6) level-triggered.
func newTestTable(t *testing.T) *fdTable {
	var ft fdTable
	ft.init()
	ft.mu.Lock()
	defer ft.mu.Unlock()
	ep := ft.add(&file{kind: kindEpoll, regs: map[int]epollReg{}})
	ev := ft.add(&file{kind: kindEventfd})
	p := &pipeBuf{readers: 1, writers: 1}
	r := ft.add(&file{kind: kindPipe, pipe: p, readEnd: true})
	w := ft.add(&file{kind: kindPipe, pipe: p, flags: 1})
	if ep != 3 || ev != 4 || r != 5 || w != 6 {
		t.Fatalf("descriptors %d %d %d %d, want 3 4 5 6", ep, ev, r, w)
	}
	e := ft.get(ep)
	e.regs[ev] = epollReg{events: epollIn | epollET, data: 44, lastGen: ^uint64(0)}
	e.regs[r] = epollReg{events: epollIn, data: 55, lastGen: ^uint64(0)}
	return &ft
}

func TestEpollReadiness(t *testing.T) {
	ft := newTestTable(t)
	done := make(chan struct{})
	if evs, n := ft.epollWait(3, 8, 0, done); n != 0 || len(evs) != 0 {
		t.Fatalf("nothing ready: got %v, %d", evs, n)
	}
	ft.mu.Lock()
	ft.get(4).count = 1
	ft.get(4).gen++
	ft.get(5).pipe.data = []byte("x")
	ft.get(5).pipe.gen++
	ft.mu.Unlock()
	evs, n := ft.epollWait(3, 8, 0, done)
	if n != 2 {
		t.Fatalf("eventfd and pipe ready: got %v", evs)
	}
	// Again without a change: the edge-triggered eventfd is not reported,
	// the level-triggered pipe is.
	evs, n = ft.epollWait(3, 8, 0, done)
	if n != 1 || evs[0].data != 55 {
		t.Errorf("second poll: got %v, want only the pipe (data 55)", evs)
	}
	// Closing the write end: the read end reports hang-up.
	ft.mu.Lock()
	ft.get(5).pipe.writers = 0
	ft.mu.Unlock()
	evs, _ = ft.epollWait(3, 8, 0, done)
	if len(evs) != 1 || evs[0].events&epollHup == 0 {
		t.Errorf("after the writer left: got %v, want EPOLLHUP", evs)
	}
}

func TestEpollWaitBlocksUntilChange(t *testing.T) {
	ft := newTestTable(t)
	done := make(chan struct{})
	got := make(chan int64)
	go func() {
		_, n := ft.epollWait(3, 8, -1, done)
		got <- n
	}()
	time.Sleep(5 * time.Millisecond)
	ft.mu.Lock()
	ft.get(4).count = 2
	ft.get(4).gen++
	ft.signal()
	ft.mu.Unlock()
	select {
	case n := <-got:
		if n != 1 {
			t.Errorf("woken epoll_wait returned %d, want 1", n)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("epoll_wait was not woken by the eventfd")
	}
	// A timeout with nothing ready returns 0; a dying process -EINTR.
	ft.mu.Lock()
	ft.get(4).count = 0
	ft.get(4).gen++
	ft.mu.Unlock()
	ft.epollWait(3, 8, 0, done) // consume the edge
	if _, n := ft.epollWait(3, 8, 10*time.Millisecond, done); n != 0 {
		t.Errorf("timed-out epoll_wait returned %d", n)
	}
	close(done)
	if _, n := ft.epollWait(3, 8, -1, done); n != -kpi.EINTR {
		t.Errorf("epoll_wait in a dying process returned %d, want -EINTR", n)
	}
}

func TestFdTableAdd(t *testing.T) {
	var ft fdTable
	ft.init()
	ft.mu.Lock()
	defer ft.mu.Unlock()
	a := ft.add(&file{kind: kindEventfd})
	ft.files[1] = nil
	if b := ft.add(&file{kind: kindEventfd}); b != 1 {
		t.Errorf("add reused %d, want the lowest free descriptor 1", b)
	}
	if a != 3 || ft.get(-1) != nil || ft.get(1000) != nil {
		t.Errorf("bad descriptor lookups")
	}
}
