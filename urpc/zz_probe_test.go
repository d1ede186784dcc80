package urpc_test

import (
	"encoding/binary"
	"sort"
	"sync"
	"testing"
	"time"

	"multikernel/urpc"
)

type probeSleeper struct {
	*urpc.Doorbell
	mu  sync.Mutex
	d   []time.Duration
}

func (p *probeSleeper) Sleep(ev urpc.Event) {
	t := time.Now()
	p.Doorbell.Sleep(ev)
	p.mu.Lock()
	p.d = append(p.d, time.Since(t))
	p.mu.Unlock()
}

func (p *probeSleeper) report(b *testing.B, name string) {
	d := p.d
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	if len(d) == 0 {
		b.Logf("%s N=%d sleeps=0", name, b.N)
		return
	}
	b.Logf("%s N=%d sleeps=%d min=%v med=%v p90=%v", name, b.N, len(d), d[0], d[len(d)/2], d[len(d)*9/10])
}

func probePair(b *testing.B) (*urpc.Endpoint, *urpc.Endpoint, *probeSleeper, *probeSleeper) {
	mem := urpc.NewRegion(benchSlots)
	pa, pb := &probeSleeper{Doorbell: urpc.NewDoorbell()}, &probeSleeper{Doorbell: urpc.NewDoorbell()}
	ea, _ := urpc.New(mem, urpc.SideA, urpc.Config{Notifier: pb.Doorbell, Sleeper: pa})
	eb, _ := urpc.New(mem, urpc.SideB, urpc.Config{Notifier: pa.Doorbell, Sleeper: pb})
	return ea, eb, pa, pb
}

func BenchmarkProbeStream(b *testing.B) {
	ea, eb, pa, pb := probePair(b)
	send := func(from, to int) {
		var msg [8]byte
		for k := from; k < to; k++ {
			binary.LittleEndian.PutUint64(msg[:], uint64(k))
			ea.Send(1, msg[:])
		}
	}
	recv := func(from, to int) {
		for k := from; k < to; k++ {
			eb.Recv()
		}
	}
	reportRate(b, runPinned(b, send, recv))
	pa.report(b, "sender")
	pb.report(b, "receiver")
}

func BenchmarkProbePingPong(b *testing.B) {
	ea, eb, pa, pb := probePair(b)
	hop := func(ep *urpc.Endpoint, first int) func(from, to int) {
		return func(from, to int) {
			var msg [8]byte
			for k := from; k < to; k++ {
				if k%2 != first {
					ep.Recv()
					continue
				}
				ep.Send(1, msg[:])
			}
		}
	}
	runPinned(b, hop(ea, 0), hop(eb, 1))
	pa.report(b, "A")
	pb.report(b, "B")
}
