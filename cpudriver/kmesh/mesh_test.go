package kmesh

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"multikernel/urpc"
)

// world is a host machine of n cores: frames in Go memory, a Doorbell per
// core as its notification bell.
type world struct {
	frames map[[2]int][]byte
	bells  []*urpc.Doorbell
	up     []atomic.Bool
}

func newWorld(n int) *world {
	w := &world{frames: map[[2]int][]byte{}, bells: make([]*urpc.Doorbell, n), up: make([]atomic.Bool, n)}
	for i := 0; i < n; i++ {
		w.bells[i] = urpc.NewDoorbell()
		w.up[i].Store(true)
		for j := i + 1; j < n; j++ {
			w.frames[[2]int{i, j}] = urpc.NewRegion(30)
		}
	}
	return w
}

func (w *world) frame(i, j int) []byte { return w.frames[[2]int{min(i, j), max(i, j)}] }

// core is one core's Machine in w.
type core struct {
	w    *world
	self int
}

func (c core) Self() int             { return c.self }
func (c core) Cores() int            { return len(c.w.bells) }
func (c core) Frame(peer int) []byte { return c.w.frame(c.self, peer) }
func (c core) Up(peer int) bool      { return c.w.up[peer].Load() }
func (c core) Notify(peer int) bool  { c.w.bells[peer].Notify(urpc.DataEvent); return true }

func hostClock() uint64 { return uint64(time.Now().UnixNano()) }

// mesh makes core c's mesh in w; serve starts its receive goroutine.
func (w *world) mesh(t *testing.T, c int, serve bool) *Mesh {
	t.Helper()
	m, err := newMesh(core{w, c}, w.bells[c], hostClock)
	if err != nil {
		t.Fatal(err)
	}
	if serve {
		go m.serve()
	}
	return m
}

func TestPingEveryPair(t *testing.T) {
	const n = 4
	w := newWorld(n)
	ms := make([]*Mesh, n)
	for c := range ms {
		ms[c] = w.mesh(t, c, true)
		if got := ms[c].Channels(); got != n-1 {
			t.Fatalf("core %d: %d channels, want %d", c, got, n-1)
		}
	}
	for i := range ms {
		for j := range ms {
			if i == j {
				continue
			}
			if _, err := ms[i].Ping(j, 5*time.Second); err != nil {
				t.Errorf("%d -> %d: %v", i, j, err)
			}
		}
	}
	for c, m := range ms {
		if r := m.Stats.Refusals(); r != 0 {
			t.Errorf("core %d: %d refusals", c, r)
		}
	}
}

func TestSendToSelfOrDownPeer(t *testing.T) {
	w := newWorld(3)
	m := w.mesh(t, 0, true)
	w.up[2].Store(false)
	for _, c := range []int{0, 2, 3, -1} {
		if err := m.Send(c, Pong, make([]byte, pongSize)); !errors.Is(err, ErrDown) {
			t.Errorf("send to %d: %v, want ErrDown", c, err)
		}
	}
	if got := m.Stats.Refused[down].Load(); got != 4 {
		t.Errorf("%d sends counted down, want 4", got)
	}
	if err := m.Send(1, Pong, make([]byte, pongSize+1)); err == nil {
		t.Error("a pong of the wrong length was sent")
	}
}

func TestFullRingIsAnError(t *testing.T) {
	defer func(b time.Duration) { SendBound = b }(SendBound)
	SendBound = 20 * time.Millisecond
	w := newWorld(2)
	m := w.mesh(t, 0, true)
	w.mesh(t, 1, false) // up, but never receives
	sent := 0
	var err error
	for ; sent < 100; sent++ {
		if err = m.Send(1, Pong, make([]byte, pongSize)); err != nil {
			break
		}
	}
	if !errors.Is(err, ErrFull) || sent != 30 {
		t.Errorf("sent %d, then %v; want 30, then ErrFull", sent, err)
	}
}

