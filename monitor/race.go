package main

import (
	"cmp"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"os"
	"slices"
	"time"

	"multikernel/cap/dist"
)

// The capability race (cap-race): every core retypes random, overlapping
// parts of one shared capability at the same time, each retype a
// two-phase operation across all cores; core 0 then gathers every core's
// descendants and checks that no memory was retyped twice.

const (
	raceOps        = 8    // retypes each core attempts
	raceMaxRetries = 2000 // busy refusals one core retries before it gives up
)

// raceState is core 0's tally of the race.
type raceState struct {
	done      uint64 // cores that reported race_done
	committed int
	conflicts int
	retries   int
}

// runRace makes this core's retypes and returns its counts.
func (m *monitor) runRace(cores uint8, ops int, seed uint64) (committed, conflicts, retries int) {
	o, err := m.obj(capRace, cores)
	if err != nil {
		fmt.Fprintf(os.Stderr, "monitor %d: race: %v\n", m.core, err)
		return
	}
	rng := rand.New(rand.NewPCG(seed, uint64(m.core)))
	pages := uint64(raceRange >> 12)
	for i := 0; i < ops; i++ {
		first := rng.Uint64N(pages)
		n := min(1+rng.Uint64N(4), pages-first)
		r := dist.Range{Base: first << 12, Size: n << 12}
		id := m.newOpID()
		for {
			res := m.capOp(o, id, dist.Retype, r)
			if res.Committed {
				committed++
				break
			}
			if res.Reason != dist.Busy || retries >= raceMaxRetries {
				conflicts++
				break
			}
			// Refused by an older operation (wait-die): let it finish.
			retries++
			m.stepFor(time.Duration(rng.IntN(200)) * time.Microsecond)
		}
	}
	return committed, conflicts, retries
}

// RaceStart runs this core's part of the race and reports to core 0.
func (l *link) RaceStart(ops uint32, seed uint64) error {
	if ops > 1000 {
		return fmt.Errorf("race of %d retypes per core: at most 1000", ops)
	}
	m := l.m
	c, f, r := m.runRace(m.raceCores(), int(ops), seed)
	return l.p.b.SendRaceDone(uint16(m.core), uint32(c), uint32(f), uint32(r))
}

// RaceDone is a core's report to core 0.
func (l *link) RaceDone(core uint16, committed, conflicts, retries uint32) error {
	if int(core) != l.p.core {
		return fmt.Errorf("race_done for core %d on core %d's channel", core, l.p.core)
	}
	rs := &l.m.caps.race
	rs.done |= 1 << core
	rs.committed += int(committed)
	rs.conflicts += int(conflicts)
	rs.retries += int(retries)
	return nil
}

// raceCores is the number of cores in the race: the cores from 0 up to
// the first one whose monitor did not greet this one.
func (m *monitor) raceCores() uint8 {
	n := 0
	for n < maxCores && (n == m.core || m.peers[n] != nil && !m.peers[n].dead) {
		n++
	}
	return uint8(n)
}

// race is core 0's side: start every core, race too, wait for the
// reports, then check the descendants all cores hold.
func (m *monitor) race(members uint64) {
	cores := uint8(bits.TrailingZeros64(^members)) // contiguous from core 0
	seed := uint64(time.Now().UnixNano())
	start := time.Now()
	for c := 1; c < int(cores); c++ {
		if err := m.peers[c].b.SendRaceStart(raceOps, seed); err != nil {
			m.fail(&m.peers[c].conn, err)
		}
	}
	c, f, r := m.runRace(cores, raceOps, seed)
	rs := &m.caps.race
	rs.done |= 1
	rs.committed += c
	rs.conflicts += f
	rs.retries += r
	want := uint64(1)<<cores - 1
	deadline := time.Now().Add(60 * time.Second)
	for rs.done != want && time.Now().Before(deadline) {
		m.stepFor(100 * time.Millisecond)
	}
	if rs.done != want {
		fmt.Printf("cap-race: no report from cores %s\n", coreList(want&^rs.done))
		return
	}
	elapsed := time.Since(start)
	// Gather every core's descendants and check them.
	var all []desc
	for c := 0; c < int(cores); c++ {
		var list []dist.Range
		if c == m.core {
			for _, d := range m.caps.objs[capRace].dm.Local().list {
				list = append(list, d.r)
			}
		} else {
			n, bases, sizes, err := m.peers[c].b.CapState(capRace)
			if err != nil {
				fmt.Printf("cap-race: core %d's descendants: %v\n", c, err)
				return
			}
			for i := 0; i < int(n) && i < maxDescs; i++ {
				list = append(list, dist.Range{Base: bases[i], Size: sizes[i]})
			}
		}
		for _, r := range list {
			all = append(all, desc{r: r, op: dist.OpID{Core: uint8(c)}})
		}
	}
	problems := checkRace(all, rs.committed)
	fmt.Printf("cap-race: %d cores, %d retypes: %d committed, %d refused as overlapping, %d retries after busy (%d ms)\n",
		cores, int(cores)*raceOps, rs.committed, rs.conflicts, rs.retries, elapsed.Milliseconds())
	for _, p := range problems {
		fmt.Println("cap-race: VIOLATION:", p)
	}
	if len(problems) == 0 {
		fmt.Printf("cap-race: invariant holds: %d descendants, no memory retyped twice\n", len(all))
	}
}

// checkRace checks the race's outcome: the descendants of all cores lie
// in the capability, no two overlap, and there is one per committed
// retype.
func checkRace(all []desc, committed int) []string {
	var problems []string
	if len(all) != committed {
		problems = append(problems, fmt.Sprintf("%d descendants for %d committed retypes", len(all), committed))
	}
	slices.SortFunc(all, func(a, b desc) int { return cmp.Compare(a.r.Base, b.r.Base) })
	for i, d := range all {
		if d.r.Size == 0 || d.r.Base+d.r.Size > raceRange {
			problems = append(problems, fmt.Sprintf("core %d holds [%#x, +%#x), outside the capability", d.op.Core, d.r.Base, d.r.Size))
		}
		if i > 0 && all[i-1].r.Overlaps(d.r) {
			problems = append(problems, fmt.Sprintf("core %d's [%#x, +%#x) overlaps core %d's [%#x, +%#x)",
				all[i-1].op.Core, all[i-1].r.Base, all[i-1].r.Size, d.op.Core, d.r.Base, d.r.Size))
		}
	}
	return problems
}
