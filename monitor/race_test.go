package main

import (
	"math/rand/v2"
	"strings"
	"testing"

	"multikernel/cap/dist"
)

func TestCheckRace(t *testing.T) {
	r := func(base, size uint64, core uint8) desc {
		return desc{r: dist.Range{Base: base, Size: size}, op: dist.OpID{Core: core}}
	}
	for _, tc := range []struct {
		all       []desc
		committed int
		want      string // "" for no problem
	}{
		{[]desc{r(0, 4096, 0), r(4096, 8192, 1), r(0x3f000, 4096, 2)}, 3, ""},
		{[]desc{r(4096, 8192, 1), r(0, 8192, 0)}, 2, "overlaps"},
		{[]desc{r(0, 4096, 0), r(0x10000, 4096, 3), r(0x8000, 0x9000, 1)}, 3, "overlaps"},
		{[]desc{r(0, 4096, 0)}, 2, "1 descendants for 2 committed"},
		{[]desc{r(0x3f000, 8192, 0)}, 1, "outside the capability"},
		{[]desc{r(0, 0, 0)}, 1, "outside the capability"},
	} {
		problems := checkRace(tc.all, tc.committed)
		got := strings.Join(problems, "; ")
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("checkRace(%v, %d) = %q, want %q", tc.all, tc.committed, got, tc.want)
		}
	}
}

// TestDescsUnderDist drives cap/dist over descs for three cores with
// random message delivery (FIFO per pair) and racing retypes, and checks
// the race's invariant at the end, as core 0's monitor does in the guest.
func TestDescsUnderDist(t *testing.T) {
	for seed := uint64(0); seed < 200; seed++ {
		rng := rand.New(rand.NewPCG(seed, 1))
		const n = 3
		var ms [n]dist.Monitor[*descs]
		for c := range ms {
			ms[c] = dist.New(uint8(c), dist.FirstCores(int(n)), 0, &descs{copy: true})
		}
		var queues [n][n][]dist.Msg // queues[from][to], FIFO
		send := func(out []dist.Msg) {
			for _, m := range out {
				queues[m.From][m.To] = append(queues[m.From][m.To], m)
			}
		}
		committed := 0
		stamp := uint32(0)
		for c := 0; c < n; c++ {
			for k := 0; k < 2; k++ {
				stamp++
				first := rng.Uint64N(8)
				op := dist.Op{ID: dist.OpID{Stamp: stamp, Core: uint8(c)}, Kind: dist.Retype, Range: dist.Range{Base: first << 12, Size: (1 + rng.Uint64N(3)) << 12}}
				out, res := ms[c].Start(op)
				if res != nil && res.Committed {
					committed++
				}
				send(out)
			}
		}
		for {
			var ready [][2]int
			for f := 0; f < n; f++ {
				for to := 0; to < n; to++ {
					if len(queues[f][to]) > 0 {
						ready = append(ready, [2]int{f, to})
					}
				}
			}
			if len(ready) == 0 {
				break
			}
			p := ready[rng.IntN(len(ready))]
			m := queues[p[0]][p[1]][0]
			queues[p[0]][p[1]] = queues[p[0]][p[1]][1:]
			out, res, err := ms[m.To].Handle(m)
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			if res != nil && res.Committed {
				committed++
			}
			send(out)
		}
		var all []desc
		for c := range ms {
			for _, d := range ms[c].Local().list {
				all = append(all, desc{r: d.r, op: dist.OpID{Core: uint8(c)}})
			}
		}
		if problems := checkRace(all, committed); len(problems) > 0 {
			t.Fatalf("seed %d: %v", seed, problems)
		}
	}
}