// raw returns side c's bare endpoint of the channel between c and peer,
// for a test that plays a hostile peer.
func (w *world) raw(t *testing.T, c, peer int) *urpc.Endpoint {
	t.Helper()
	side := urpc.SideA
	if c > peer {
		side = urpc.SideB
	}
	ep, err := urpc.New(w.frame(c, peer), side, urpc.Config{Notifier: w.bells[peer], Sleeper: w.bells[c], MaxMessage: 64})
	if err != nil {
		t.Fatal(err)
	}
	return ep
}

func TestHostileMessagesAreCounted(t *testing.T) {
	w := newWorld(2)
	m := w.mesh(t, 0, true)
	ep := w.raw(t, 1, 0)
	bad := []struct {
		typ  uint16
		data []byte
		r    reason
	}{
		{0, nil, badType},
		{999, make([]byte, 8), badType},
		{uint16(Ping), make([]byte, pingSize-1), badLength},
		{uint16(Ping), bytesOf(ping{seq: 1, poll: time.Hour}.encode()), badFields},
	}
	for _, b := range bad {
		if err := ep.Send(b.typ, b.data); err != nil {
			t.Fatal(err)
		}
	}
	// A good ping after them is still answered.
	if err := ep.Send(uint16(Ping), bytesOf(ping{seq: 7, tsc: 42}.encode())); err != nil {
		t.Fatal(err)
	}
	got, err := ep.Recv()
	if err != nil || Type(got.Type) != Pong {
		t.Fatalf("answer %v, %v; want a pong", got, err)
	}
	if seq, tsc := decodePong(got.Data); seq != 7 || tsc != 42 {
		t.Errorf("pong %d %d, want 7 42", seq, tsc)
	}
	for _, r := range []reason{badType, badLength, badFields} {
		want := uint64(0)
		for _, b := range bad {
			if b.r == r {
				want++
			}
		}
		if n := m.Stats.Refused[r].Load(); n != want {
			t.Errorf("%s: counted %d, want %d", reasonText[r], n, want)
		}
	}
}

func TestNoHandlerIsCounted(t *testing.T) {
	w := newWorld(2)
	m := w.mesh(t, 0, false)
	m.handlers[Pong].Store(nil)
	m.dispatch(1, urpc.Message{Type: uint16(Pong), Data: make([]byte, pongSize)})
	if n := m.Stats.Refused[noHandler].Load(); n != 1 {
		t.Errorf("noHandler counted %d, want 1", n)
	}
}

func TestMalformedChannelIsCutOff(t *testing.T) {
	w := newWorld(3)
	m := w.mesh(t, 0, true)
	w.mesh(t, 2, true)
	// Core 1 (side B) writes a first slot on ring B->A whose header has
	// every bit set.
	f := w.frame(0, 1)
	ringBA := 4 + (len(f)/urpc.LineSize-4)/2
	atomic.StoreUint64((*uint64)(unsafe.Pointer(&f[ringBA*urpc.LineSize+56])), ^uint64(0))
	w.bells[0].Notify(urpc.DataEvent)
	deadline := time.Now().Add(5 * time.Second)
	for m.Stats.Refused[broken].Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if m.Stats.Refused[broken].Load() != 1 {
		t.Fatal("the malformed channel was not cut off")
	}
	if err := m.Send(1, Pong, make([]byte, pongSize)); !errors.Is(err, ErrBroken) {
		t.Errorf("send on a cut-off channel: %v", err)
	}
	if _, err := m.Ping(2, 5*time.Second); err != nil {
		t.Errorf("the other channel stopped working: %v", err)
	}
}

