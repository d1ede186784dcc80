package urpc_test

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"multikernel/urpc"
)

// The benchmark harness. Every benchmark in bench_test.go has two parties,
// A and B, and is timed by the functions here, so that the alternatives it
// compares start and stop at the same events: the parties first meet at a
// spin barrier (so that neither starts while the other is still being
// woken), run a warm-up, meet again, and the clock runs from there until
// both are done. The framework's own timer would also count the thread
// wake-ups and the warm-up, so its ns/op is replaced.
//
// A party's f(from, to) makes operations (hops or messages) from .. to-1,
// its share of them.

// parties is what a benchmark's two parties do.
type parties struct {
	a, b func(from, to int)
}

// warmOps is the most operations a benchmark runs before its clock starts.
const warmOps = 4096

// probeHops is how many hops the placement probe makes before each block.
const probeHops = 64

// pairedBlock is how many operations a block has: the unit a run is timed
// in (see runBlocks).
const pairedBlock = 2048

// threads says how a benchmark's two parties run.
type threads int

const (
	// pinnedThreads: each party is a goroutine locked to an OS thread of
	// its own (runtime.LockOSThread), pinned to a CPU of its own with
	// sched_setaffinity when two are allowed. A party that blocks puts
	// its thread to sleep, and waking it is a thread wake-up.
	pinnedThreads threads = iota
	// goroutines: the parties are plain goroutines that the Go scheduler
	// places; a party that blocks is parked and its peer's goroutine may
	// run on the same thread, with no OS wake-up.
	goroutines
)

// duo runs body(0, meetA) and body(1, meetB) as parties A and B, the way how
// says, and returns when both have. meet is a spin barrier of the two
// parties (each has its own, counting its rounds); unpinned parties yield
// while they wait, since the peer may need the CPU.
func duo(b *testing.B, how threads, body func(party int, meet func())) {
	cpus := [2]int{-1, -1}
	if how == pinnedThreads {
		cpus[0], cpus[1] = twoCPUs(b)
	}
	spin := how == pinnedThreads && cpus[0] >= 0
	var arrived atomic.Int32
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for party := range 2 {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			if how == pinnedThreads {
				if err := pinThread(cpus[party]); err != nil {
					b.Error(err)
				}
			}
			var round int32
			meet := func() {
				round++
				arrived.Add(1)
				for arrived.Load() < 2*round {
					if !spin {
						runtime.Gosched()
					}
				}
			}
			ready.Done()
			<-start
			body(party, meet)
		}()
	}
	ready.Wait()
	b.ResetTimer()
	close(start)
	done.Wait()
	b.StopTimer()
}

// probeLine makes hops from .. to-1 of a cache line bounced between the
// parties (rawline in miniature, hop k storing k+1 once the line reads k)
// and returns, to party A, the time per hop; party B gets zero. Run before
// every block, it tells which placement the two CPUs had while a result was
// taken: the host moves them now and then, even within a run.
func probeLine(party int, x *atomic.Uint64, from, to uint64) time.Duration {
	t0 := time.Now()
	for k := from + uint64(party); k < to; k += 2 {
		for x.Load() != k {
		}
		x.Store(k + 1)
	}
	if party != 0 {
		return 0
	}
	for x.Load() < to {
	}
	return time.Since(t0) / time.Duration(to-from)
}

// alternative is one of the things a benchmark compares.
type alternative struct {
	name string
	parties
}

// timing is what a run measured of one alternative, in nanoseconds per
// operation.
type timing struct {
	median float64 // the median over the blocks
	mean   float64 // over the whole run, stalls included
}

// runBlocks runs each alternative for b.N operations on the same two
// parties, the way how says, and returns their timings in order. Each
// alternative first runs a warm-up of w = min(b.N, warmOps)
// rounded down to even operations (0 .. w-1), and then operations w ..
// w+b.N-1 in blocks of pairedBlock, the alternatives taking turns block by
// block. The parties meet at the barrier before and after every block, and
// party A's clock runs from one meeting to the next, so every block of
// every alternative is timed between the same events, and a change of load
// or placement during the run falls on all of them alike.
//
// On pinned threads the parties also bounce a line for probeHops hops
// before every block (probeLine, off the clock) and the median of those is
// reported as line-ns: the placement the run had.
//
// The median over the blocks is the figure to compare: the host stops a
// vCPU now and then for milliseconds (blocks of 1-10 µs per hop where the
// rest take 0.1 µs), and a mean over the run counts those stalls.
func runBlocks(b *testing.B, how threads, alts ...alternative) []timing {
	w := min(b.N, warmOps) &^ 1
	line := (*atomic.Uint64)(unsafePointer(urpc.NewRegion(1)))
	var probes []float64                   // ns per hop, one per block
	blocks := make([][]float64, len(alts)) // ns per op, by party A's clock
	spent := make([]time.Duration, len(alts))
	for i := range blocks {
		blocks[i] = make([]float64, 0, b.N/pairedBlock+1)
	}
	duo(b, how, func(party int, meet func()) {
		f := func(i int) func(int, int) { return [2]func(int, int){alts[i].a, alts[i].b}[party] }
		for i := range alts {
			meet()
			f(i)(0, w)
		}
		for j := 0; ; j++ {
			i := j % len(alts)
			from := w + j/len(alts)*pairedBlock
			if from >= w+b.N {
				break
			}
			to := min(from+pairedBlock, w+b.N)
			meet()
			if how == pinnedThreads {
				p := uint64(j * probeHops)
				if d := probeLine(party, line, p, p+probeHops); party == 0 {
					probes = append(probes, float64(d.Nanoseconds()))
				}
			}
			t0 := time.Now()
			f(i)(from, to)
			meet()
			if party == 0 {
				d := time.Since(t0)
				spent[i] += d
				blocks[i] = append(blocks[i], float64(d.Nanoseconds())/float64(to-from))
			}
		}
	})
	if how == pinnedThreads {
		slices.Sort(probes)
		b.ReportMetric(probes[len(probes)/2], "line-ns")
	}
	ts := make([]timing, len(alts))
	for i := range alts {
		slices.Sort(blocks[i])
		ts[i] = timing{median: blocks[i][len(blocks[i])/2], mean: float64(spent[i].Nanoseconds()) / float64(b.N)}
	}
	return ts
}

// runPair runs one alternative, p, and reports its median as ns/op and its
// mean as mean-ns/op. It returns the median.
func runPair(b *testing.B, how threads, p parties) float64 {
	t := runBlocks(b, how, alternative{"", p})[0]
	b.ReportMetric(t.median, "ns/op")
	b.ReportMetric(t.mean, "mean-ns/op")
	return t.median
}

// runPaired runs x and y on the same two pinned threads, taking turns block
// by block, and reports x's median as ns/op, y's as "<y>-ns/op" and their
// ratio as "<x>/<y>".
func runPaired(b *testing.B, x, y alternative) {
	ts := runBlocks(b, pinnedThreads, x, y)
	b.ReportMetric(ts[0].median, "ns/op")
	b.ReportMetric(ts[1].median, y.name+"-ns/op")
	b.ReportMetric(ts[0].median/ts[1].median, x.name+"/"+y.name)
}
