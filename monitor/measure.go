package main

import (
	"fmt"
	"math/bits"
	"os"
	"slices"
	"strings"
	"time"

	"multikernel/libos/sys"
	"multikernel/urpc"
)

// Round trips between monitors, in TSC cycles. The prober spins on the
// pong (it is the only thing it waits for); the answering monitor is in
// its waitset, polling for a while after each message and then sleeping
// until an IPI, so the median over many probes is the polled round trip.

const (
	warmup       = 8               // probes per pair not counted
	probeTimeout = 2 * time.Second // a pong later than this: the pair failed
	helloWait    = 30 * time.Second
)

// probe sends one ping to p and spins for its pong, dispatching anything
// else p sends meanwhile. It returns the round trip in cycles, false if
// the pong did not come.
func (m *monitor) probe(p *peer) (uint64, bool) {
	m.probeSeq++
	m.probeGot = false
	start := sys.Cycles()
	if err := p.b.SendPing(m.probeSeq, start); err != nil {
		m.fail(&p.conn, err)
		return 0, false
	}
	ep := p.b.Endpoint()
	var deadline time.Time
	for spins := 0; !m.probeGot; spins++ {
		msg, err := ep.TryRecv()
		switch {
		case err == nil:
			if err := p.b.Dispatch(msg); err != nil {
				m.fail(&p.conn, err)
				return 0, false
			}
		case err != urpc.ErrWouldBlock:
			m.fail(&p.conn, err)
			return 0, false
		case spins%4096 == 4095:
			if deadline.IsZero() {
				deadline = time.Now().Add(probeTimeout)
			} else if time.Now().After(deadline) {
				return 0, false
			}
		}
	}
	return sys.Cycles() - start, true
}

// median measures rounds round trips to p (after a warm-up), each probe
// sent gap after the previous pong, and returns their median, 0 if any
// probe failed.
func (m *monitor) median(p *peer, rounds int, gap time.Duration) uint64 {
	if p == nil || p.dead {
		return 0
	}
	samples := make([]uint64, 0, rounds)
	for i := 0; i < warmup+rounds; i++ {
		if gap > 0 {
			pause(gap)
		}
		d, ok := m.probe(p)
		if !ok {
			return 0
		}
		if i >= warmup {
			samples = append(samples, d)
		}
	}
	slices.Sort(samples)
	return samples[len(samples)/2]
}

// pause spins for d: the prober must not sleep between probes, or the
// peer's reply would find it asleep.
func pause(d time.Duration) {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
	}
}

// measureAll returns the median round trip to every core in peers (bit i
// for core i) but this one, indexed by core.
func (m *monitor) measureAll(peers uint64, rounds int) [64]uint32 {
	var row [64]uint32
	for c := 0; c < maxCores; c++ {
		if peers&(1<<c) != 0 && c != m.core {
			row[c] = uint32(min(m.median(m.peers[c], rounds, 0), 1<<32-1))
		}
	}
	return row
}

// Rounds of the round-trip matrix (-rounds 0 picks one of these).
const (
	matrixRounds     = 100 // printed (urpc-matrix) or measured before the boot-time benchmarks
	backgroundRounds = 24  // measured in the background for the SKB
)

// pair is one ordered pair of cores whose round trip is measured: from
// the prober to the answering core.
type pair struct{ from, to int }

// matrixPairs returns every ordered pair of members, the pairs with this
// core last: first those between two other cores, then those to this
// core, then this core's own row. Core 0's programs start first (boot.go),
// so the pairs that take this core's time come when they have had the
// most of it.
func (m *monitor) matrixPairs(members uint64) []pair {
	var others, toMe, mine []pair
	for c := 0; c < maxCores; c++ {
		for d := 0; d < maxCores; d++ {
			if c == d || members&(1<<c) == 0 || members&(1<<d) == 0 {
				continue
			}
			switch {
			case c == m.core:
				mine = append(mine, pair{c, d})
			case d == m.core:
				toMe = append(toMe, pair{c, d})
			default:
				others = append(others, pair{c, d})
			}
		}
	}
	return append(append(others, toMe...), mine...)
}

