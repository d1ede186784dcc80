package urpc_test

import (
	"encoding/binary"
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"

	"multikernel/urpc"
)

// benchSlots is the ring size of the benchmarks: an 8 KiB region.
const benchSlots = 63

// streamBatch is how many Posts the urpc stream makes per Flush.
const streamBatch = 16

// BenchmarkPingPong measures one-way latency (ns/op is one hop, half a round
// trip): the hops alternate between the two parties, A making the even ones
// and B the odd ones. The names say what each alternative measures:
//
//	rawline              one cache line bounced between pinned threads: the
//	                     physical limit
//	rawring              a bare ring of urpc's layout, no protocol (pinned)
//	urpc                 urpc.Send and urpc.Recv (pinned)
//	chan-pinned-wakeup   an unbuffered Go channel between pinned threads:
//	                     every hop parks a locked goroutine, so every hop is
//	                     an OS thread wake-up
//	mutex-pinned-wakeup  sync.Mutex and sync.Cond between pinned threads:
//	                     the same, a thread wake-up per hop
//	chan-goroutines      the channel between plain goroutines: every hop is
//	                     a Go scheduler hand-off (the receiver runs next on
//	                     the sender's thread), no OS wake-up and no line
//	                     crossing cores in the common case
//	mutex-goroutines     sync.Mutex and sync.Cond between plain goroutines
//
// Every pinned row also reports line-ns, the placement probe (see probeLine).
func BenchmarkPingPong(b *testing.B) {
	b.Run("rawline", func(b *testing.B) { runPair(b, pinnedThreads, rawlineHops()) })
	b.Run("rawring", func(b *testing.B) { runPair(b, pinnedThreads, rawringHops()) })
	b.Run("urpc", func(b *testing.B) { runPair(b, pinnedThreads, urpcHops(b)) })
	b.Run("chan-pinned-wakeup", func(b *testing.B) { runPair(b, pinnedThreads, chanHops()) })
	b.Run("mutex-pinned-wakeup", func(b *testing.B) { runPair(b, pinnedThreads, mutexHops()) })
	b.Run("chan-goroutines", func(b *testing.B) { runPair(b, goroutines, chanHops()) })
	b.Run("mutex-goroutines", func(b *testing.B) { runPair(b, goroutines, mutexHops()) })
}

// BenchmarkPingPongPaired compares urpc with each of its floors in one run,
// on the same two pinned threads, alternating blocks (see runPaired): the
// urpc/rawring and urpc/rawline metrics are the ratios the goal is stated
// in, free of the drift between separate runs.
func BenchmarkPingPongPaired(b *testing.B) {
	for _, floor := range []struct {
		name string
		hops func() parties
	}{{"rawring", rawringHops}, {"rawline", rawlineHops}} {
		b.Run("urpc-"+floor.name, func(b *testing.B) {
			runPaired(b, alternative{"urpc", urpcHops(b)}, alternative{floor.name, floor.hops()})
		})
	}
}

// rawlineHops bounces one cache line: hop k stores k+1 once the line reads
// k. This is the physical limit a message is measured against.
func rawlineHops() parties {
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
	return parties{hop(0), hop(1)}
}

