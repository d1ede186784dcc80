package kmesh

import (
	"fmt"

	"multikernel/urpc"
)

// Type is a message type of the CPU drivers' mesh, the urpc header's type
// field. Zero is never a valid type.
type Type uint16

// The message types, declared here and nowhere else. Each has one fixed
// payload length (table); a message of another length is malformed.
const (
	// Ping asks the peer for a Pong (ping.go): sequence, the sender's
	// TSC, and how the peer's receiver should wait from now on.
	Ping Type = 1 + iota
	// Pong answers a Ping with its sequence and TSC, echoed.
	Pong

	// The spanning programs' messages (package proc, span*.go; the
	// layout of their words is proc's spanWords): every one is seven
	// words, the first naming the program (its home core and span id)
	// and, where it matters, a thread and a call number.

	// SpanThread gives a core a thread of a spanning program (new or
	// moving): its state is in a page of the sender's, named in the
	// message. SpanThreadDone answers it: the page is the sender's again.
	SpanThread
	SpanThreadDone
	// SpanCall asks the program's home core to run a system call (or a
	// page fault) for a thread on another core; SpanRet answers it.
	SpanCall
	SpanRet
	// SpanShoot is a TLB shootdown request of a spanning program and
	// SpanShot its ack: each carries one message of package
	// cpudriver/shootdown (its wire format, 56 bytes).
	SpanShoot
	SpanShot
	// SpanWake wakes futex waiters of the program on the receiving core;
	// SpanWoken answers with how many it woke.
	SpanWake
	SpanWoken
	// SpanKill makes a signal pending for a thread on the receiving core;
	// SpanKilled answers whether the thread was there.
	SpanKill
	SpanKilled
	// SpanExit ends the program's threads on the receiving core;
	// SpanGone answers once none is left.
	SpanExit
	SpanGone
	// SpanDie asks the home core to end the program (exit_group or a
	// fatal fault on another core).
	SpanDie
	// SpanSigaction gives the other cores a new rt_sigaction entry.
	SpanSigaction
	// SpanShootLine says that a broadcast shootdown request waits in
	// the program's span page (its first word names the program, the
	// second and third the operation and generation); the core reads
	// the line and acks with SpanShot.
	SpanShootLine
	// SpanAffinity sets the cores a thread of the program on the
	// receiving core may run on (sched_setaffinity of another thread);
	// SpanAffinitySet answers whether the thread was there.
	SpanAffinity
	SpanAffinitySet

	numTypes // one past the last type
)

// Spec describes one message type.
type Spec struct {
	Name string // for reports
	Size int    // the payload's exact length in bytes, at most urpc.PayloadSize
}

// table gives every type its spec; index 0 is empty.
var table = [numTypes]Spec{
	Ping: {"ping", pingSize},
	Pong: {"pong", pongSize},

	SpanThread:      {"span-thread", SpanSize},
	SpanThreadDone:  {"span-thread-done", SpanSize},
	SpanCall:        {"span-call", SpanSize},
	SpanRet:         {"span-ret", SpanSize},
	SpanShoot:       {"span-shoot", SpanSize},
	SpanShot:        {"span-shot", SpanSize},
	SpanWake:        {"span-wake", SpanSize},
	SpanWoken:       {"span-woken", SpanSize},
	SpanKill:        {"span-kill", SpanSize},
	SpanKilled:      {"span-killed", SpanSize},
	SpanExit:        {"span-exit", SpanSize},
	SpanGone:        {"span-gone", SpanSize},
	SpanDie:         {"span-die", SpanSize},
	SpanSigaction:   {"span-sigaction", SpanSize},
	SpanShootLine:   {"span-shoot-line", SpanSize},
	SpanAffinity:    {"span-affinity", SpanSize},
	SpanAffinitySet: {"span-affinity-set", SpanSize},
}

// SpanSize is the payload of every spanning-program message: seven
// words.
const SpanSize = 56

// Lookup returns t's spec; false for a type that is not declared.
func Lookup(t Type) (Spec, bool) {
	if t == 0 || t >= numTypes || table[t].Name == "" {
		return Spec{}, false
	}
	return table[t], true
}

// String names t.
func (t Type) String() string {
	if s, ok := Lookup(t); ok {
		return s.Name
	}
	return fmt.Sprintf("type %d", uint16(t))
}

// checkTable reports the first entry of tbl that is not a valid spec: an
// entry with a name must fit one slot, every name is unique.
func checkTable(tbl []Spec) error {
	seen := map[string]bool{}
	for t, s := range tbl {
		if s.Name == "" {
			if s.Size != 0 {
				return fmt.Errorf("kmesh: type %d has a size but no name", t)
			}
			continue
		}
		switch {
		case t == 0:
			return fmt.Errorf("kmesh: type 0 is declared (%q)", s.Name)
		case s.Size < 0 || s.Size > urpc.PayloadSize:
			return fmt.Errorf("kmesh: type %s: size %d does not fit one slot", s.Name, s.Size)
		case seen[s.Name]:
			return fmt.Errorf("kmesh: type name %q used twice", s.Name)
		}
		seen[s.Name] = true
	}
	return nil
}

// check validates a received message against the table and returns why
// it is refused, fine when it is well formed.
func check(m urpc.Message) reason {
	s, ok := Lookup(Type(m.Type))
	switch {
	case !ok:
		return badType
	case len(m.Data) != s.Size:
		return badLength
	}
	return fine
}