func TestBench(t *testing.T) {
	w := newWorld(2)
	m := w.mesh(t, 0, true)
	w.mesh(t, 1, true)
	r, err := m.Bench(1, 20, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if r.Rounds != 20 || r.Polling <= 0 {
		t.Errorf("bench %+v", r)
	}
}

func bytesOf(b [pingSize]byte) []byte { return b[:] }

// TestSendAllocatesNothing: a ping sent and its pong handled cost no
// heap allocation on the sending core (the kernel's hot paths must not
// feed its garbage collector).
func TestSendAllocatesNothing(t *testing.T) {
	w := newWorld(2)
	m := w.mesh(t, 0, false)
	ep := w.raw(t, 1, 0)
	b := encodePong(1, 2)
	allocs := testing.AllocsPerRun(100, func() {
		if err := m.Send(1, Pong, b[:]); err != nil {
			t.Fatal(err)
		}
		if _, err := ep.Recv(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per send", allocs)
	}
}

// TestPollRequestIsBounded: a ping's request to poll lasts until the
// receive goroutine sleeps, a ping asking to sleep ends it, and this
// core's own setting stays.
func TestPollRequestIsBounded(t *testing.T) {
	w := newWorld(2)
	m := w.mesh(t, 0, false)
	ask := func(d time.Duration) {
		b := ping{seq: 1, poll: d}.encode()
		m.dispatch(1, urpc.Message{Type: uint16(Ping), Data: b[:]})
	}
	ask(maxPingPoll)
	if got := m.pollTime(); got != maxPingPoll {
		t.Errorf("poll time %v after a request for %v", got, maxPingPoll)
	}
	m.slept = true
	if got := m.pollTime(); got != -1 {
		t.Errorf("poll time %v after a sleep, want -1", got)
	}
	ask(maxPingPoll)
	ask(-1)
	if got := m.pollTime(); got != -1 {
		t.Errorf("poll time %v after a request to sleep, want -1", got)
	}
	m.SetPollTime(2 * maxPingPoll)
	ask(maxPingPoll)
	if got := m.pollTime(); got != 2*maxPingPoll {
		t.Errorf("poll time %v, want this core's own %v", got, 2*maxPingPoll)
	}
}

// TestDrainBesideServe has Drain called again and again beside the
// receive goroutine while three cores send to one: every message is
// handled exactly once, by one or the other, and Drain alone (no receive
// goroutine) empties the rings too.
func TestDrainBesideServe(t *testing.T) {
	for _, serve := range []bool{true, false} {
		w := newWorld(4)
		dst := w.mesh(t, 0, serve)
		var got [4]atomic.Int64
		dst.Handle(SpanShot, func(from int, m urpc.Message) error {
			if int(m.Data[0]) != from {
				return fmt.Errorf("message from %d says %d", from, m.Data[0])
			}
			got[from].Add(1)
			return nil
		})
		const each = 3000
		stop := make(chan struct{})
		drained := make(chan struct{})
		go func() {
			defer close(drained)
			for {
				select {
				case <-stop:
					dst.Drain()
					return
				default:
					dst.Drain()
				}
			}
		}()
		var wg sync.WaitGroup
		for c := 1; c < 4; c++ {
			src := w.mesh(t, c, true)
			wg.Go(func() {
				b := make([]byte, SpanSize)
				b[0] = byte(c)
				for i := 0; i < each; {
					if err := src.SendNow(0, SpanShot, b); err == nil {
						i++
					} else if !errors.Is(err, ErrFull) {
						t.Errorf("core %d: %v", c, err)
						return
					}
				}
			})
		}
		wg.Wait()
		deadline := time.Now().Add(10 * time.Second)
		for c := 1; c < 4 && time.Now().Before(deadline); {
			if got[c].Load() == each {
				c++
				continue
			}
			time.Sleep(time.Millisecond)
		}
		close(stop)
		<-drained
		for c := 1; c < 4; c++ {
			if n := got[c].Load(); n != each {
				t.Errorf("serve %v: core %d: %d handled, want %d", serve, c, n, each)
			}
		}
		if r := dst.Stats.Refusals(); r != 0 {
			t.Errorf("serve %v: %d refusals", serve, r)
		}
	}
}
