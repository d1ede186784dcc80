//go:build linux

package main

import (
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// The two-thread measures: the calling goroutine and a partner, each
// locked to an OS thread, pass a turn back and forth. One round trip is
// the caller handing the turn over and getting it back: two wake-ups. The
// first round trip brings the partner's thread up and is not timed.

// onTwoThreads locks the caller to its thread, raises GOMAXPROCS to 2 so
// that partner gets a thread of its own, runs partner there and trips on
// the caller, and returns once both have ended: the error of the side
// that failed first, nil if neither did.
func onTwoThreads(trips, partner func() error) error {
	prev := runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(prev)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		done <- partner()
	}()
	err := trips()
	if perr := <-done; err == nil || err == errStopped {
		err = perr
	}
	return err
}

// pipeRoundTrips times n round trips of one byte through two pipes.
func pipeRoundTrips(n int) (time.Duration, error) {
	var there, back [2]int
	if err := syscall.Pipe2(there[:], syscall.O_CLOEXEC); err != nil {
		return 0, fmt.Errorf("pipe2: %w", err)
	}
	if err := syscall.Pipe2(back[:], syscall.O_CLOEXEC); err != nil {
		syscall.Close(there[0])
		syscall.Close(there[1])
		return 0, fmt.Errorf("pipe2: %w", err)
	}
	// Each side closes the ends it uses when it is done, so that a side
	// that fails ends the other's read (end of file) instead of leaving it
	// waiting.
	var d time.Duration
	err := onTwoThreads(func() error {
		defer syscall.Close(there[1])
		defer syscall.Close(back[0])
		var start time.Time
		for i := 0; i <= n; i++ {
			if i == 1 {
				start = time.Now()
			}
			if err := pipeByte(syscall.SYS_WRITE, there[1]); err != nil {
				return err
			}
			if err := pipeByte(syscall.SYS_READ, back[0]); err != nil {
				return err
			}
		}
		d = time.Since(start)
		return nil
	}, func() error {
		defer syscall.Close(there[0])
		defer syscall.Close(back[1])
		for i := 0; i <= n; i++ {
			if err := pipeByte(syscall.SYS_READ, there[0]); err != nil {
				return err
			}
			if err := pipeByte(syscall.SYS_WRITE, back[1]); err != nil {
				return err
			}
		}
		return nil
	})
	return d, err
}

// pipeByte reads (nr SYS_READ) or writes (SYS_WRITE) one byte on fd.
func pipeByte(nr uintptr, fd int) error {
	var b [1]byte
	r, _, e := syscall.RawSyscall(nr, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), 1)
	switch {
	case e != 0:
		return fmt.Errorf("pipe fd %d: %v", fd, e)
	case r != 1:
		return errStopped // the other side closed its end: it failed
	}
	return nil
}

// Futex operations (private to the process, as the Go runtime uses them).
const (
	futexWaitPrivate = 0 | 128
	futexWakePrivate = 1 | 128
)

// futexStop is the turn word's value once a side failed: the other stops.
const futexStop = ^uint32(0)

// errStopped is the error of the side that stopped for the other.
var errStopped = errors.New("the other thread failed")

// futexWait sleeps while *addr holds val (or returns at once if it does
// not); spurious returns are the caller's to loop over.
func futexWait(addr *uint32, val uint32) error {
	_, _, e := syscall.RawSyscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(addr)), futexWaitPrivate, uintptr(val), 0, 0, 0)
	if e != 0 && e != syscall.EAGAIN && e != syscall.EINTR {
		return fmt.Errorf("futex wait: %v", e)
	}
	return nil
}

// futexWake wakes one thread sleeping on addr.
func futexWake(addr *uint32) error {
	_, _, e := syscall.RawSyscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(addr)), futexWakePrivate, 1, 0, 0, 0)
	if e != 0 {
		return fmt.Errorf("futex wake: %v", e)
	}
	return nil
}

// awaitTurn sleeps until the turn word says v, and fails if the other
// thread stopped.
func awaitTurn(word *uint32, v uint32) error {
	for {
		w := atomic.LoadUint32(word)
		switch w {
		case v:
			return nil
		case futexStop:
			return errStopped
		}
		if err := futexWait(word, w); err != nil {
			return err
		}
	}
}

// takeTurn ends the turn v that the caller holds: it moves the turn word
// on to v+1 and wakes the other thread, then, unless this was the last
// turn, sleeps until the word says v+2, the caller's next turn. If a
// system call fails it sets the word to futexStop and wakes the other
// thread, which stops too.
func takeTurn(word *uint32, v uint32, last bool) error {
	atomic.StoreUint32(word, v+1)
	err := futexWake(word)
	if err == nil && !last {
		err = awaitTurn(word, v+2)
	}
	if err != nil && err != errStopped {
		atomic.StoreUint32(word, futexStop)
		futexWake(word)
	}
	return err
}

// futexRoundTrips times n round trips between two threads that take turns
// on one futex word, which counts the turns taken so far: the calling
// thread takes the even turns and its partner the odd ones.
func futexRoundTrips(n int) (time.Duration, error) {
	var word uint32
	total := uint32(2 * (n + 1)) // turns: the first round trip untimed
	var d time.Duration
	err := onTwoThreads(func() error {
		var start time.Time
		for v := uint32(0); v < total; v += 2 {
			if v == 2 {
				start = time.Now()
			}
			if err := takeTurn(&word, v, false); err != nil {
				return err
			}
		}
		d = time.Since(start)
		return nil
	}, func() error {
		if err := awaitTurn(&word, 1); err != nil {
			return err
		}
		for v := uint32(1); v < total; v += 2 {
			if err := takeTurn(&word, v, v+1 == total); err != nil {
				return err
			}
		}
		return nil
	})
	return d, err
}
