package main

import (
	"fmt"
	"time"

	"multikernel/libos/sys"
)

// The URPC latency benchmark (-bench, from the urpc-bench option): core 0
// bounces probes off a peer monitor, first while the peer polls its
// channels between messages (its default), then while it sleeps at once
// after each message, so that every probe must wake it with an IPI; in
// that mode each probe leaves the peer blockedGap to get all the way into
// its sleep first (else the probe would catch it on its way there). The
// prober always spins. One-way latencies: polling, half the polled round
// trip; blocked, the blocked round trip less the polled one-way trip of
// the pong (the ping reached a sleeping receiver, the pong a spinning one).

const (
	benchRounds = 400
	blockedGap  = 200 * time.Microsecond
)

// bench runs the benchmark against the nearest other core and, if it is
// on another node, the last core of the farthest node.
func (m *monitor) bench() {
	var live []*peer
	for _, p := range m.peers {
		if p != nil && !p.dead && m.greeted&(1<<p.core) != 0 {
			live = append(live, p)
		}
	}
	if len(live) == 0 {
		fmt.Println("urpc-bench: no other monitor to bounce probes off")
		return
	}
	targets := []*peer{live[0]}
	for i := len(live) - 1; i > 0; i-- {
		if live[i].node != m.node {
			targets = append(targets, live[i])
			break
		}
	}
	for _, p := range targets {
		m.benchPeer(p)
	}
}

// benchPeer measures one peer in both modes and prints one line.
func (m *monitor) benchPeer(p *peer) {
	t0, c0 := time.Now(), sys.Cycles()
	prev, err := p.b.SetPoll(0)
	if err != nil {
		fmt.Printf("urpc-bench: core %d: %v\n", p.core, err)
		return
	}
	polled := m.median(p, benchRounds, 0)
	_, err = p.b.SetPoll(-1)
	blocked := uint64(0)
	if err == nil {
		blocked = m.median(p, benchRounds, blockedGap)
		_, err = p.b.SetPoll(prev)
	}
	if err != nil || polled == 0 || blocked == 0 {
		fmt.Printf("urpc-bench: core %d: a probe failed (%v)\n", p.core, err)
		return
	}
	// The time-stamp counter's rate, from the run itself.
	hz := float64(sys.Cycles()-c0) / time.Since(t0).Seconds()
	pollOne := int64(polled / 2)
	// The blocked round trip is a blocked leg plus a polled one; on a
	// busy host it can come out shorter than a polled one-way trip, and
	// the blocked leg is then reported below zero, not wrapped.
	blockOne := int64(blocked) - pollOne
	us := func(c int64) float64 { return float64(c) / hz * 1e6 }
	fmt.Printf("urpc-bench: core %d -> core %d (node %d -> %d), median of %d: one-way polling %d cycles (%.2f us), blocked %d cycles (%.2f us), blocked/polling %.1fx\n",
		m.core, p.core, m.node, p.node, benchRounds, pollOne, us(pollOne), blockOne, us(blockOne), float64(blockOne)/float64(pollOne))
}
