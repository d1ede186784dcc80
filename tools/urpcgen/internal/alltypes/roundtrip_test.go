package alltypes

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"multikernel/urpc"
	"multikernel/urpc/stub"
)

// recorder is a Handler that reports every message it receives on got and
// serves the RPCs; during sync it first sends a message back to the caller.
type recorder struct {
	b   *Binding
	got chan []any
}

func (r *recorder) Unsigned(a uint8, b uint16, c uint32, d uint64) error {
	r.got <- []any{"unsigned", a, b, c, d}
	return nil
}

func (r *recorder) Signed(a int8, b int16, c int32, d int64, flag bool) error {
	r.got <- []any{"signed", a, b, c, d, flag}
	return nil
}

func (r *recorder) Empty() error {
	r.got <- []any{"empty"}
	return nil
}

func (r *recorder) Arrays(small [3]uint8, pair [2]int16, words [33]uint64, bits [2]bool) error {
	r.got <- []any{"arrays", small, pair, words, bits}
	return nil
}

func (r *recorder) Bounded(shortText string, blob []byte, longText string) error {
	r.got <- []any{"bounded", shortText, blob, longText}
	return nil
}

func (r *recorder) Add(x, y int32) (int64, bool, error) {
	sum := int64(x) + int64(y)
	return sum, sum != int64(int32(sum)), nil
}

func (r *recorder) Sync() error {
	return r.b.SendSigned(-1, -2, -3, -4, true) // dispatched by the caller while it waits
}

func (r *recorder) Fail(please bool) (uint8, error) {
	if please {
		return 0, errors.New("asked to fail")
	}
	return 7, nil
}

// pair returns a client and a server Binding over a real urpc channel; the
// server dispatches on its own goroutine until the test ends.
func pair(t *testing.T) (client *Binding, fromClient, fromServer chan []any) {
	ea, eb, err := urpc.NewPair(4, urpc.Config{MaxMessage: MaxMessage})
	if err != nil {
		t.Fatal(err)
	}
	cr := &recorder{got: make(chan []any, 16)}
	sr := &recorder{got: make(chan []any, 16)}
	client, server := NewBinding(ea, cr), NewBinding(eb, sr)
	cr.b, sr.b = client, server
	done := make(chan error, 1)
	go func() {
		for {
			if err := server.Next(); err != nil {
				done <- err
				return
			}
		}
	}()
	t.Cleanup(func() {
		select {
		case err := <-done:
			t.Errorf("server stopped: %v", err)
		default:
		}
	})
	return client, sr.got, cr.got
}

// TestRoundTrip sends every declared message and calls every RPC through a
// real channel and checks what arrives.
func TestRoundTrip(t *testing.T) {
	c, fromClient, fromServer := pair(t)
	var words [33]uint64
	for i := range words {
		words[i] = uint64(i) * 0x0101010101010101
	}
	long := strings.Repeat("xyz", 23000)
	sends := []struct {
		send func() error
		want []any
	}{
		{func() error { return c.SendUnsigned(0xfe, 0xfedc, 0xfedcba98, 0xfedcba9876543210) },
			[]any{"unsigned", uint8(0xfe), uint16(0xfedc), uint32(0xfedcba98), uint64(0xfedcba9876543210)}},
		{func() error { return c.SendSigned(-128, -32768, -1<<31, -1<<63, true) },
			[]any{"signed", int8(-128), int16(-32768), int32(-1 << 31), int64(-1 << 63), true}},
		{c.SendEmpty, []any{"empty"}},
		{func() error { return c.SendArrays([3]uint8{1, 2, 3}, [2]int16{-5, 5}, words, [2]bool{true, false}) },
			[]any{"arrays", [3]uint8{1, 2, 3}, [2]int16{-5, 5}, words, [2]bool{true, false}}},
		{func() error { return c.SendBounded("ten bytes!", bytes.Repeat([]byte{9}, 300), long) },
			[]any{"bounded", "ten bytes!", bytes.Repeat([]byte{9}, 300), long}},
		{func() error { return c.SendBounded("", nil, "") }, []any{"bounded", "", []byte(nil), ""}},
	}
	for _, s := range sends {
		if err := s.send(); err != nil {
			t.Fatalf("send %v: %v", s.want[0], err)
		}
		if got := <-fromClient; !reflect.DeepEqual(got, s.want) {
			t.Fatalf("sent %.200v\nreceived %.200v", s.want, got)
		}
	}
	if sum, overflow, err := c.Add(1<<31-1, 1); err != nil || sum != 1<<31 || !overflow {
		t.Errorf("Add: %d %v %v", sum, overflow, err)
	}
	if err := c.Sync(); err != nil {
		t.Errorf("Sync: %v", err)
	}
	if got := <-fromServer; !reflect.DeepEqual(got, []any{"signed", int8(-1), int16(-2), int32(-3), int64(-4), true}) {
		t.Errorf("message dispatched during Sync: %v", got)
	}
	if v, err := c.Fail(false); err != nil || v != 7 {
		t.Errorf("Fail(false): %d %v", v, err)
	}
	var re *stub.RemoteError
	if _, err := c.Fail(true); !errors.As(err, &re) || re.Text != "asked to fail" {
		t.Errorf("Fail(true): %v, want a RemoteError", err)
	}
}

// TestBoundsEnforced checks that a string over its bound is refused by the
// sender and nothing is sent.
func TestBoundsEnforced(t *testing.T) {
	c, fromClient, _ := pair(t)
	if err := c.SendBounded("eleven bytes", nil, ""); err == nil {
		t.Fatal("an 11-byte string<10> was sent")
	}
	if err := c.SendEmpty(); err != nil {
		t.Fatal(err)
	}
	if got := <-fromClient; got[0] != "empty" {
		t.Fatalf("received %v, want only the empty message", got)
	}
}

// FuzzDispatch hands arbitrary messages to the dispatcher: it must never
// panic and must reject what does not match the interface.
func FuzzDispatch(f *testing.F) {
	f.Add(uint16(TypeUnsigned), []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	f.Add(uint16(TypeSigned), []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 2})
	f.Add(uint16(TypeBounded), []byte{3, 'a', 'b', 'c', 0, 0, 0, 0, 0, 0})
	f.Add(uint16(TypeAddCall), []byte{1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0})
	f.Add(uint16(TypeFailResponse), []byte{1, 0, 0, 0, 0, 7})
	f.Add(uint16(999), []byte{})
	f.Fuzz(func(t *testing.T, typ uint16, data []byte) {
		ea, _, err := urpc.NewPair(8, urpc.Config{MaxMessage: MaxMessage})
		if err != nil {
			t.Fatal(err)
		}
		r := &recorder{got: make(chan []any, 1)}
		b := NewBinding(ea, r)
		r.b = b
		err = b.Dispatch(urpc.Message{Type: typ, Data: data})
		var de *stub.DecodeError
		var ue *stub.UnexpectedError
		if err != nil && !errors.As(err, &de) && !errors.As(err, &ue) {
			t.Fatalf("Dispatch(%d, %x): unexpected error %v", typ, data, err)
		}
	})
}
