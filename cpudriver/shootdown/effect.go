package shootdown

import "fmt"

// EffectKind is what an effect asks the caller to do.
type EffectKind uint8

// The effects.
const (
	// Send: send Msg to core To. Shared marks the requests of a
	// broadcast: they are one line, written once, that every To reads.
	Send EffectKind = 1 + iota
	// Invalidate: drop the translations of Flush from this core's TLB.
	Invalidate
)

// Effect is one thing the caller of a state machine must do. The caller
// carries out a call's effects in the order returned, and all of them
// before it hands the machine the next message: the ordering rules (a
// target invalidates before it acks; an aggregator acks after all its
// children) are orders of effects.
type Effect struct {
	Kind   EffectKind
	To     int   // Send
	Shared bool  // Send
	Msg    Msg   // Send
	Flush  Flush // Invalidate
}

// String describes the effect.
func (e Effect) String() string {
	if e.Kind == Invalidate {
		return "invalidate " + e.Flush.String()
	}
	return fmt.Sprintf("send to %d: %v", e.To, &e.Msg)
}

func sendEffect(to int, m Msg) Effect { return Effect{Kind: Send, To: to, Msg: m} }

func invalidateEffect(f Flush) Effect { return Effect{Kind: Invalidate, Flush: f} }
