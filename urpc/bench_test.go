package urpc_test

import (
	"encoding/binary"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"multikernel/urpc"
)

// benchSlots is the ring size of the benchmarks: an 8 KiB region.
const benchSlots = 63

// warmOps is the most operations (hops or messages) a benchmark runs before
// its clock starts.
const warmOps = 4096

// streamBatch is how many Posts the urpc stream makes per Flush.
const streamBatch = 16

// runPinned runs fa and fb on two threads pinned to two different CPUs (when
// two are allowed) and reports ns/op for the measured part. f(from, to) does
// operations from .. to-1, each thread its share of them. The threads first
// meet at a spin barrier, so that neither starts while the other is still
// being woken; they run a warm-up (operations 0 .. w-1, w = min(b.N,
// warmOps) rounded down to even), meet again and run b.N operations (w ..
// w+b.N-1). The clock runs from the second meeting until both threads are
// done. The framework's own timer would also count the thread wake-ups and
// the warm-up, so its ns/op is replaced; every benchmark in this file is
// timed this way. runPinned returns the measured time.
func runPinned(b *testing.B, fa, fb func(from, to int)) time.Duration {
	ca, cb := twoCPUs(b)
	pinned := ca >= 0
	w := min(b.N, warmOps) &^ 1
	var ready, done sync.WaitGroup
	var arrived atomic.Int32
	meet := func(round int32) {
		arrived.Add(1)
		for arrived.Load() < 2*round {
			if !pinned {
				runtime.Gosched() // the peer may need this CPU
			}
		}
	}
	start := make(chan struct{})
	var begin, end [2]time.Time
	for i, p := range []struct {
		cpu int
		f   func(from, to int)
	}{{ca, fa}, {cb, fb}} {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			if err := pinThread(p.cpu); err != nil {
				b.Error(err)
			}
			ready.Done()
			<-start
			meet(1)
			p.f(0, w)
			meet(2)
			begin[i] = time.Now()
			p.f(w, w+b.N)
			end[i] = time.Now()
		}()
	}
	ready.Wait()
	b.ResetTimer()
	close(start)
	done.Wait()
	b.StopTimer()
	first := begin[0]
	if begin[1].Before(first) {
		first = begin[1]
	}
	last := end[0]
	if end[1].After(last) {
		last = end[1]
	}
	d := last.Sub(first)
	b.ReportMetric(float64(d.Nanoseconds())/float64(b.N), "ns/op")
	return d
}

// BenchmarkPingPong measures one-way latency (ns/op is one hop, half a round
// trip): the hops alternate between two pinned threads, A making the even
// ones and B the odd ones.
func BenchmarkPingPong(b *testing.B) {
	b.Run("rawline", benchRawline)
	b.Run("rawring", benchRawringPingPong)
	b.Run("urpc", benchURPCPingPong)
	b.Run("chan", benchChanPingPong)
	b.Run("mutex", benchMutexPingPong)
}

// benchRawline bounces one cache line: hop k stores k+1 once the line reads
// k. This is the physical limit a message is measured against.
func benchRawline(b *testing.B) {
	line := urpc.NewRegion(1) // any 64-byte aligned line
	x := (*atomic.Uint64)(unsafePointer(line))
	hop := func(first int) func(from, to int) {
		return func(from, to int) {
			for k := uint64(from + first); k < uint64(to); k += 2 {
				for x.Load() != k {
				}
				x.Store(k + 1)
			}
		}
	}
	runPinned(b, hop(0), hop(1))
}

// rawring is a bare ring of urpc's shape, without its protocol: 64-byte
// slots in the same place of a region of the same size, the writer storing
// word 0 and then word 7 (epoch bit, atomically), the reader polling word 7.
// No headers are checked, no payload is copied out, there are no credits
// (ping-pong never has more than one slot outstanding) and no sleeping: the
// cost of the layout alone. Unlike rawline, every hop moves two lines
// (the reader never writes the slot it polls), so it is the fairer floor
// for a protocol with one ring per direction.
// A rawring is one party's cursor on one ring.
type rawring struct {
	ring  [][8]uint64
	pos   int
	epoch uint64
}

// newRawrings returns the two rings of a region as cursors for the writer
// and for the reader of each.
func newRawrings() (abW, abR, baW, baR *rawring) {
	mem := urpc.NewRegion(benchSlots)
	lines := unsafe.Slice((*[8]uint64)(unsafePointer(mem)), len(mem)/urpc.LineSize)
	n := benchSlots
	lines = lines[len(lines)-2*n:] // the two rings end the region
	cursor := func(ring [][8]uint64) *rawring { return &rawring{ring: ring, epoch: 1} }
	return cursor(lines[:n]), cursor(lines[:n]), cursor(lines[n:]), cursor(lines[n:])
}

func (r *rawring) next() {
	r.pos++
	if r.pos == len(r.ring) {
		r.pos, r.epoch = 0, r.epoch^1
	}
}

func (r *rawring) put(v uint64) {
	s := &r.ring[r.pos]
	s[0] = v
	atomic.StoreUint64(&s[7], r.epoch)
	r.next()
}