// rawring is a bare ring of urpc's shape, without its protocol: 64-byte
// slots in the same place of a region of the same size, the writer storing
// word 0 and then word 7 (epoch bit, atomically), the reader polling word 7.
// No headers are checked, no payload is copied out, there are no credits
// (ping-pong never has more than one slot outstanding) and no sleeping: the
// cost of the layout alone. Unlike rawline, every hop moves two lines
// (the reader never writes the slot it polls), so it is the fairer floor
// for a protocol with one ring per direction.
//
// A rawring is one party's cursor on one ring. It fills a 128-byte block of
// its own (the 128-byte size class is 128-byte aligned), as urpc's
// Endpoint keeps its state away from the peer's: the four cursors of a
// region are allocated one after the other, and without the padding the
// writer's and the reader's cursor shared a line that bounced between the
// cores on every hop (and Intel's adjacent-line prefetcher pairs lines
// into 128-byte blocks).
type rawring struct {
	ring  [][8]uint64
	pos   int
	epoch uint64
	_     [2*urpc.LineSize - 40]byte
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

// rawringHops makes each hop a put on one ring and a get on the other.
func rawringHops() parties {
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
	return parties{hop(abW, baR, 0), hop(baW, abR, 1)}
}

// urpcHops makes each hop a Send of an 8-byte message and a Recv.
func urpcHops(b testing.TB) parties {
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
	return parties{hop(ea, 0), hop(eb, 1)}
}

// chanHops makes each hop a send on an unbuffered Go channel.
func chanHops() parties {
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
	return parties{hop(toA, toB, 0), hop(toB, toA, 1)}
}

// mutexHops passes a turn under a sync.Mutex, signalled with a sync.Cond.
func mutexHops() parties {
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
	return parties{hop(0), hop(1)}
}

// BenchmarkStream measures pipelined throughput: A sends 8-byte messages as
// fast as it can, B receives them; msgs/s is the rate. urpc batches
// (streamBatch Posts, then one Flush), the way its API offers; urpc-send
// makes one Send (a Post and a Flush) per message. The chan rows send on a
// Go channel buffered like the ring (benchSlots): chan-pinned-wakeup between
// pinned threads, where a party that finds the channel full or empty sleeps
// and is woken as an OS thread, and chan-goroutines between plain
// goroutines.
func BenchmarkStream(b *testing.B) {
	b.Run("rawring", func(b *testing.B) { reportRate(b, runPair(b, pinnedThreads, rawringStream())) })
	b.Run("urpc", func(b *testing.B) { reportRate(b, runPair(b, pinnedThreads, urpcStream(b, streamBatch))) })
	b.Run("urpc-send", func(b *testing.B) { reportRate(b, runPair(b, pinnedThreads, urpcStream(b, 1))) })
	b.Run("chan-pinned-wakeup", func(b *testing.B) { reportRate(b, runPair(b, pinnedThreads, chanStream())) })
	b.Run("chan-goroutines", func(b *testing.B) { reportRate(b, runPair(b, goroutines, chanStream())) })
}

// BenchmarkStreamPaired compares the urpc stream with the rawring stream in
// one run, alternating blocks on the same pinned threads (see runPaired).
func BenchmarkStreamPaired(b *testing.B) {
	b.Run("urpc-rawring", func(b *testing.B) {
		runPaired(b, alternative{"urpc", urpcStream(b, streamBatch)}, alternative{"rawring", rawringStream()})
	})
}

// reportRate reports the rate of one message every nsPerOp nanoseconds.
func reportRate(b *testing.B, nsPerOp float64) {
	b.ReportMetric(1e9/nsPerOp, "msgs/s")
}

// rawringStream streams through a rawring; the receiver stores its consumed
// count into an ack word on a line of its own every quarter ring and when it
// stops, and the sender reloads it only when its credit runs out, as urpc
// does.
func rawringStream() parties {
	tx, rx, _, _ := newRawrings()
	ackLine := urpc.NewRegion(1)
	ack := (*atomic.Uint64)(unsafePointer(ackLine))
	n := uint64(len(tx.ring))
	// The counters of each party, on a block of their own like the cursors.
	type counters struct {
		sent, acked, got uint64
		_                [2*urpc.LineSize - 24]byte
	}
	sc, rc := new(counters), new(counters)
	send := func(from, to int) {
		for k := from; k < to; k++ {
			for sc.sent-sc.acked == n {
				sc.acked = ack.Load()
			}
			tx.put(uint64(k))
			sc.sent++
		}
	}
	recv := func(from, to int) {
		for k := from; k < to; k++ {
			rx.get()
			rc.got++
			if rc.got%(n/4) == 0 || k+1 == to {
				ack.Store(rc.got)
			}
		}
	}
	return parties{send, recv}
}

// urpcStream Posts 8-byte messages, with a Flush after every batch of them
// and at the end, and Recvs them.
func urpcStream(b *testing.B, batch int) parties {
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
	return parties{send, recv}
}

// chanStream sends on a Go channel buffered like the ring.
func chanStream() parties {
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
	return parties{send, recv}
}

// BenchmarkSerial makes each operation one message sent and received by a
// single goroutine on its own channel: no line ever leaves the core and
// nothing waits, so ns/op is the instructions of the two ends alone, and a
// count of instructions (valgrind --tool=callgrind over two values of
// -test.benchtime=Nx) divides into instructions per message.
//
//	rawring  put on one ring, get from it
//	urpc     Send of an 8-byte message, Recv
func BenchmarkSerial(b *testing.B) {
	b.Run("rawring", func(b *testing.B) {
		w, r, _, _ := newRawrings()
		var sum uint64
		for k := range b.N {
			w.put(uint64(k))
			sum += r.get()
		}
		sink.Store(sum)
	})
	b.Run("urpc", func(b *testing.B) {
		ea, eb := newPair(b, benchSlots, urpc.Config{})
		var msg [8]byte
		var sum uint64
		for k := range b.N {
			binary.LittleEndian.PutUint64(msg[:], uint64(k))
			if err := ea.Send(1, msg[:]); err != nil {
				b.Fatal(err)
			}
			m, err := eb.Recv()
			if err != nil {
				b.Fatal(err)
			}
			sum += uint64(m.Data[0])
		}
		sink.Store(sum)
	})
}

// sink keeps the serial benchmarks' results alive.
var sink atomic.Uint64
