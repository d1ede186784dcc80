package proc

import (
	"encoding/binary"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/linuxabi"
)

// Trace logs every system call of every process (the strace option).
var Trace bool

// A Call handles one system call of t with the arguments a (rdi, rsi,
// rdx, r10, r8, r9) and returns its result, a negative errno on failure.
// It runs in t's goroutine, holding no lock.
type Call func(t *Thread, a [6]uint64) int64

// maxLinux bounds the Linux system call numbers the table holds.
const maxLinux = 512

// A handler is one entry of the table: the call, and whether it may
// wait (waitingCall, decided once at Install, so that the general path
// looks up both with one index).
type handler struct {
	call  Call
	waits bool
}

// calls is the system call table: Linux's numbers, then the native calls
// (kpi.NativeBase on). Filled by Install before any program starts, then
// only read.
var calls struct {
	linux  [maxLinux]handler
	native [kpi.NativeEnd - kpi.NativeBase]handler
}

// handlerOf returns the table's entry for nr: a nil call for a number
// with no handler installed (proc's own calls among them).
func handlerOf(nr uint64) handler {
	switch {
	case nr < maxLinux:
		return calls.linux[nr]
	case nr >= kpi.NativeBase && nr < kpi.NativeEnd:
		return calls.native[nr-kpi.NativeBase]
	}
	return handler{}
}

// Install makes c the handler of system call nr (a Linux number, or a
// native one). Packages linux and native install theirs; package main
// calls them once, before any program starts. The calls that end a
// thread (exit, exit_group) and rt_sigreturn are this package's own.
func Install(nr uint64, c Call) {
	h := handler{call: c, waits: waitingCall(nr)}
	switch {
	case nr < maxLinux:
		calls.linux[nr] = h
	case nr >= kpi.NativeBase && nr < kpi.NativeEnd:
		calls.native[nr-kpi.NativeBase] = h
	default:
		panic("proc: system call number out of range")
	}
}

// Installed returns the handler of nr, nil if none is installed.
func Installed(nr uint64) Call { return handlerOf(nr).call }

// A system call (the run loop, thread.go, handles it in line): the
// handler of its number (t.regs.AX) runs with the arguments from the
// registers, and its result goes to RAX. The thread's CPU time runs on
// through ring 3 and the call, unless the call may wait (cputime.go);
// one that may wait also does not count as runnable meanwhile
// (yield.go). A number with no handler is ownCall's.

// trace logs a call and its result (the strace option).
func (t *Thread) trace(nr uint64, a [6]uint64, ret int64) {
	t.proc.Logf("tid %d: syscall %d(%#x, %#x, %#x, %#x) = %d", t.TID, nr, a[0], a[1], a[2], a[3], ret)
}

// ownCall handles a call with no handler in the table: rt_sigreturn,
// exit and exit_group (this package's own), or one not implemented
// (ENOSYS). It reports whether the thread has ended.
func (t *Thread) ownCall(nr uint64) bool {
	r := &t.regs
	if nr == linuxabi.SysRtSigreturn {
		if !t.sigreturn() {
			t.kill("rt_sigreturn with a bad signal frame at %#x", r.SP)
			return true
		}
		return false
	}
	a := [6]uint64{r.DI, r.SI, r.DX, r.R10, r.R8, r.R9}
	waits := waitingCall(nr) // exit and exit_group
	if waits {
		t.block()
	}
	ret, done := t.endOrUnknown(nr, a)
	if waits {
		t.unblock()
	}
	if Trace {
		t.trace(nr, a, ret)
	}
	r.AX = uint64(ret)
	return done
}

// endOrUnknown ends the thread (exit) or the process (exit_group), or
// answers ENOSYS for a call not implemented, reported once per process.
// It returns the call's result and whether the thread ended.
func (t *Thread) endOrUnknown(nr uint64, a [6]uint64) (int64, bool) {
	switch nr {
	case linuxabi.SysExit:
		t.exitThread()
		return 0, true
	case linuxabi.SysExitGroup:
		t.proc.exit(int(a[0]&0xff), "")
		return 0, true
	}
	p := t.proc
	p.mu.Lock()
	first := !p.unknown[nr]
	p.unknown[nr] = true
	p.mu.Unlock()
	if first {
		p.Logf("unimplemented system call %d (ENOSYS)", nr)
	}
	return -kpi.ENOSYS, false
}

// exitThread ends the calling thread (exit): its CLONE_CHILD_CLEARTID
// word is zeroed and one futex waiter on it woken.
func (t *Thread) exitThread() {
	if t.clearTID != 0 {
		var zero [4]byte
		if t.CopyOut(t.clearTID, zero[:]) == nil {
			t.FutexWake(t.clearTID, 1)
		}
	}
}

// PutU64 writes v to the process's memory at va.
func (t *Thread) PutU64(va, v uint64) error {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	return t.CopyOut(va, b[:])
}

// GetU64 reads a 64-bit word of the process's memory at va.
func (t *Thread) GetU64(va uint64) (uint64, error) {
	var b [8]byte
	err := t.CopyIn(va, b[:])
	return binary.LittleEndian.Uint64(b[:]), err
}
