package kmesh

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// The latency benchmark (kmesh-bench): this core bounces pings off a
// peer, first with the peer's receive goroutine polling between messages,
// then with it sleeping at once after each, so that every ping must wake
// it with a notification IPI; in that mode each ping leaves the peer
// benchGap to get all the way into its sleep first. This core's receive
// goroutine polls throughout, and sends each next ping from the pong's
// handler, so a round trip is two hops and nothing else. One-way
// latencies: polling, half the polled round trip; sleeping, the sleeping
// round trip less the polled one-way trip of the pong.

const (
	benchWarm = 10                     // round trips not counted
	benchPoll = time.Millisecond       // the poll time of both ends while polling
	benchGap  = 200 * time.Microsecond // how long a sleeping peer gets to fall asleep
	benchSeq  = 1 << 63                // set in every benchmark ping's sequence
)

// BenchResult is one peer's figures, in TSC cycles of this core.
type BenchResult struct {
	Rounds   int   // round trips in each median
	Polling  int64 // one-way, peer polling
	Sleeping int64 // one-way, peer asleep (can come out below zero on a busy host)
}

// bench is the run in progress, if any; its pongs are handled on the
// receive goroutine, which sends the next ping.
type bench struct {
	mu   sync.Mutex // guards run and runs
	run  *benchRun
	runs uint64
}

// benchRun is one series of round trips to one peer.
type benchRun struct {
	peer         int
	poll, gap    time.Duration
	seq          uint64 // of the ping in flight
	warm, rounds int
	samples      []uint64
	err          error
	done         chan struct{}
}

// Bench measures the one-way latency to peer, rounds round trips in each
// mode after warm-up, each series given timeout. Not for the receive
// goroutine.
func (m *Mesh) Bench(peer, rounds int, timeout time.Duration) (BenchResult, error) {
	m.SetPollTime(benchPoll)
	defer m.SetPollTime(-1)
	polled, err := m.series(peer, rounds, benchPoll, 0, timeout)
	if err != nil {
		return BenchResult{}, err
	}
	sleeping, err := m.series(peer, rounds, -1, benchGap, timeout)
	if err != nil {
		return BenchResult{}, err
	}
	one := int64(polled / 2)
	return BenchResult{Rounds: rounds, Polling: one, Sleeping: int64(sleeping) - one}, nil
}

// series runs one series and returns its median round trip.
func (m *Mesh) series(peer, rounds int, poll, gap, timeout time.Duration) (uint64, error) {
	b := &m.bench
	b.mu.Lock()
	b.runs++
	r := &benchRun{peer: peer, poll: poll, gap: gap, seq: benchSeq | b.runs<<32,
		warm: benchWarm, rounds: rounds, done: make(chan struct{})}
	b.run = r
	b.mu.Unlock()
	buf := ping{seq: r.seq, tsc: m.clock(), poll: poll}.encode()
	if err := m.Send(peer, Ping, buf[:]); err != nil {
		b.abandon(r)
		return 0, err
	}
	select {
	case <-r.done:
	case <-time.After(timeout):
		b.abandon(r)
		return 0, fmt.Errorf("kmesh: bench with core %d: no answer in %v", peer, timeout)
	}
	if r.err != nil {
		return 0, r.err
	}
	slices.Sort(r.samples)
	return r.samples[len(r.samples)/2], nil
}

// abandon ends r if it is still the run in progress.
func (b *bench) abandon(r *benchRun) {
	b.mu.Lock()
	if b.run == r {
		b.run = nil
	}
	b.mu.Unlock()
}

// pong takes a pong for the run in progress and sends the next ping; it
// reports whether the pong was a benchmark's (those of an abandoned run
// are dropped).
func (b *bench) pong(m *Mesh, from int, seq, rtt uint64) bool {
	if seq&benchSeq == 0 {
		return false
	}
	b.mu.Lock()
	r := b.run
	if r == nil || from != r.peer || seq != r.seq {
		b.mu.Unlock()
		return true
	}
	if r.warm > 0 {
		r.warm--
	} else {
		r.samples = append(r.samples, rtt)
	}
	if len(r.samples) == r.rounds {
		b.run = nil
		b.mu.Unlock()
		close(r.done)
		return true
	}
	r.seq++
	next := ping{seq: r.seq, poll: r.poll}
	b.mu.Unlock()
	if r.gap > 0 {
		for start := time.Now(); time.Since(start) < r.gap; {
		}
	}
	next.tsc = m.clock()
	buf := next.encode()
	if err := m.Send(from, Ping, buf[:]); err != nil {
		b.mu.Lock()
		if b.run == r {
			b.run, r.err = nil, err
			close(r.done)
		}
		b.mu.Unlock()
	}
	return true
}
