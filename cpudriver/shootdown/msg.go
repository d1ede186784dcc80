package shootdown

import (
	"errors"
	"fmt"
)

// Kind is a message's kind.
type Kind uint8

// The message kinds.
const (
	Request Kind = 1 + iota // invalidate a flush, and pass it on to the cores of Subtree
	Ack                     // every core of Subtree invalidated
)

// Op names one shootdown: its initiator, the generation of the
// initiator's shootdown state, and a number the initiator increases with
// every shootdown it starts. An initiator runs one shootdown at a time,
// so a participant that handled (Gen, ID) of an initiator takes any
// request of it not later than that for a duplicate or a stale message.
type Op struct {
	Initiator uint8
	Gen       uint32
	ID        uint64
}

// after reports whether o is later than p (same initiator).
func (o Op) after(p Op) bool { return o.Gen > p.Gen || o.Gen == p.Gen && o.ID > p.ID }

// String returns o as initiator/generation.number.
func (o Op) String() string { return fmt.Sprintf("%d/%d.%d", o.Initiator, o.Gen, o.ID) }

// Msg is a request or an ack, decoded.
type Msg struct {
	Kind  Kind
	Proto Protocol
	Op    Op
	From  uint8   // the sending core
	Space uint16  // the address space, numbered by its initiator (opaque to the protocol)
	Sub   CoreSet // request: the cores the receiver answers for (itself included); ack: those the sender answers for
	Flush Flush   // request only
}

// ErrMsg is wrapped by every error about a malformed message.
var ErrMsg = errors.New("shootdown: malformed message")

// Check reports whether m is well formed on its own (whether its
// receiver expects it is for the receiver to decide).
func (m *Msg) Check() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrMsg}, args...)...)
	}
	switch {
	case m.Kind != Request && m.Kind != Ack:
		return bad("kind %d", m.Kind)
	case m.Proto >= numProtocols:
		return bad("unknown protocol %d", m.Proto)
	case m.Op.Initiator >= MaxCores || m.From >= MaxCores:
		return bad("core out of range (initiator %d, sender %d)", m.Op.Initiator, m.From)
	case m.Op.ID == 0:
		return bad("operation number 0")
	case m.Sub == 0 || m.Sub.Has(int(m.Op.Initiator)):
		return bad("subtree %v (initiator %d)", m.Sub, m.Op.Initiator)
	}
	if m.Kind == Ack {
		if !m.Sub.Has(int(m.From)) {
			return bad("ack from %d for %v", m.From, m.Sub)
		}
		if m.Flush != (Flush{}) {
			return bad("an ack with a flush")
		}
		return nil
	}
	if m.Sub.Has(int(m.From)) {
		return bad("request from %d for %v", m.From, m.Sub)
	}
	if (m.Proto == Unicast || m.Proto == Broadcast) && m.From != m.Op.Initiator || m.Proto == Unicast && m.Sub.Len() != 1 {
		return bad("%v request from %d for %v", m.Proto, m.From, m.Sub)
	}
	if err := m.Flush.Check(); err != nil {
		return fmt.Errorf("%w: %w", ErrMsg, err)
	}
	return nil
}

// String describes the message.
func (m *Msg) String() string {
	if m.Kind == Ack {
		return fmt.Sprintf("ack %v from %d for %v", m.Op, m.From, m.Sub)
	}
	return fmt.Sprintf("%v request %v from %d for %v: %v", m.Proto, m.Op, m.From, m.Sub, m.Flush)
}
