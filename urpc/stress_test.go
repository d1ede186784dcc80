package urpc_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"multikernel/urpc"
)

// stressCount returns how many messages each direction carries.
func stressCount(full uint64) uint64 {
	switch {
	case raceEnabled:
		return full / 100
	case testing.Short():
		return full / 10
	}
	return full
}

// exchange is one party of a bidirectional stress run on a pinned thread: it
// sends count messages while receiving count, never blocking while it still
// has something to send, and checks every message it receives.
func exchange(ep *urpc.Endpoint, cpu int, count uint64, maxLen int) error {
	if err := pinThread(cpu); err != nil {
		return err
	}
	buf := make([]byte, maxLen)
	var sent, got uint64
	for sent < count || got < count {
		for k := 0; k < 32 && sent < count; k++ {
			err := ep.TryPost(uint16(sent), fillPattern(buf, sent, maxLen))
			if errors.Is(err, urpc.ErrWouldBlock) {
				break
			}
			if err != nil {
				return fmt.Errorf("send %d: %w", sent, err)
			}
			sent++
		}
		ep.Flush()
		recv := ep.TryRecv
		if sent == count {
			recv = ep.Recv // nothing left to send: sleeping is safe
		}
		for got < count {
			m, err := recv()
			if errors.Is(err, urpc.ErrWouldBlock) {
				break
			}
			if err != nil {
				return fmt.Errorf("receive %d: %w", got, err)
			}
			if err := checkPattern(m, got, maxLen); err != nil {
				return err
			}
			got++
		}
	}
	return nil
}

// runBoth runs f for side A and side B concurrently and fails the test on an
// error or if they do not finish within limit.
func runBoth(t *testing.T, limit time.Duration, fa, fb func() error) {
	t.Helper()
	errc := make(chan error, 2)
	go func() { errc <- fa() }()
	go func() { errc <- fb() }()
	timeout := time.After(limit)
	for range 2 {
		select {
		case err := <-errc:
			if err != nil {
				t.Fatal(err)
			}
		case <-timeout:
			t.Fatalf("no progress after %v: deadlock or lost wake-up", limit)
		}
	}
}

// TestStressBidirectional moves tens of millions of messages (fewer with
// -short or -race) in both directions at once between two pinned threads
// and checks for loss, duplication, reordering and torn payloads.
func TestStressBidirectional(t *testing.T) {
	count := stressCount(10_000_000)
	const maxLen = 8 * urpc.PayloadSize
	a, b := newPair(t, 63, urpc.Config{})
	ca, cb := twoCPUs(t)
	start := time.Now()
	runBoth(t, 2*time.Minute,
		func() error { return exchange(a, ca, count, maxLen) },
		func() error { return exchange(b, cb, count, maxLen) })
	d := time.Since(start)
	t.Logf("%d messages each way in %v (%.1f M msg/s both ways)", count, d, float64(2*count)/d.Seconds()/1e6)
}

// TestStressSleeping makes every wait sleep at once (no polling) on a
// two-slot ring, with separate sending and receiving goroutines on each
// side, so that nearly every message goes through the sleep and wake-up
// handshake. A lost wake-up shows as a timeout.
func TestStressSleeping(t *testing.T) {
	count := stressCount(400_000)
	const maxLen = 3 * urpc.PayloadSize
	a, b := newPair(t, 2, urpc.Config{PollTime: -1})
	send := func(ep *urpc.Endpoint) func() error {
		return func() error {
			buf := make([]byte, maxLen)
			for i := uint64(0); i < count; i++ {
				if err := ep.Send(uint16(i), fillPattern(buf, i, maxLen)); err != nil {
					return err
				}
			}
			return nil
		}
	}
	recv := func(ep *urpc.Endpoint) func() error {
		return func() error {
			for i := uint64(0); i < count; i++ {
				m, err := ep.Recv()
				if err != nil {
					return err
				}
				if err := checkPattern(m, i, maxLen); err != nil {
					return err
				}
			}
			return nil
		}
	}
	errc := make(chan error, 2)
	go func() { errc <- send(a)() }()
	go func() { errc <- send(b)() }()
	runBoth(t, 2*time.Minute, recv(a), recv(b))
	for range 2 {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
}
