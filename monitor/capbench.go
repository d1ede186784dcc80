package main

import (
	"fmt"
	"math/bits"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"multikernel/cap/dist"
	"multikernel/libos/sys"
)

// The capability benchmark (cap-bench): core 0 times two-phase retypes
// of a shared capability with 1, 2, 4, 8 and 16 cores taking part (cores
// 0 to N-1), each retype of a fresh page so that all commit. With one
// core the protocol sends no message: that is its local cost. Prepare
// and Commit go to each core directly (unicast), and then along the
// SKB's NUMA-aware multicast tree (each core passes them on to its
// children); the votes come back directly.

var benchSizes = []uint8{1, 2, 4, 8, 16}

const capBenchRounds = 200

// capBench runs the benchmark over the cores in members, each size
// unicast and, from 2 cores on and when the SKB gives one, along its
// multicast tree.
func (m *monitor) capBench(members uint64) {
	n := uint8(bits.TrailingZeros64(^members))
	t0, c0 := time.Now(), sys.Cycles()
	type row struct {
		cores  uint8
		how    string
		median uint64
	}
	var rows []row
	for i, size := range benchSizes {
		if size > n {
			break
		}
		for _, tree := range []bool{false, true} {
			if tree && size == 1 {
				continue
			}
			id := capBench + uint8(i)
			how := "unicast"
			if tree {
				id, how = capBenchTree+uint8(i), "tree"
			}
			median, err := m.benchObj(id, size, tree)
			if err != nil {
				fmt.Printf("cap-bench: %d cores, %s: %v\n", size, how, err)
				continue
			}
			rows = append(rows, row{size, how, median})
		}
	}
	hz := float64(sys.Cycles()-c0) / time.Since(t0).Seconds()
	for _, r := range rows {
		fmt.Printf("cap-bench: two-phase retype across %d cores (%s), median of %d: %d cycles (%.1f us)\n",
			r.cores, r.how, capBenchRounds, r.median, float64(r.median)/hz*1e6)
	}
}

// benchObj times retypes of shared capability id with size cores taking
// part, along the SKB's tree if tree is set, and returns the median in
// cycles.
func (m *monitor) benchObj(id, size uint8, tree bool) (uint64, error) {
	o, err := m.obj(id, size)
	if err != nil {
		return 0, err
	}
	if tree {
		if o.tree, err = m.multicastTree(size); err != nil {
			return 0, err
		}
	}
	samples := make([]uint64, 0, capBenchRounds)
	for k := 0; k < warmup+capBenchRounds; k++ {
		r := dist.Range{Base: uint64(k) << 12, Size: 1 << 12}
		start := sys.Cycles()
		res := m.capOp(o, m.newOpID(), dist.Retype, r)
		d := sys.Cycles() - start
		if !res.Committed {
			return 0, fmt.Errorf("retype refused (%v)", res.Reason)
		}
		if k >= warmup {
			samples = append(samples, d)
		}
	}
	slices.Sort(samples)
	return samples[len(samples)/2], nil
}

// multicastTree asks the SKB for the multicast tree from this core over
// cores 0 to n-1 and returns it as a parent array.
func (m *monitor) multicastTree(n uint8) (*[64]uint8, error) {
	if m.kb == nil {
		return nil, errNoSKB
	}
	cores := make([]string, n)
	for i := range cores {
		cores[i] = strconv.Itoa(i)
	}
	goal := fmt.Sprintf("multicast_tree(%d, [%s], T), multicast_edges(T, E)", m.core, strings.Join(cores, ","))
	answers, err := m.kb.Answers(goal)
	if err != nil {
		return nil, err
	}
	_, edges, ok := strings.Cut(answers, "E = ")
	if !ok {
		return nil, fmt.Errorf("no tree: %q", answers)
	}
	var tree [64]uint8
	for i := range tree {
		tree[i] = noParent
	}
	for _, e := range edgeRE.FindAllStringSubmatch(edges, -1) {
		from, _ := strconv.Atoi(e[1])
		to, _ := strconv.Atoi(e[2])
		if from >= int(n) || to >= int(n) || to == m.core || tree[to] != noParent {
			return nil, fmt.Errorf("tree edge %d-%d breaks the tree", from, to)
		}
		tree[to] = uint8(from)
	}
	for c := 0; c < int(n); c++ {
		if c != m.core && tree[c] == noParent {
			return nil, fmt.Errorf("the tree does not reach core %d", c)
		}
	}
	return &tree, nil
}

var edgeRE = regexp.MustCompile(`(\d+)-(\d+)`)
