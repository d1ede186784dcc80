package urpc

import (
	"errors"
	"fmt"
)

// ErrWouldBlock is returned by TryPost when the ring lacks the credit for the
// whole message and by TryRecv when no complete message is ready.
var ErrWouldBlock = errors.New("urpc: would block")

// ErrTimeout is returned by Waitset.WaitUntil when its deadline passed with
// no endpoint ready.
var ErrTimeout = errors.New("urpc: timed out")

// ErrTooLarge is returned for a message longer than Config.MaxMessage, and by
// TryPost for one that needs more slots than the ring has.
var ErrTooLarge = errors.New("urpc: message too large")

// ErrMalformed is the sentinel a *MalformedError matches with errors.Is.
var ErrMalformed = errors.New("urpc: malformed data from peer")

// MalformedError reports shared memory that a correct peer cannot have
// written: a bad slot header on the receive ring, or an impossible ack.
type MalformedError struct {
	Seq    uint64 // sequence number of the slot (or sent count, for an ack)
	Word   uint64 // the offending word 7 or ack word
	Reason string
}

func (e *MalformedError) Error() string {
	return fmt.Sprintf("urpc: malformed data from peer at slot %d (word %#016x): %s", e.Seq, e.Word, e.Reason)
}

// Is reports whether target is ErrMalformed.
func (e *MalformedError) Is(target error) bool { return target == ErrMalformed }

func malformed(seq, word uint64, reason string) error {
	return &MalformedError{Seq: seq, Word: word, Reason: reason}
}
