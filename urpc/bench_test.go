package urpc_test

import (
	"encoding/binary"
	"sync"
	"sync/atomic"
	"testing"

	"multikernel/urpc"
)

// benchSlots is the ring size of the benchmarks: an 8 KiB region.
const benchSlots = 63

// runPinned runs fa and fb on two pinned threads, starting the clock when
// both are ready, and stops it when both are done.
func runPinned(b *testing.B, fa, fb func()) {
	ca, cb := twoCPUs(b)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for _, p := range []struct {
		cpu int
		f   func()
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
			p.f()
		}()
	}
	ready.Wait()
	b.ResetTimer()
	close(start)
	done.Wait()
	b.StopTimer()
}

// BenchmarkPingPong measures one-way latency (ns/op is one hop): b.N hops
// alternate between two pinned threads, A making the even ones and B the odd
// ones.
func BenchmarkPingPong(b *testing.B) {
	b.Run("rawline", benchRawline)
	b.Run("urpc", benchURPCPingPong)
	b.Run("chan", benchChanPingPong)
	b.Run("mutex", benchMutexPingPong)
}

// benchRawline bounces one cache line: hop k stores k+1 once the line reads
// k. This is the physical limit a message is measured against.
func benchRawline(b *testing.B) {
	line := urpc.NewRegion(1) // any 64-byte aligned line
	x := (*atomic.Uint64)(unsafePointer(line))
	n := uint64(b.N)
	hop := func(first uint64) func() {
		return func() {
			for k := first; k < n; k += 2 {
				for x.Load() != k {
				}
				x.Store(k + 1)
			}
		}
	}
	runPinned(b, hop(0), hop(1))
}

func benchURPCPingPong(b *testing.B) {
	ea, eb := newPair(b, benchSlots, urpc.Config{})
	n := b.N
	// hop sends the hops numbered first, first+2, ... and receives the
	// others, starting with a receive when first is 1.
	hop := func(ep *urpc.Endpoint, first int) func() {
		return func() {
			var msg [8]byte
			for k := 0; k < n; k++ {
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
	n := uint64(b.N)
	hop := func(in <-chan uint64, out chan<- uint64, first uint64) func() {
		return func() {
			for k := uint64(0); k < n; k++ {
				if k%2 == first {
					out <- k
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
	turn := uint64(0) // guarded by mu: the next hop to make
	n := uint64(b.N)
	hop := func(first uint64) func() {
		return func() {
			for k := first; k < n; k += 2 {
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

// BenchmarkStream measures pipelined throughput: A sends b.N messages of 8
// bytes as fast as it can, B receives them; the msgs/s metric is the rate.
func BenchmarkStream(b *testing.B) {
	b.Run("urpc", benchURPCStream)
	b.Run("chan", benchChanStream)
}

func reportRate(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

func benchURPCStream(b *testing.B) {
	ea, eb := newPair(b, benchSlots, urpc.Config{})
	n := b.N
	send := func() {
		var msg [8]byte
		for k := 0; k < n; k++ {
			binary.LittleEndian.PutUint64(msg[:], uint64(k))
			if err := ea.Send(1, msg[:]); err != nil {
				b.Error(err)
				return
			}
		}
	}
	recv := func() {
		for k := 0; k < n; k++ {
			if _, err := eb.Recv(); err != nil {
				b.Error(err)
				return
			}
		}
	}
	runPinned(b, send, recv)
	reportRate(b)
}

func benchChanStream(b *testing.B) {
	ch := make(chan uint64, benchSlots)
	n := uint64(b.N)
	send := func() {
		for k := uint64(0); k < n; k++ {
			ch <- k
		}
	}
	recv := func() {
		for k := uint64(0); k < n; k++ {
			<-ch
		}
	}
	runPinned(b, send, recv)
	reportRate(b)
}
