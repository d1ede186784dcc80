package urpc

import (
	"errors"
	"strings"
	"testing"
)

// TestMalformedSlots writes slots no correct sender writes into a receive
// ring and checks that they give a sticky *MalformedError, never a panic.
func TestMalformedSlots(t *testing.T) {
	first := func(typ uint16, n int, seq uint64) uint64 { return makeHeader(1, false, typ, n, seq) }
	cont := func(typ uint16, idx int, seq uint64) uint64 { return makeHeader(1, true, typ, idx, seq) }
	for _, tc := range []struct {
		name    string
		headers []uint64
		reason  string
	}{
		{"reserved bits", []uint64{first(1, 8, 0) | 1<<5}, "reserved"},
		{"sequence", []uint64{first(1, 8, 3)}, "sequence"},
		{"orphan continuation", []uint64{cont(1, 1, 0)}, "without a first"},
		{"too long", []uint64{first(1, 101, 0)}, "exceeds MaxMessage"},
		{"interleaved", []uint64{first(1, 100, 0), first(1, 8, 1)}, "before the previous"},
		{"type change", []uint64{first(1, 100, 0), cont(2, 1, 1)}, "type differs"},
		{"fragment skipped", []uint64{first(1, 100, 0), cont(1, 2, 1)}, "index out of order"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, b, err := NewPair(4, Config{MaxMessage: 100})
			if err != nil {
				t.Fatal(err)
			}
			for i, h := range tc.headers {
				b.rx.ring[i][7] = h
			}
			_, err = b.TryRecv()
			var me *MalformedError
			if !errors.As(err, &me) || !errors.Is(err, ErrMalformed) {
				t.Fatalf("TryRecv: %v, want a *MalformedError", err)
			}
			if !strings.Contains(me.Reason, tc.reason) {
				t.Errorf("reason %q, want one containing %q", me.Reason, tc.reason)
			}
			if _, again := b.Recv(); again != err {
				t.Errorf("second receive: %v, want the same error again", again)
			}
		})
	}
}

// TestImpossibleAck checks that an ack word moving backwards or past the
// sent slots breaks the send side with a *MalformedError.
func TestImpossibleAck(t *testing.T) {
	for _, tc := range []struct {
		name string
		acks []uint64 // successive values of the peer's ack word
	}{
		{"ahead of sent", []uint64{5}},
		{"backwards", []uint64{2, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, _, err := NewPair(4, Config{})
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 4; i++ {
				if err := a.TryPost(0, nil); err != nil {
					t.Fatal(err)
				}
			}
			for _, ack := range tc.acks {
				a.peer.ack = ack
				for err = nil; err == nil; {
					err = a.TryPost(0, nil) // until the credit runs out and the ack is read
				}
			}
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("TryPost: %v, want ErrMalformed", err)
			}
			if again := a.Send(0, nil); again != err {
				t.Fatalf("Send after the error: %v, want the same error", again)
			}
		})
	}
}
