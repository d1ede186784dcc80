package urpc_test

import (
	"encoding/binary"
	"fmt"
	"testing"

	"multikernel/urpc"
)

// The test traffic: message i has type uint16(i), a length that depends on i
// (mostly one slot, sometimes several), its index in the first 8 bytes and
// byte(i+j) at every later offset j, so a lost, duplicated, reordered or
// torn message is detected.

// patternLen returns the length of message i, at most max.
func patternLen(i uint64, max int) int {
	n := 8 + int(i%7)*8 // 8..56: one slot
	if i%61 == 0 {
		n = 57 + int(i/61%400) // two to eight slots
	}
	return min(n, max)
}

// fillPattern writes message i into buf and returns it.
func fillPattern(buf []byte, i uint64, max int) []byte {
	b := buf[:patternLen(i, max)]
	var idx [8]byte
	binary.LittleEndian.PutUint64(idx[:], i)
	copy(b, idx[:])
	for j := 8; j < len(b); j++ {
		b[j] = byte(i + uint64(j))
	}
	return b
}

// checkPattern reports how m differs from message i.
func checkPattern(m urpc.Message, i uint64, max int) error {
	if m.Type != uint16(i) {
		return fmt.Errorf("message %d: type %d, want %d", i, m.Type, uint16(i))
	}
	if want := patternLen(i, max); len(m.Data) != want {
		return fmt.Errorf("message %d: length %d, want %d", i, len(m.Data), want)
	}
	var idx [8]byte
	binary.LittleEndian.PutUint64(idx[:], i)
	for j := range m.Data {
		want := byte(i + uint64(j))
		if j < 8 {
			want = idx[j]
		}
		if m.Data[j] != want {
			return fmt.Errorf("message %d: byte %d is %#x, want %#x", i, j, m.Data[j], want)
		}
	}
	return nil
}

// newPair returns a host channel or fails the test.
func newPair(tb testing.TB, slots int, cfg urpc.Config) (*urpc.Endpoint, *urpc.Endpoint) {
	tb.Helper()
	a, b, err := urpc.NewPair(slots, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return a, b
}
