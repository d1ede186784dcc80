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

// bootFlags say what core 0's boot-time work includes besides the mesh.
type bootFlags struct {
	matrix, bench, capRace, capBench bool
}

// boot is core 0's boot-time work: wait for the hellos of every monitor
// that is up, gather the round-trip matrix, start the SKB, and print,
// race and benchmark what the flags ask for.
func (m *monitor) boot(f bootFlags, rounds int) {
	start := time.Now()
	up, err := sys.Cores()
	if err != nil {
		fmt.Fprintln(os.Stderr, "monitor 0: cores up:", err)
		return
	}
	want := up &^ (1 << m.core)
	deadline := time.Now().Add(helloWait)
	for m.greeted&want != want && time.Now().Before(deadline) {
		m.stepFor(100 * time.Millisecond)
	}
	if missing := want &^ m.greeted; missing != 0 {
		fmt.Fprintf(os.Stderr, "monitor 0: no hello from the monitors of cores %s\n", coreList(missing))
	}
	members := m.greeted&want | 1<<m.core
	matrix := make([][64]uint32, maxCores)
	matrix[m.core] = m.measureAll(members, rounds)
	for c := 0; c < maxCores; c++ {
		if members&(1<<c) == 0 || c == m.core || m.peers[c].dead {
			continue
		}
		row, err := m.peers[c].b.Measure(members, uint32(rounds))
		if err != nil {
			fmt.Fprintf(os.Stderr, "monitor 0: round trips of core %d: %v\n", c, err)
			continue
		}
		matrix[c] = row
	}
	n := bits.OnesCount64(members)
	lo, mid, hi := summary(matrix, members)
	fmt.Printf("mesh: %d monitors connected; round trips min %d, median %d, max %d cycles (%d ms)\n",
		n, lo, mid, hi, time.Since(start).Milliseconds())
	if f.matrix {
		printRTT(matrix, members, rounds)
	}
	if err := m.startSKB(matrix, members); err != nil {
		fmt.Fprintln(os.Stderr, "monitor 0: the SKB does not start:", err)
	}
	if f.bench {
		m.bench()
	}
	if f.capRace {
		m.race(members)
	}
	if f.capBench {
		m.capBench(members)
	}
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
