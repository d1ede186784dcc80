package trace

import (
	"fmt"
	"strings"
)

// Event says what a record records, and what its arguments are.
type Event uint8

// Events. A and B are the record's 16- and 32-bit arguments.
const (
	evNone Event = iota
	// URPCSend: a message posted on the CPU drivers' mesh. A: the peer
	// core; B: message type (bits 24-31) and the message's number on
	// that directed channel (bits 0-23), which its URPCRecv repeats.
	URPCSend
	// URPCRecv: a message taken off the mesh. A: the sending core; B as
	// URPCSend's.
	URPCRecv
	// IPISend: a notification IPI sent. A: the target core.
	IPISend
	// IPIRecv: the notification bell rang on this core (an IPI or a
	// local ring). A: 0.
	IPIRecv
	// SysEnter and SysExit bracket a system call of a program. A: the
	// call's number's low 16 bits (Linux's, or the native table's);
	// SysExit's B: the result's low 32 bits.
	SysEnter
	SysExit
	// Fault: a program's page fault served. A: 1 write, 2 exec, bits
	// may combine; B: the faulting address's page number (low 32 bits).
	Fault
	// Switch: a program thread starts a time slice in ring 3. A: the
	// thread's id (low 16 bits); B: its process id.
	Switch
	// ProgStart and ProgExit: a program (or spanning program's replica)
	// starts or ends on this core. A: 0; B: its process id (ProgExit:
	// A the exit status's low 16 bits).
	ProgStart
	ProgExit
	// Shootdown: a spanning program's TLB shootdown started. A: how many
	// other cores it reaches; B: address ranges flushed (0: the whole
	// user half).
	Shootdown
	// CapPhase: a phase of a distributed capability operation (the
	// monitors run the protocol; the CPU driver sees these). A:
	// CapRequest (a program's call asks the monitor; B: the kind,
	// cap/dist.Kind), CapApply (the monitor applies an outcome here; B:
	// what it applies) or CapDone (the call's wait ends; B: the result's
	// low 32 bits).
	CapPhase
	// MemRequest: the core asked the memory service for RAM. A: the
	// node asked (255: any); B: KiB asked.
	MemRequest
	// MemGrant: the memory service's answer arrived. A: the node; B: KiB
	// granted (0: none).
	MemGrant
	numEvents
)

// CapPhase's phases (argument A).
const (
	CapRequest = 1
	CapApply   = 2
	CapDone    = 3
)

// Class is a group of events switched on and off together.
type Class uint8

// Classes, named in the trace option (Parse).
const (
	ClassURPC Class = iota
	ClassIPI
	ClassSys
	ClassFault
	ClassSched
	ClassProg
	ClassShoot
	ClassCap
	ClassMem
	numClasses
)

var eventInfo = [numEvents]struct {
	name  string
	class Class
}{
	URPCSend:   {"urpc-send", ClassURPC},
	URPCRecv:   {"urpc-recv", ClassURPC},
	IPISend:    {"ipi-send", ClassIPI},
	IPIRecv:    {"ipi-recv", ClassIPI},
	SysEnter:   {"syscall", ClassSys},
	SysExit:    {"syscall-exit", ClassSys},
	Fault:      {"fault", ClassFault},
	Switch:     {"switch", ClassSched},
	ProgStart:  {"program-start", ClassProg},
	ProgExit:   {"program-exit", ClassProg},
	Shootdown:  {"shootdown", ClassShoot},
	CapPhase:   {"cap-phase", ClassCap},
	MemRequest: {"mem-request", ClassMem},
	MemGrant:   {"mem-grant", ClassMem},
}

var classNames = [numClasses]string{"urpc", "ipi", "sys", "fault", "sched", "prog", "shoot", "cap", "mem"}

// Valid reports whether e is an event this version knows.
func (e Event) Valid() bool { return e > evNone && e < numEvents }

// String returns the event's name ("event-N" for an unknown one).
func (e Event) String() string {
	if !e.Valid() {
		return fmt.Sprintf("event-%d", e)
	}
	return eventInfo[e].name
}

// Class returns the event's class (numClasses for an unknown event).
func (e Event) Class() Class {
	if !e.Valid() {
		return numClasses
	}
	return eventInfo[e].class
}

// String returns the class's name.
func (c Class) String() string {
	if c >= numClasses {
		return "unknown"
	}
	return classNames[c]
}

// Classes returns every class, in order.
func Classes() []Class {
	out := make([]Class, numClasses)
	for i := range out {
		out[i] = Class(i)
	}
	return out
}

// Mask is a set of events (bit e for event e).
type Mask uint64

// ClassMask returns the events of the given classes.
func ClassMask(cs ...Class) Mask {
	var m Mask
	for e := Event(1); e < numEvents; e++ {
		for _, c := range cs {
			if eventInfo[e].class == c {
				m |= 1 << e
			}
		}
	}
	return m
}

// DefaultClasses are what the plain trace option records: everything
// but system calls, which a busy program makes by the million.
func DefaultClasses() Mask {
	return ClassMask(ClassURPC, ClassIPI, ClassFault, ClassSched, ClassProg, ClassShoot, ClassCap, ClassMem)
}

// ParseClasses parses the trace option's value: "" for DefaultClasses,
// "all", or class names separated by commas ("urpc,ipi,sys").
func ParseClasses(s string) (Mask, error) {
	switch s {
	case "":
		return DefaultClasses(), nil
	case "all":
		return ClassMask(Classes()...), nil
	}
	var m Mask
	for _, name := range strings.Split(s, ",") {
		found := false
		for c, n := range classNames {
			if n == name {
				m |= ClassMask(Class(c))
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("trace class %q unknown (known: all, %s)", name, strings.Join(classNames[:], ", "))
		}
	}
	return m, nil
}

// String names the classes m holds any event of, separated by commas
// ("none" for none).
func (m Mask) String() string {
	var names []string
	for c := Class(0); c < numClasses; c++ {
		if m&ClassMask(c) != 0 {
			names = append(names, c.String())
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ",")
}
