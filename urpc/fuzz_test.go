package urpc

import (
	"encoding/binary"
	"errors"
	"testing"
)

// FuzzRecv lets a buggy peer write arbitrary slots into a receive ring, one
// 64-byte chunk of the input at a time, in ring order and ignoring credit,
// and checks that receiving never panics, returns only messages within the
// limits, and fails only with a sticky *MalformedError.
func FuzzRecv(f *testing.F) {
	f.Add(validTraffic(f, []int{0, 8, 56, 57, 200}))
	f.Add(validTraffic(f, []int{300, 1, 1, 1, 1, 1, 1}))
	f.Add(make([]byte, 3*LineSize))
	f.Fuzz(func(t *testing.T, data []byte) {
		const maxMessage = 512
		_, b, err := NewPair(4, Config{MaxMessage: maxMessage})
		if err != nil {
			t.Fatal(err)
		}
		var sticky error
		for i := 0; len(data) > 0; i++ {
			var line [LineSize]byte
			n := copy(line[:], data)
			data = data[n:]
			s := &b.rx.ring[i%len(b.rx.ring)]
			for w := range s {
				s[w] = binary.LittleEndian.Uint64(line[8*w:])
			}
			m, err := b.TryRecv()
			switch {
			case err == nil:
				if len(m.Data) > maxMessage {
					t.Fatalf("message of %d bytes over the %d limit", len(m.Data), maxMessage)
				}
			case errors.Is(err, ErrWouldBlock):
			case errors.Is(err, ErrMalformed):
				if sticky != nil && err != sticky {
					t.Fatalf("error changed from %v to %v", sticky, err)
				}
				sticky = err
			default:
				t.Fatalf("unexpected error %v", err)
			}
		}
	})
}

// validTraffic returns the slots a correct sender writes for messages of the
// given sizes, read back from its ring as the fuzz input format.
func validTraffic(f *testing.F, sizes []int) []byte {
	a, _, err := NewPair(64, Config{})
	if err != nil {
		f.Fatal(err)
	}
	for i, n := range sizes {
		if err := a.TryPost(uint16(i), make([]byte, n)); err != nil {
			f.Fatal(err)
		}
	}
	var out []byte
	for _, s := range a.tx.ring[:a.tx.seq] {
		for _, w := range s {
			out = binary.LittleEndian.AppendUint64(out, w)
		}
	}
	return out
}
