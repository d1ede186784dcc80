package main

import (
	"fmt"
	"math/bits"
	"os"
	"time"

	"multikernel/libos/sys"
	"multikernel/urpc"
)

// Core 0's boot-time work, in the order that keeps it short. Programs
// start once core 0's monitor tells its CPU driver the boot is done
// (sys.BootDone), so everything before that is on the path to a user's
// first line:
//
//  1. start the SKB with the machine facts the CPU driver gathered (it
//     needs nothing from the other monitors);
//  2. wait for the hello of every monitor whose core is up: the mesh is
//     connected;
//  3. tell the CPU driver the boot is done: programs start;
//  4. serve for settleTime, then measure the round trips between all
//     pairs of monitors and add them to the SKB as message_rtt facts, all
//     at once. The measurement is paced (measureMatrix, backgroundIdle):
//     after each pair the monitor serves its channels for four times as
//     long as the pair took, so no client waits for more than one pair and
//     the cores it measures stay mostly free for their programs; the pairs
//     that involve this core, where the first programs run, come last.
//     Under QEMU a measured pair keeps two virtual CPUs busy, which the
//     host's CPUs then do not give to the others: the settling time and
//     the pacing are what keep the measurement out of a program's start.
//
// Until step 4 ends the SKB has no message_rtt facts, and message_cost/3
// falls back to the SLIT distance for every pair (skb/programs/schema.pl):
// a multicast tree asked for meanwhile is the NUMA tree of the distances.
// Adding the facts at once means no query ever mixes measured cycles with
// distances, except for a pair whose measurement failed even when retried.
//
// The boot-time options that need the matrix or a quiet system
// (urpc-matrix, urpc-bench, cap-race, cap-bench) keep the measurement
// before step 3, with the rounds of the printed matrix, and run after it:
// with poweroff, the CPU driver powers off once the programs have ended,
// so whatever comes after step 3 may not run at all.

// bootFlags say what core 0's boot-time work includes besides the mesh.
type bootFlags struct {
	matrix, bench, capRace, capBench bool
}

// needMatrix reports whether the flags ask for work that needs the
// round-trip matrix measured, on a quiet system, before programs start.
func (f bootFlags) needMatrix() bool { return f.matrix || f.bench || f.capRace || f.capBench }

// lostPairRetries is how many times the measurement measures again the
// pairs that did not answer (after the boot a probe can time out while
// the probed monitor waits for core 0 in an RPC of its own, which core 0
// serves only between pairs).
const lostPairRetries = 2

// The measurement after the boot: it starts settleTime after the boot is
// done, so that the first programs have their cores to themselves while
// they start, and its idle (measureMatrix) keeps the two cores of a pair
// busy a fifth of the time.
const (
	settleTime     = 2 * time.Second
	backgroundIdle = 4
)

// boot is core 0's boot-time work (see above). rounds is the probes per
// pair, 0 for the default of the mode.
func (m *monitor) boot(f bootFlags, rounds int) {
	start := time.Now()
	if err := m.startSKB(); err != nil {
		fmt.Fprintln(os.Stderr, "monitor 0: the SKB does not start:", err)
	}
	members, ok := m.awaitHellos()
	if !ok {
		bootDone()
		return
	}
	matrix := make([][64]uint32, maxCores)
	pairs := m.matrixPairs(members)
	if f.needMatrix() {
		if rounds == 0 {
			rounds = matrixRounds
		}
		t := time.Now()
		m.measureRetrying(matrix, pairs, rounds, 0)
		reportMesh(matrix, members, time.Since(t))
		m.addRoundTrips(matrix, members)
		if f.matrix {
			printRTT(matrix, members, rounds)
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
		bootDone()
		return
	}
	fmt.Printf("mesh: %d monitors connected in %d ms; round trips measured after the boot\n",
		bits.OnesCount64(members), time.Since(start).Milliseconds())
	bootDone()
	if rounds == 0 {
		rounds = backgroundRounds
	}
	m.stepFor(settleTime)
	t := time.Now()
	m.measureRetrying(matrix, pairs, rounds, backgroundIdle)
	reportMesh(matrix, members, time.Since(t))
	m.addRoundTrips(matrix, members)
}

// measureRetrying measures pairs into matrix (measureMatrix), then
// measures again, up to lostPairRetries times, the pairs that did not
// answer.
func (m *monitor) measureRetrying(matrix [][64]uint32, pairs []pair, rounds, idle int) {
	m.measureMatrix(matrix, pairs, rounds, idle)
	for try := 0; try < lostPairRetries; try++ {
		lost := lostPairs(matrix, pairs)
		if len(lost) == 0 {
			return
		}
		m.measureMatrix(matrix, lost, rounds, idle)
	}
}

// bootDone tells the CPU driver that the boot is done: programs start.
func bootDone() {
	if err := sys.BootDone(); err != nil {
		fmt.Fprintln(os.Stderr, "monitor: telling the CPU driver the boot is done:", err)
	}
}

// awaitHellos serves messages until every monitor whose core is up has
// said hello, or helloWait has passed, and returns the cores of the mesh:
// this one and those that said hello. ok is false if the cores that are
// up cannot be known.
func (m *monitor) awaitHellos() (members uint64, ok bool) {
	up, err := sys.Cores()
	if err != nil {
		fmt.Fprintln(os.Stderr, "monitor 0: cores up:", err)
		return 0, false
	}
	want := up &^ (1 << m.core)
	deadline := time.Now().Add(helloWait)
	for m.greeted&want != want {
		i, err := m.ws.WaitUntil(deadline)
		if err == urpc.ErrTimeout {
			break
		}
		m.handle(i, err)
	}
	if missing := want &^ m.greeted; missing != 0 {
		fmt.Fprintf(os.Stderr, "monitor 0: no hello from the monitors of cores %s\n", coreList(missing))
	}
	return m.greeted&want | 1<<m.core, true
}
