package urpc_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"multikernel/urpc"
)

// countingBell is a Doorbell that counts the Sleeps it was asked for.
type countingBell struct {
	*urpc.Doorbell
	sleeps atomic.Int64
}

func (c *countingBell) Sleep(ev urpc.Event) {
	c.sleeps.Add(1)
	c.Doorbell.Sleep(ev)
}

// fanIn returns n channels of slots slots whose receiving endpoints (side B)
// are in one Waitset, and their peers (side A). As on the host in general,
// each party has one Doorbell: the waitset's owner sleeps on bell, which is
// every peer's Notifier, and each peer sleeps on a Doorbell of its own.
// The waitset and its endpoints use PollTime poll; the peers sleep at once
// (PollTime -1) so that the tests do not need a core per goroutine. fanIn
// also returns the regions, for tests that corrupt them.
func fanIn(t *testing.T, n, slots int, poll time.Duration, bell *countingBell) (*urpc.Waitset, []*urpc.Endpoint, [][]byte) {
	t.Helper()
	ws := urpc.NewWaitset(bell, poll)
	var peers []*urpc.Endpoint
	var mems [][]byte
	for i := 0; i < n; i++ {
		mem := urpc.NewRegion(slots)
		peerBell := urpc.NewDoorbell()
		peer, err := urpc.New(mem, urpc.SideA, urpc.Config{Notifier: bell, Sleeper: peerBell, PollTime: -1})
		if err != nil {
			t.Fatal(err)
		}
		own, err := urpc.New(mem, urpc.SideB, urpc.Config{Notifier: peerBell, Sleeper: bell, PollTime: poll})
		if err != nil {
			t.Fatal(err)
		}
		if got := ws.Add(own); got != i || ws.Endpoint(i) != own {
			t.Fatalf("Add returned index %d, want %d", got, i)
		}
		peers, mems = append(peers, peer), append(mems, mem)
	}
	if ws.Len() != n {
		t.Fatalf("Len %d, want %d", ws.Len(), n)
	}
	return ws, peers, mems
}

// sendPattern sends messages 0..count-1 of the test pattern on ep, flushing
// after two of every three so that batches of Posts occur too.
func sendPattern(ep *urpc.Endpoint, count uint64, maxLen int) error {
	buf := make([]byte, maxLen)
	for i := uint64(0); i < count; i++ {
		if err := ep.Post(uint16(i), fillPattern(buf, i, maxLen)); err != nil {
			return fmt.Errorf("send %d: %w", i, err)
		}
		if i%3 != 0 || i == count-1 {
			ep.Flush()
		}
	}
	return nil
}

