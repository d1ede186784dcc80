package urpc

import (
	"errors"
	"fmt"
	"time"
	"unsafe"
)

// Side names a party of a channel: A owns control lines 0-1 and sends on the
// first ring, B owns control lines 2-3 and sends on the second.
type Side uint8

const (
	// SideA is the party that sends on ring A→B.
	SideA Side = iota
	// SideB is the party that sends on ring B→A.
	SideB
)

// DefaultPollTime is how long Recv and Send first poll before they sleep
// when Config.PollTime is zero.
const DefaultPollTime = 20 * time.Microsecond

// DefaultMaxMessage is the message length limit when Config.MaxMessage is
// zero.
const DefaultMaxMessage = 64 << 10

// Config is one party's configuration. Both parties must use the same
// MaxMessage.
type Config struct {
	Notifier Notifier // wakes the peer; required
	Sleeper  Sleeper  // blocks this party; required

	// PollTime is how long a wait first polls before it sleeps; the
	// limit then adapts between PollTime and 16 × PollTime (see the
	// package documentation). Zero means DefaultPollTime, a negative
	// value means sleep at once.
	PollTime time.Duration

	// MaxMessage is the longest message accepted, at most
	// MaxMessageLimit; zero means DefaultMaxMessage.
	MaxMessage int
}

// Message is a received message. Data is valid until the next Recv or
// TryRecv on the same Endpoint.
type Message struct {
	Type uint16
	Data []byte
}

// Endpoint is one party's end of a channel. Its fields are owned by this
// party: tx by the sending goroutine, rx by the receiving one.
//
// The padding keeps the send state, the receive state and anything else on
// the heap on different cache lines: the peer's endpoint is often allocated
// right next to this one, and a shared line would bounce between the cores
// on every message.
type Endpoint struct {
	_    [LineSize]byte
	cfg  Config   // immutable
	own  *control // this party's control lines, written only by it
	peer *control // the peer's control lines, read only
	tx   sender
	_    [LineSize]byte
	rx   receiver
	_    [LineSize]byte
}

// New returns side's endpoint of the channel in mem, a region laid out as the
// package documentation says. mem must be zero before either party starts.
func New(mem []byte, side Side, cfg Config) (*Endpoint, error) {
	if err := checkRegion(mem); err != nil {
		return nil, err
	}
	if side != SideA && side != SideB {
		return nil, fmt.Errorf("urpc: bad side %d", side)
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	ls := lines(mem)
	n := ringSlots(len(mem))
	rings := [2][]slot{ls[controlLines : controlLines+n], ls[controlLines+n : controlLines+2*n]}
	peer := side ^ 1
	e := &Endpoint{
		cfg:  cfg,
		own:  (*control)(unsafe.Pointer(&ls[2*side])),
		peer: (*control)(unsafe.Pointer(&ls[2*peer])),
	}
	e.tx.init(rings[side], cfg.MaxMessage)
	e.rx.init(rings[peer], cfg.MaxMessage)
	return e, nil
}

// NewPair returns both endpoints of a host channel with slots slots per ring,
// wired to each other through Doorbells; cfg's Notifier and Sleeper are
// ignored.
func NewPair(slots int, cfg Config) (a, b *Endpoint, err error) {
	mem := NewRegion(slots)
	bellA, bellB := NewDoorbell(), NewDoorbell()
	ca, cb := cfg, cfg
	ca.Notifier, ca.Sleeper = bellB, bellA
	cb.Notifier, cb.Sleeper = bellA, bellB
	if a, err = New(mem, SideA, ca); err != nil {
		return nil, nil, err
	}
	if b, err = New(mem, SideB, cb); err != nil {
		return nil, nil, err
	}
	return a, b, nil
}

// Slots returns the number of slots in each of the channel's rings.
func (e *Endpoint) Slots() int { return len(e.tx.ring) }

func checkRegion(mem []byte) error {
	switch {
	case len(mem) < RegionSize(1):
		return fmt.Errorf("urpc: region of %d bytes is smaller than %d", len(mem), RegionSize(1))
	case len(mem)%LineSize != 0:
		return fmt.Errorf("urpc: region size %d is not a multiple of %d", len(mem), LineSize)
	case uintptr(unsafe.Pointer(&mem[0]))%LineSize != 0:
		return errors.New("urpc: region is not 64-byte aligned")
	}
	return nil
}

func (c Config) withDefaults() (Config, error) {
	if c.Notifier == nil || c.Sleeper == nil {
		return c, errors.New("urpc: Config needs a Notifier and a Sleeper")
	}
	if c.PollTime == 0 {
		c.PollTime = DefaultPollTime
	}
	if c.MaxMessage == 0 {
		c.MaxMessage = DefaultMaxMessage
	}
	if c.MaxMessage < 0 || c.MaxMessage > MaxMessageLimit {
		return c, fmt.Errorf("urpc: MaxMessage %d out of range", c.MaxMessage)
	}
	return c, nil
}