func (r *rawring) get() uint64 {
	s := &r.ring[r.pos]
	for atomic.LoadUint64(&s[7])&1 != r.epoch {
	}
	v := s[0]
	r.next()
	return v
}

func benchRawringPingPong(b *testing.B) {
	abW, abR, baW, baR := newRawrings()
	hop := func(tx, rx *rawring, first int) func(from, to int) {
		return func(from, to int) {
			for k := from; k < to; k++ {
				if k%2 != first {
					rx.get()
				} else {
					tx.put(uint64(k))
				}
			}
		}
	}
	runPinned(b, hop(abW, baR, 0), hop(baW, abR, 1))
}

func benchURPCPingPong(b *testing.B) {
	ea, eb := newPair(b, benchSlots, urpc.Config{})
	// hop sends the hops of parity first and receives the others.
	hop := func(ep *urpc.Endpoint, first int) func(from, to int) {
		return func(from, to int) {
			var msg [8]byte
			for k := from; k < to; k++ {
				if k%2 != first {
					if _, err := ep.Recv(); err != nil {
						b.Error(err)
						return
					}
					continue
				}
				binary.LittleEndian.PutUint64(msg[:], uint64(k))
				if err := ep.Send(1, msg[:]); err != nil {
					b.Error(err)
					return
				}
			}
		}
	}
	runPinned(b, hop(ea, 0), hop(eb, 1))
}

func benchChanPingPong(b *testing.B) {
	toB, toA := make(chan uint64), make(chan uint64)
	hop := func(in <-chan uint64, out chan<- uint64, first int) func(from, to int) {
		return func(from, to int) {
			for k := from; k < to; k++ {
				if k%2 == first {
					out <- uint64(k)
				} else {
					<-in
				}
			}
		}
	}
	runPinned(b, hop(toA, toB, 0), hop(toB, toA, 1))
}

func benchMutexPingPong(b *testing.B) {
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	turn := 0 // guarded by mu: the next hop to make
	hop := func(first int) func(from, to int) {
		return func(from, to int) {
			for k := from + first; k < to; k += 2 {
				mu.Lock()
				for turn != k {
					cond.Wait()
				}
				turn = k + 1
				cond.Signal()
				mu.Unlock()
			}
		}
	}
	runPinned(b, hop(0), hop(1))
}

// BenchmarkStream measures pipelined throughput: A sends 8-byte messages as
// fast as it can, B receives them; msgs/s is the rate. urpc batches
// (streamBatch Posts, then one Flush), the way its API offers;
// urpc-send makes one Send (a Post and a Flush) per message; chan sends
// on a Go channel buffered like the ring (benchSlots).
func BenchmarkStream(b *testing.B) {
	b.Run("rawring", benchRawringStream)
	b.Run("urpc", func(b *testing.B) { benchURPCStream(b, streamBatch) })
	b.Run("urpc-send", func(b *testing.B) { benchURPCStream(b, 1) })
	b.Run("chan", benchChanStream)
}

func reportRate(b *testing.B, d time.Duration) {
	b.ReportMetric(float64(b.N)/d.Seconds(), "msgs/s")
}

// benchRawringStream streams through a rawring; the receiver stores its
// consumed count into an ack word on a line of its own every quarter ring,
// and the sender reloads it only when its credit runs out, as urpc does.
func benchRawringStream(b *testing.B) {
	tx, rx, _, _ := newRawrings()
	ackLine := urpc.NewRegion(1)
	ack := (*atomic.Uint64)(unsafePointer(ackLine))
	n := uint64(len(tx.ring))
	var sent, acked, got uint64
	send := func(from, to int) {
		for k := from; k < to; k++ {
			for sent-acked == n {
				acked = ack.Load()
			}
			tx.put(uint64(k))
			sent++
		}
	}
	recv := func(from, to int) {
		for k := from; k < to; k++ {
			rx.get()
			got++
			if got%(n/4) == 0 || k+1 == to {
				ack.Store(got)
			}
		}
	}
	reportRate(b, runPinned(b, send, recv))
}

func benchURPCStream(b *testing.B, batch int) {
	ea, eb := newPair(b, benchSlots, urpc.Config{})
	send := func(from, to int) {
		var msg [8]byte
		for k := from; k < to; k++ {
			binary.LittleEndian.PutUint64(msg[:], uint64(k))
			if err := ea.Post(1, msg[:]); err != nil {
				b.Error(err)
				return
			}
			if (k+1)%batch == 0 || k+1 == to {
				ea.Flush()
			}
		}
	}
	recv := func(from, to int) {
		for k := from; k < to; k++ {
			if _, err := eb.Recv(); err != nil {
				b.Error(err)
				return
			}
		}
	}
	reportRate(b, runPinned(b, send, recv))
}

func benchChanStream(b *testing.B) {
	ch := make(chan uint64, benchSlots)
	send := func(from, to int) {
		for k := from; k < to; k++ {
			ch <- uint64(k)
		}
	}
	recv := func(from, to int) {
		for k := from; k < to; k++ {
			<-ch
		}
	}
	reportRate(b, runPinned(b, send, recv))
}