// sendAll runs sendPattern on every endpoint of peers at once.
func sendAll(peers []*urpc.Endpoint, count uint64, maxLen int) error {
	var wg sync.WaitGroup
	errs := make([]error, len(peers))
	for i, ep := range peers {
		wg.Go(func() { errs[i] = sendPattern(ep, count, maxLen) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// TestWaitsetStress has 8 senders stream messages of one and several slots
// into one receiver that waits on all of them with a Waitset, and checks
// every endpoint's stream for loss, duplication, reordering and torn
// payloads. With PollTime -1 every Wait that finds nothing sleeps, and so
// does every sender that finds its two-slot ring full, so the sleep and
// wake-up handshakes run all the time; a lost wake-up shows as a timeout.
func TestWaitsetStress(t *testing.T) {
	const n, maxLen = 8, 4 * urpc.PayloadSize
	for _, tc := range []struct {
		name  string
		poll  time.Duration
		slots int
		first bool // Poll first, Wait only when Poll finds nothing
	}{
		{"poll", 0, 8, false},
		{"sleep", -1, 2, false},
		{"Poll-then-sleep", -1, 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bell := &countingBell{Doorbell: urpc.NewDoorbell()}
			count := stressCount(200_000)
			ws, peers, _ := fanIn(t, n, tc.slots, tc.poll, bell)
			var waits, partial uint64
			recv := func() error {
				got := make([]uint64, n)
				for total := uint64(0); total < n*count; {
					var i int
					var err error
					ok := false
					if tc.first {
						i, ok, err = ws.Poll()
						if !ok {
							ws.Ack()
						}
					}
					if !ok {
						i, err = ws.Wait()
						waits++
					}
					if err != nil {
						return fmt.Errorf("Wait: endpoint %d: %w", i, err)
					}
					m, err := ws.Endpoint(i).TryRecv()
					if errors.Is(err, urpc.ErrWouldBlock) {
						partial++
						continue
					}
					if err != nil {
						return fmt.Errorf("endpoint %d: receive %d: %w", i, got[i], err)
					}
					if got[i] == count {
						return fmt.Errorf("endpoint %d: message beyond the %d sent", i, count)
					}
					if err := checkPattern(m, got[i], maxLen); err != nil {
						return fmt.Errorf("endpoint %d: %w", i, err)
					}
					got[i]++
					total++
				}
				for i := range n {
					if _, err := ws.Endpoint(i).TryRecv(); !errors.Is(err, urpc.ErrWouldBlock) {
						return fmt.Errorf("endpoint %d: after the last message TryRecv gave %v", i, err)
					}
				}
				return nil
			}
			start := time.Now()
			runBoth(t, time.Minute, recv, func() error { return sendAll(peers, count, maxLen) })
			d := time.Since(start)
			t.Logf("%d × %d messages in %v (%.2f M msg/s): %d Waits, %d partial, %d sleeps",
				n, count, d, float64(n*count)/d.Seconds()/1e6, waits, partial, bell.sleeps.Load())
			if tc.poll < 0 && bell.sleeps.Load() == 0 {
				t.Fatal("with PollTime -1 the waitset never slept")
			}
		})
	}
}

// TestWaitsetMalformed writes a malformed slot into one endpoint's ring
// after valid messages and checks that Wait reports it once, with that
// endpoint's index, after those messages, and that the other endpoints'
// traffic goes on.
func TestWaitsetMalformed(t *testing.T) {
	const n, bad, valid, slots, maxLen = 4, 2, 3, 8, 4 * urpc.PayloadSize
	count := stressCount(20_000)
	bell := &countingBell{Doorbell: urpc.NewDoorbell()}
	ws, peers, mems := fanIn(t, n, slots, 0, bell)
	for k := uint64(0); k < valid; k++ {
		if err := peers[bad].TryPost(uint16(k), fillPattern(make([]byte, 8), k, 8)); err != nil {
			t.Fatal(err)
		}
	}
	// Slot 3 of ring A→B (line 4+3): epoch 1, type 1, length 8, but
	// sequence byte 9 where 3 belongs.
	binary.LittleEndian.PutUint64(mems[bad][(4+valid)*urpc.LineSize+56:], 1|1<<16|8<<32|9<<56)
	var broken error
	recv := func() error {
		got := make([]uint64, n)
		for total := uint64(0); total < (n-1)*count || broken == nil; {
			i, err := ws.Wait()
			if err != nil {
				var me *urpc.MalformedError
				switch {
				case i != bad:
					return fmt.Errorf("Wait reported %v for endpoint %d, want %d", err, i, bad)
				case !errors.As(err, &me):
					return fmt.Errorf("Wait reported %v, want a *MalformedError", err)
				case broken != nil:
					return fmt.Errorf("Wait reported the broken endpoint twice")
				case got[bad] != valid:
					return fmt.Errorf("error after %d of the %d valid messages", got[bad], valid)
				}
				broken = err
				continue
			}
			if i == bad && got[bad] == valid {
				return fmt.Errorf("Wait returned the broken endpoint without its error")
			}
			m, err := ws.Endpoint(i).TryRecv()
			if errors.Is(err, urpc.ErrWouldBlock) {
				continue
			}
			if err != nil {
				return fmt.Errorf("endpoint %d: %w", i, err)
			}
			max := maxLen
			if i == bad {
				max = 8
			}
			if err := checkPattern(m, got[i], max); err != nil {
				return fmt.Errorf("endpoint %d: %w", i, err)
			}
			got[i]++
			if i != bad {
				total++
			}
		}
		return nil
	}
	send := func() error {
		var others []*urpc.Endpoint
		for i, p := range peers {
			if i != bad {
				others = append(others, p)
			}
		}
		return sendAll(others, count, maxLen)
	}
	runBoth(t, time.Minute, recv, send)
	if _, err := ws.Endpoint(bad).TryRecv(); err != broken {
		t.Fatalf("TryRecv on the broken endpoint: %v, want the sticky %v", err, broken)
	}
}

// TestWaitsetFair keeps one endpoint's ring full at every Wait and checks
// that a message on the other endpoint is still returned by the first or
// second Wait after it was sent.
func TestWaitsetFair(t *testing.T) {
	ws, peers, _ := fanIn(t, 2, 8, 0, &countingBell{Doorbell: urpc.NewDoorbell()})
	busy, quiet := peers[0], peers[1]
	fill := func() {
		for busy.TryPost(1000, []byte("busy")) == nil {
		}
		busy.Flush()
	}
	fill()
	for round := 0; round < 100; round++ {
		if err := quiet.Send(uint16(round), []byte("quiet")); err != nil {
			t.Fatal(err)
		}
		for waits := 1; ; waits++ {
			if waits > 2 {
				t.Fatalf("round %d: the quiet endpoint's message was not returned within 2 Waits", round)
			}
			i, err := ws.Wait()
			if err != nil {
				t.Fatal(err)
			}
			m, err := ws.Endpoint(i).TryRecv()
			if err != nil {
				t.Fatalf("round %d: endpoint %d: %v", round, i, err)
			}
			if i == 1 {
				if m.Type != uint16(round) {
					t.Fatalf("round %d: quiet message type %d", round, m.Type)
				}
				break
			}
			fill()
		}
	}
}

// TestWaitsetSleeps checks that a Wait with nothing pending sleeps (once),
// after acking what it consumed so that its peer has full credit, and that
// a later Send wakes it with the right index.
func TestWaitsetSleeps(t *testing.T) {
	bell := &countingBell{Doorbell: urpc.NewDoorbell()}
	ws, peers, _ := fanIn(t, 3, 8, 0, bell)
	// One consumed slot, below the ack batch of 8/4: only the ack before
	// sleeping gives the peer back the whole ring.
	if err := peers[2].Send(1, []byte("first")); err != nil {
		t.Fatal(err)
	}
	if i, err := ws.Wait(); i != 2 || err != nil {
		t.Fatalf("Wait: %d, %v; want 2", i, err)
	}
	if m, err := ws.Endpoint(2).TryRecv(); err != nil || string(m.Data) != "first" {
		t.Fatalf("TryRecv: %q, %v", m.Data, err)
	}
	type result struct {
		i   int
		err error
	}
	done := make(chan result, 1)
	go func() {
		i, err := ws.Wait()
		done <- result{i, err}
	}()
	for deadline := time.Now().Add(10 * time.Second); bell.sleeps.Load() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("Wait with nothing pending never slept")
		}
	}
	select {
	case r := <-done:
		t.Fatalf("Wait with nothing pending returned %d, %v", r.i, r.err)
	case <-time.After(10 * time.Millisecond):
	}
	whole := make([]byte, 8*urpc.PayloadSize)
	if err := peers[2].TryPost(2, whole); err != nil {
		t.Fatalf("TryPost of a whole ring while the waitset sleeps: %v", err)
	}
	peers[2].Flush()
	select {
	case r := <-done:
		if r.i != 2 || r.err != nil {
			t.Fatalf("woken Wait: %d, %v; want 2", r.i, r.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the Send did not wake the sleeping Wait: lost wake-up")
	}
	if n := bell.sleeps.Load(); n != 1 {
		t.Fatalf("%d sleeps, want 1", n)
	}
	if m, err := ws.Endpoint(2).TryRecv(); err != nil || m.Type != 2 || len(m.Data) != len(whole) {
		t.Fatalf("TryRecv: type %d, %d bytes, %v", m.Type, len(m.Data), err)
	}
}

// TestWaitsetPingPong serves requests on several endpoints from the
// waitset's goroutine, which replies on the same endpoint, while one client
// sends each request on the next endpoint and sleeps for its reply. Every
// wait sleeps at once (PollTime -1) and only one message is in flight, so no
// other traffic hides a lost wake-up: it shows as a timeout.
func TestWaitsetPingPong(t *testing.T) {
	const n = 4
	rounds := stressCount(100_000)
	bell := &countingBell{Doorbell: urpc.NewDoorbell()}
	ws, peers, _ := fanIn(t, n, 4, -1, bell)
	server := func() error {
		for k := uint64(0); k < rounds; k++ {
			i, err := ws.Wait()
			if err != nil {
				return err
			}
			m, err := ws.Endpoint(i).TryRecv()
			if errors.Is(err, urpc.ErrWouldBlock) {
				k-- // a spurious wake-up
				continue
			}
			if err != nil {
				return err
			}
			if i != int(k%n) || m.Type != uint16(k) {
				return fmt.Errorf("request %d: endpoint %d, type %d", k, i, m.Type)
			}
			if err := ws.Endpoint(i).Send(m.Type, m.Data); err != nil {
				return err
			}
		}
		return nil
	}
	client := func() error {
		for k := uint64(0); k < rounds; k++ {
			ep := peers[k%n]
			if err := ep.Send(uint16(k), []byte("ping")); err != nil {
				return err
			}
			if m, err := ep.Recv(); err != nil || m.Type != uint16(k) {
				return fmt.Errorf("reply %d: type %d, %v", k, m.Type, err)
			}
		}
		return nil
	}
	runBoth(t, time.Minute, server, client)
	t.Logf("%d round trips, %d sleeps", rounds, bell.sleeps.Load())
}

// TestWaitsetDeadline checks that WaitUntil gives up at its deadline when
// nothing arrives, sleeping rather than spinning, and returns a message
// that arrives before it.
func TestWaitsetDeadline(t *testing.T) {
	mem := urpc.NewRegion(4)
	bell := urpc.NewDoorbell()
	a, err := urpc.New(mem, urpc.SideA, urpc.Config{Notifier: urpc.NewDoorbell(), Sleeper: urpc.NewDoorbell()})
	if err != nil {
		t.Fatal(err)
	}
	b, err := urpc.New(mem, urpc.SideB, urpc.Config{Notifier: bell, Sleeper: urpc.NewDoorbell()})
	if err != nil {
		t.Fatal(err)
	}
	w := urpc.NewWaitset(bell, time.Microsecond)
	w.Add(a)
	start := time.Now()
	if i, err := w.WaitUntil(start.Add(30 * time.Millisecond)); i != -1 || err != urpc.ErrTimeout {
		t.Fatalf("WaitUntil with nothing sent = %d, %v; want -1, urpc.ErrTimeout", i, err)
	}
	if d := time.Since(start); d < 30*time.Millisecond || d > 5*time.Second {
		t.Errorf("WaitUntil returned after %v, want about 30ms", d)
	}
	go func() {
		time.Sleep(10 * time.Millisecond)
		b.Send(7, []byte("late"))
	}()
	i, err := w.WaitUntil(time.Now().Add(10 * time.Second))
	if i != 0 || err != nil {
		t.Fatalf("WaitUntil with a message on its way = %d, %v", i, err)
	}
	if m, err := a.TryRecv(); err != nil || m.Type != 7 || string(m.Data) != "late" {
		t.Errorf("received %v, %v", m, err)
	}
}

// TestWaitsetRemove checks that a removed endpoint is no longer returned,
// that the others keep working with their new indices, and that removing
// an endpoint twice reports false.
func TestWaitsetRemove(t *testing.T) {
	bell := urpc.NewDoorbell()
	w := urpc.NewWaitset(bell, time.Microsecond)
	var ours, theirs []*urpc.Endpoint
	for i := 0; i < 3; i++ {
		mem := urpc.NewRegion(4)
		a, err := urpc.New(mem, urpc.SideA, urpc.Config{Notifier: urpc.NewDoorbell(), Sleeper: urpc.NewDoorbell()})
		if err != nil {
			t.Fatal(err)
		}
		b, err := urpc.New(mem, urpc.SideB, urpc.Config{Notifier: bell, Sleeper: urpc.NewDoorbell()})
		if err != nil {
			t.Fatal(err)
		}
		w.Add(a)
		ours, theirs = append(ours, a), append(theirs, b)
	}
	if !w.Remove(ours[1]) || w.Remove(ours[1]) || w.Len() != 2 {
		t.Fatalf("Remove: len %d", w.Len())
	}
	for i, b := range theirs {
		if err := b.Send(uint16(i), nil); err != nil {
			t.Fatal(err)
		}
	}
	got := map[uint16]bool{}
	for k := 0; k < 2; k++ {
		i, err := w.WaitUntil(time.Now().Add(5 * time.Second))
		if err != nil {
			t.Fatalf("WaitUntil: %d, %v", i, err)
		}
		m, err := w.Endpoint(i).TryRecv()
		if err != nil {
			t.Fatal(err)
		}
		got[m.Type] = true
	}
	if !got[0] || !got[2] {
		t.Errorf("received types %v, want 0 and 2", got)
	}
	if i, err := w.WaitUntil(time.Now().Add(20 * time.Millisecond)); err != urpc.ErrTimeout {
		t.Errorf("the removed endpoint's message came through: %d, %v", i, err)
	}
}