// measurePair returns the median round trip of p over rounds probes: this
// core probes itself, any other core is asked with the measure RPC for one
// column of its row. 0 means the pair did not answer.
func (m *monitor) measurePair(p pair, rounds int) uint32 {
	if p.from == m.core {
		return m.measureAll(1<<p.to, rounds)[p.to]
	}
	prober := m.peers[p.from]
	if prober == nil || prober.dead {
		return 0
	}
	row, err := prober.b.Measure(1<<p.to, uint32(rounds))
	if err != nil {
		fmt.Fprintf(os.Stderr, "monitor %d: round trip of core %d to core %d: %v\n", m.core, p.from, p.to, err)
		return 0
	}
	return row[p.to]
}

// measureMatrix measures the round trips of pairs into matrix, one pair
// at a time. With idle 0 it does nothing else meanwhile; otherwise, after
// each pair, it serves this monitor's channels for idle times as long as
// the pair took (sleeping while nothing arrives): a measurement made while
// the system runs keeps no client waiting longer than one pair, and the
// two cores it keeps busy (the prober spins, the answering core polls)
// are busy only 1/(1+idle) of the time.
func (m *monitor) measureMatrix(matrix [][64]uint32, pairs []pair, rounds, idle int) {
	for _, p := range pairs {
		t := time.Now()
		matrix[p.from][p.to] = m.measurePair(p, rounds)
		if idle > 0 {
			m.stepFor(time.Duration(idle) * time.Since(t))
		}
	}
}

// lostPairs returns the pairs of matrix that did not answer.
func lostPairs(matrix [][64]uint32, pairs []pair) []pair {
	var lost []pair
	for _, p := range pairs {
		if matrix[p.from][p.to] == 0 {
			lost = append(lost, p)
		}
	}
	return lost
}

// reportMesh prints the summary of the measured matrix.
func reportMesh(matrix [][64]uint32, members uint64, took time.Duration) {
	lo, mid, hi := summary(matrix, members)
	fmt.Printf("mesh: %d monitors connected; round trips min %d, median %d, max %d cycles (%d ms)\n",
		bits.OnesCount64(members), lo, mid, hi, took.Milliseconds())
}

// summary returns the smallest, median and largest measured round trip.
func summary(matrix [][64]uint32, members uint64) (lo, mid, hi uint32) {
	var all []uint32
	for i := range matrix {
		for j := range matrix[i] {
			if members&(1<<i) != 0 && members&(1<<j) != 0 && i != j && matrix[i][j] != 0 {
				all = append(all, matrix[i][j])
			}
		}
	}
	if len(all) == 0 {
		return 0, 0, 0
	}
	slices.Sort(all)
	return all[0], all[len(all)/2], all[len(all)-1]
}

// printRTT prints the matrix: one row per member core, "-" on the
// diagonal, "?" for a pair that did not answer.
func printRTT(matrix [][64]uint32, members uint64, rounds int) {
	var cores []int
	for c := 0; c < maxCores; c++ {
		if members&(1<<c) != 0 {
			cores = append(cores, c)
		}
	}
	fmt.Printf("urpc-matrix: %d cores, round trip from row to column in TSC cycles, median of %d\n", len(cores), rounds)
	var b strings.Builder
	b.WriteString("urpc-matrix: from\\to")
	for _, c := range cores {
		fmt.Fprintf(&b, " %7d", c)
	}
	fmt.Println(b.String())
	for _, i := range cores {
		b.Reset()
		fmt.Fprintf(&b, "urpc-matrix: %7d", i)
		for _, j := range cores {
			switch {
			case i == j:
				b.WriteString("       -")
			case matrix[i][j] == 0:
				b.WriteString("       ?")
			default:
				fmt.Fprintf(&b, " %7d", matrix[i][j])
			}
		}
		fmt.Println(b.String())
	}
	fmt.Println("urpc-matrix: end")
}

// coreList writes a set of cores as "1, 5, 7".
func coreList(set uint64) string {
	var s []string
	for c := 0; c < maxCores; c++ {
		if set&(1<<c) != 0 {
			s = append(s, fmt.Sprint(c))
		}
	}
	return strings.Join(s, ", ")
}
