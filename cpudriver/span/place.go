package span

import "math/bits"

// Place picks the core for a new thread of a spanning program that may
// run on the cores of mask, made on core self: the core with the fewest
// live threads of the program (count); on a tie the creator's own core,
// then a core of its NUMA node (nodeOf), then the lowest. It returns -1
// for an empty mask.
func Place(mask uint64, self int, count func(core int) uint64, nodeOf func(core int) int) int {
	selfNode := nodeOf(self)
	rank := func(c int) int {
		switch {
		case c == self:
			return 0
		case nodeOf(c) == selfNode:
			return 1
		}
		return 2
	}
	best, bestN := -1, uint64(0)
	for m := mask; m != 0; m &= m - 1 {
		c := bits.TrailingZeros64(m)
		n := count(c)
		if best < 0 || n < bestN || n == bestN && rank(c) < rank(best) {
			best, bestN = c, n
		}
	}
	return best
}
