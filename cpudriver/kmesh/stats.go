package kmesh

import (
	"sync/atomic"

	"multikernel/cpudriver/klog"
)

// reason is why a message was refused or a send failed; each is counted,
// and reported on the console once per peer.
type reason int

const (
	fine      reason = iota
	badType          // a type the table does not declare
	badLength        // a declared type with the wrong payload length
	noHandler        // a declared type nobody handles on this core
	badFields        // the handler refused the payload's fields
	broken           // the peer broke the channel's framing (urpc.MalformedError)
	full             // Send: the ring stayed full for SendBound
	down             // Send: the peer is not up (or has no channel)
	numReasons
)

var reasonText = [numReasons]string{
	fine:      "delivered",
	badType:   "unknown message type",
	badLength: "message of the wrong length",
	noHandler: "message nobody handles",
	badFields: "message with bad fields",
	broken:    "malformed channel data; channel cut off",
	full:      "ring full; message dropped",
	down:      "peer not up; message not sent",
}

// Stats counts what a mesh did, by reason. Fields are updated atomically
// by this core's goroutines only.
type Stats struct {
	Sent     atomic.Uint64 // messages published
	Received atomic.Uint64 // messages handed to handlers
	Refused  [numReasons]atomic.Uint64
	reported [numReasons]atomic.Uint64 // bit p: reported for peer p
}

// count records one event of reason r with peer and reports it on the
// console the first time it happens with that peer (peers beyond 63 share
// bit 63).
func (s *Stats) count(self, peer int, r reason, detail string) {
	s.Refused[r].Add(1)
	bit := uint64(1) << min(uint(max(peer, 0)), 63)
	if s.reported[r].Or(bit)&bit != 0 {
		return
	}
	klog.Printf("kmesh: core %d, peer %d: %s (%s; reported once)", self, peer, reasonText[r], detail)
}

// Refusals returns the total of every refusal and failed send.
func (s *Stats) Refusals() uint64 {
	var n uint64
	for r := fine + 1; r < numReasons; r++ {
		n += s.Refused[r].Load()
	}
	return n
}
