package shootdown

// The target machine: 16 cores on 4 nodes of 4 (cores 4n to 4n+3 on node
// n), the Opteron square's SLIT (tools/qemu/qemuargs.Distance): 10 local,
// 16 to the neighbours (0-1, 0-2, 1-3, 2-3), 22 across (0-3, 1-2).
func square() *Topology {
	t := &Topology{Node: make([]int, 16), Dist: make([][]int, 4)}
	for c := range t.Node {
		t.Node[c] = c / 4
	}
	for a := range t.Dist {
		t.Dist[a] = make([]int, 4)
		for b := range t.Dist[a] {
			switch {
			case a == b:
				t.Dist[a][b] = 10
			case a+b == 3:
				t.Dist[a][b] = 22
			default:
				t.Dist[a][b] = 16
			}
		}
	}
	return t
}

// packed returns cores 0 to n-1, as a program started on the first n
// cores (the cap benchmark's placement); spread returns n cores dealt out
// over the nodes in turn (0, 4, 8, 12, 1, 5, ...).
func packed(n int) CoreSet { return FirstN(n) }

func spread(n int) CoreSet {
	var s CoreSet
	for i := range n {
		s = s.With(i%4*4 + i/4)
	}
	return s
}

// placements are the two ways the tests place a program on the square.
var placements = []struct {
	name string
	of   func(int) CoreSet
}{{"packed", packed}, {"spread", spread}}

// sizes are the program sizes the issue benchmarks.
var sizes = []int{2, 4, 8, 16}
