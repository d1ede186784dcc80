package urpc

import (
	"bytes"
	"errors"
	"testing"
)

// TestFill checks that fill stores every length of a one-slot message
// byte for byte, zeroes the rest of its last word and leaves the other
// payload words and the header alone.
func TestFill(t *testing.T) {
	for n := 0; n <= PayloadSize; n++ {
		var s slot
		for w := range s {
			s[w] = 0xa5a5a5a5a5a5a5a5
		}
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(i + 1)
		}
		s.fill(data)
		p := s.payload()
		if !bytes.Equal(p[:n], data) {
			t.Fatalf("length %d: payload % x, want % x", n, p[:n], data)
		}
		end := (n + 7) / 8 * 8
		for i := n; i < end; i++ {
			if p[i] != 0 {
				t.Fatalf("length %d: byte %d is %#x, want 0", n, i, p[i])
			}
		}
		for i := end; i < PayloadSize; i++ {
			if p[i] != 0xa5 {
				t.Fatalf("length %d: byte %d past the last word changed to %#x", n, i, p[i])
			}
		}
		if s[7] != 0xa5a5a5a5a5a5a5a5 {
			t.Fatalf("length %d: header changed to %#x", n, s[7])
		}
	}
}

// TestShortMessages sends every length up to two slots, after a longer
// message filled the slot with other bytes, through Send, Post and
// TryPost, and receives each with Recv and TryRecv: the fast paths
// (one slot, within MaxMessage) and the slow ones must give the same
// messages. With MaxMessage under a slot, the lengths past it must be
// refused by the sender.
func TestShortMessages(t *testing.T) {
	for _, max := range []int{0, 20} {
		a, b, err := NewPair(4, Config{MaxMessage: max})
		if err != nil {
			t.Fatal(err)
		}
		limit := a.cfg.MaxMessage
		junk := bytes.Repeat([]byte{0xee}, min(limit, PayloadSize))
		for n := 0; n <= 2*PayloadSize; n++ {
			data := make([]byte, n)
			for i := range data {
				data[i] = byte(n + i)
			}
			for way := 0; way < 3; way++ {
				if err := a.Send(9, junk); err != nil {
					t.Fatal(err)
				}
				if _, err := b.Recv(); err != nil {
					t.Fatal(err)
				}
				switch way {
				case 0:
					err = a.Send(uint16(n), data)
				case 1:
					err = a.Post(uint16(n), data)
					a.Flush()
				case 2:
					err = a.TryPost(uint16(n), data)
				}
				if n > limit {
					if !errors.Is(err, ErrTooLarge) {
						t.Fatalf("max %d, length %d, way %d: %v, want ErrTooLarge", max, n, way, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("max %d, length %d, way %d: %v", max, n, way, err)
				}
				recv := b.Recv
				if way == 2 {
					recv = b.TryRecv
				}
				m, err := recv()
				if err != nil {
					t.Fatalf("max %d, length %d, way %d: receive: %v", max, n, way, err)
				}
				if m.Type != uint16(n) || !bytes.Equal(m.Data, data) || cap(m.Data) != len(m.Data) && n <= PayloadSize {
					t.Fatalf("max %d, length %d, way %d: got type %d % x (cap %d), want type %d % x",
						max, n, way, m.Type, m.Data, cap(m.Data), n, data)
				}
			}
		}
	}
}
