package main

import (
	"fmt"
	"math/bits"
	"slices"
	"time"

	"multikernel/cap/dist"
	"multikernel/libos/sys"
)

// The capability benchmark (cap-bench): core 0 times two-phase retypes
// of a shared capability with 1, 2, 4, 8 and 16 cores taking part (cores
// 0 to N-1), each retype of a fresh page so that all commit. With one
// core the protocol sends no message: that is its local cost. Prepare
// and Commit go to each core directly (unicast).

var benchSizes = []uint8{1, 2, 4, 8, 16}

const capBenchRounds = 200

// capBench runs the benchmark over the cores in members.
func (m *monitor) capBench(members uint64) {
	n := uint8(bits.TrailingZeros64(^members))
	t0, c0 := time.Now(), sys.Cycles()
	type row struct {
		cores  uint8
		median uint64
	}
	var rows []row
	for i, size := range benchSizes {
		if size > n {
			break
		}
		o, err := m.obj(capBench+uint8(i), size)
		if err != nil {
			fmt.Println("cap-bench:", err)
			return
		}
		samples := make([]uint64, 0, capBenchRounds)
		for k := 0; k < warmup+capBenchRounds; k++ {
			r := dist.Range{Base: uint64(k) << 12, Size: 1 << 12}
			start := sys.Cycles()
			res := m.capOp(o, m.newOpID(), dist.Retype, r)
			d := sys.Cycles() - start
			if !res.Committed {
				fmt.Printf("cap-bench: %d cores: retype refused (%v)\n", size, res.Reason)
				return
			}
			if k >= warmup {
				samples = append(samples, d)
			}
		}
		slices.Sort(samples)
		rows = append(rows, row{size, samples[len(samples)/2]})
	}
	hz := float64(sys.Cycles()-c0) / time.Since(t0).Seconds()
	for _, r := range rows {
		fmt.Printf("cap-bench: two-phase retype across %d cores, median of %d: %d cycles (%.1f us)\n",
			r.cores, capBenchRounds, r.median, float64(r.median)/hz*1e6)
	}
}
