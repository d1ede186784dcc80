package shootdown

import (
	"fmt"
	"testing"
)

// latencySendCost is the latency model's cost of one send, in SLIT units
// (half a local message: an assumption, see Plan.Latency).
const latencySendCost = 5

// BenchmarkPlan plans a shootdown by core 0 of a program on 2, 4, 8 and
// 16 cores of the square (packed: cores 0 to n-1; spread: dealt out over
// the nodes) with each protocol, and reports its figures: messages
// (requests plus acks), cross-node messages, requests, and the latency
// model's estimate, besides the time to plan.
//
//	go test -run '^$' -bench Plan ./cpudriver/shootdown/
func BenchmarkPlan(b *testing.B) {
	topo := square()
	for _, pl := range placements {
		for _, n := range sizes {
			for _, proto := range Protocols {
				b.Run(fmt.Sprintf("%s/cores=%d/%v", pl.name, n, proto), func(b *testing.B) {
					targets := pl.of(n)
					var p *Plan
					for b.Loop() {
						var err error
						if p, err = NewPlan(proto, 0, targets, topo, nil); err != nil {
							b.Fatal(err)
						}
					}
					c := p.Count(topo)
					b.ReportMetric(float64(c.Messages()), "msgs")
					b.ReportMetric(float64(c.CrossNode()), "cross-node")
					b.ReportMetric(float64(c.Requests), "requests")
					b.ReportMetric(float64(p.Latency(topo, latencySendCost)), "model-latency")
				})
			}
		}
	}
}

// BenchmarkShootdown runs one shootdown by core 0 over 16 cores through
// the state machines, delivering every message at once (no channels):
// the protocol's own cost per shootdown, encoding and decoding included.
func BenchmarkShootdown(b *testing.B) {
	topo := square()
	for _, proto := range Protocols {
		b.Run(proto.String(), func(b *testing.B) {
			p, err := NewPlan(proto, 0, topo.All(), topo, nil)
			if err != nil {
				b.Fatal(err)
			}
			cores := make([]Core, 16)
			for c := range cores {
				cores[c] = NewCore(c, 1, topo)
			}
			f, _ := FlushOf(pg(1, 2))
			type pending struct {
				to int
				b  [MsgSize]byte
			}
			var queue []pending
			var effs []Effect
			push := func(effs []Effect) {
				for _, e := range effs {
					if e.Kind == Send {
						var q pending
						q.to = e.To
						if err := Encode(&q.b, &e.Msg); err != nil {
							b.Fatal(err)
						}
						queue = append(queue, q)
					}
				}
			}
			for b.Loop() {
				effs, _, err = cores[0].Start(effs[:0], p, f)
				if err != nil {
					b.Fatal(err)
				}
				push(effs)
				for len(queue) > 0 {
					q := queue[0]
					queue = queue[1:]
					m, err := Decode(q.b[:])
					if err != nil {
						b.Fatal(err)
					}
					effs, err = cores[q.to].Handle(effs[:0], &m)
					if err != nil {
						b.Fatal(err)
					}
					push(effs)
				}
				if !cores[0].Done() {
					b.Fatal("not done")
				}
			}
		})
	}
}
