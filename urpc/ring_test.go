package urpc_test

import (
	"bytes"
	"errors"
	"testing"

	"multikernel/urpc"
)

// TestWrapAround sends messages of every size class through tiny rings, in
// batches of every size that fits, across many passes over the ring.
func TestWrapAround(t *testing.T) {
	for _, slots := range []int{1, 2, 3, 5, 8, 13} {
		a, b := newPair(t, slots, urpc.Config{})
		buf := make([]byte, urpc.DefaultMaxMessage)
		var sent, got uint64
		for round := 0; round < 300; round++ {
			batch := 1 + round%slots
			for k := 0; k < batch; k++ {
				m := fillPattern(buf, sent, slots*urpc.PayloadSize)
				err := a.TryPost(uint16(sent), m)
				if errors.Is(err, urpc.ErrWouldBlock) {
					break
				}
				if err != nil {
					t.Fatalf("slots %d: TryPost %d: %v", slots, sent, err)
				}
				sent++
			}
			a.Flush()
			for got < sent {
				m, err := b.TryRecv()
				if err != nil {
					t.Fatalf("slots %d: TryRecv %d: %v", slots, got, err)
				}
				if err := checkPattern(m, got, slots*urpc.PayloadSize); err != nil {
					t.Fatalf("slots %d: %v", slots, err)
				}
				got++
			}
		}
		if sent < uint64(3*slots) {
			t.Fatalf("slots %d: only %d messages went through: the ring never wrapped", slots, sent)
		}
	}
}

// TestFullRing checks that a full ring refuses whole messages, keeps its
// unread slots intact, and takes messages again once the receiver acked.
func TestFullRing(t *testing.T) {
	const slots = 8
	a, b := newPair(t, slots, urpc.Config{})
	one := []byte("one slot")
	for i := 0; i < slots; i++ {
		if err := a.TryPost(uint16(i), one); err != nil {
			t.Fatalf("TryPost %d into a ring with room: %v", i, err)
		}
	}
	if err := a.TryPost(99, one); !errors.Is(err, urpc.ErrWouldBlock) {
		t.Fatalf("TryPost into a full ring: %v, want ErrWouldBlock", err)
	}
	// Two slots consumed and acked (the receiver acks every slots/4 = 2).
	for i := 0; i < 2; i++ {
		if m, err := b.TryRecv(); err != nil || m.Type != uint16(i) {
			t.Fatalf("TryRecv %d: type %d, %v", i, m.Type, err)
		}
	}
	big := bytes.Repeat([]byte{7}, 3*urpc.PayloadSize)
	if err := a.TryPost(100, big); !errors.Is(err, urpc.ErrWouldBlock) {
		t.Fatalf("TryPost of 3 slots with 2 free: %v, want ErrWouldBlock", err)
	}
	if err := a.TryPost(101, big[:2*urpc.PayloadSize]); err != nil {
		t.Fatalf("TryPost of 2 slots with 2 free: %v", err)
	}
	for i := 2; i < slots; i++ {
		if m, err := b.TryRecv(); err != nil || m.Type != uint16(i) || !bytes.Equal(m.Data, one) {
			t.Fatalf("TryRecv %d: %d %q %v", i, m.Type, m.Data, err)
		}
	}
	if m, err := b.TryRecv(); err != nil || m.Type != 101 || len(m.Data) != 2*urpc.PayloadSize {
		t.Fatalf("TryRecv of the 2-slot message: %d, %d bytes, %v", m.Type, len(m.Data), err)
	}
	if _, err := b.TryRecv(); !errors.Is(err, urpc.ErrWouldBlock) {
		t.Fatalf("TryRecv of an empty ring: %v, want ErrWouldBlock", err)
	}
}

// TestTooLarge checks the length limits.
func TestTooLarge(t *testing.T) {
	a, _ := newPair(t, 4, urpc.Config{MaxMessage: 1000})
	if err := a.Send(1, make([]byte, 1001)); !errors.Is(err, urpc.ErrTooLarge) {
		t.Fatalf("Send over MaxMessage: %v, want ErrTooLarge", err)
	}
	if err := a.TryPost(1, make([]byte, 5*urpc.PayloadSize)); !errors.Is(err, urpc.ErrTooLarge) {
		t.Fatalf("TryPost of more slots than the ring: %v, want ErrTooLarge", err)
	}
	if _, _, err := urpc.NewPair(4, urpc.Config{MaxMessage: urpc.MaxMessageLimit + 1}); err == nil {
		t.Fatal("NewPair accepted MaxMessage over the limit")
	}
}

// TestNewChecksRegion checks that bad regions are refused with an error.
func TestNewChecksRegion(t *testing.T) {
	cfg := urpc.Config{Notifier: urpc.NewDoorbell(), Sleeper: urpc.NewDoorbell()}
	good := urpc.NewRegion(4)
	for name, mem := range map[string][]byte{
		"empty":     nil,
		"too small": good[:urpc.RegionSize(1)-urpc.LineSize],
		"ragged":    good[:len(good)-1],
		"unaligned": good[8 : 8+urpc.RegionSize(2)],
	} {
		if _, err := urpc.New(mem, urpc.SideA, cfg); err == nil {
			t.Errorf("%s region accepted", name)
		}
	}
	if _, err := urpc.New(good, urpc.SideB+1, cfg); err == nil {
		t.Error("bad side accepted")
	}
	if _, err := urpc.New(good, urpc.SideA, urpc.Config{}); err == nil {
		t.Error("config without hooks accepted")
	}
	e, err := urpc.New(good, urpc.SideA, cfg)
	if err != nil || e.Slots() != 4 {
		t.Fatalf("New: %v, %d slots", err, e.Slots())
	}
}

// TestLargeMessages sends messages many times longer than the ring, which
// only works if the receiver consumes and acks fragments as they arrive.
func TestLargeMessages(t *testing.T) {
	a, b := newPair(t, 2, urpc.Config{MaxMessage: 1 << 20})
	sizes := []int{0, 1, 55, 56, 57, 112, 113, 4096, 1 << 20}
	errc := make(chan error, 1)
	go func() {
		for i, n := range sizes {
			if err := a.Send(uint16(i), bytes.Repeat([]byte{byte(i + 1)}, n)); err != nil {
				errc <- err
				return
			}
		}
		errc <- nil
	}()
	for i, n := range sizes {
		m, err := b.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if m.Type != uint16(i) || !bytes.Equal(m.Data, bytes.Repeat([]byte{byte(i + 1)}, n)) {
			t.Fatalf("message %d: type %d, %d bytes, want %d bytes of %d", i, m.Type, len(m.Data), n, i+1)
		}
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}
