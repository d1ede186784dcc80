package span

import "math/bits"

// A Route says how a shootdown reaches one core the initiator sends to:
// the core, and the cores it passes the shootdown on to (in its own
// node) before it answers.
type Route struct {
	Core    int
	Forward uint64
}

// ShootRoutes plans a shootdown from core self to the cores of live (self
// excluded). Unicast sends to each core; NUMA-aware multicast sends to
// the lowest core of each other node, which passes it on within its node,
// and to the cores of self's node directly, so that one message per
// remote node crosses the interconnect instead of one per remote core
// (the Barrelfish paper's NUMA-aware multicast, its tree two levels deep).
func ShootRoutes(live uint64, self int, nodeOf func(int) int, numa bool) []Route {
	live &^= 1 << self
	var rs []Route
	if !numa {
		for m := live; m != 0; m &= m - 1 {
			rs = append(rs, Route{Core: bits.TrailingZeros64(m)})
		}
		return rs
	}
	home := nodeOf(self)
	leader := map[int]int{} // node: index in rs
	for m := live; m != 0; m &= m - 1 {
		c := bits.TrailingZeros64(m)
		n := nodeOf(c)
		if n == home {
			rs = append(rs, Route{Core: c})
			continue
		}
		if i, ok := leader[n]; ok {
			rs[i].Forward |= 1 << c
			continue
		}
		leader[n] = len(rs)
		rs = append(rs, Route{Core: c})
	}
	return rs
}

// CrossNode counts the messages of routes that cross nodes (one way:
// the answers cross as many again).
func CrossNode(routes []Route, self int, nodeOf func(int) int) int {
	n := 0
	for _, r := range routes {
		if nodeOf(r.Core) != nodeOf(self) {
			n++
		}
		for m := r.Forward; m != 0; m &= m - 1 {
			if nodeOf(bits.TrailingZeros64(m)) != nodeOf(r.Core) {
				n++
			}
		}
	}
	return n
}
