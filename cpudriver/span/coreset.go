// Package span holds the host-testable parts of spanning programs
// (docs/spanning.md): the sets of cores a program spans.
package span

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// CoreSet is a set of cores: bit c is core c.
type CoreSet uint64

// Has reports whether c is in the set.
func (s CoreSet) Has(c int) bool { return c >= 0 && c < 64 && s&(1<<c) != 0 }

// Count returns the number of cores in the set.
func (s CoreSet) Count() int { return bits.OnesCount64(uint64(s)) }

// Lowest returns the lowest core of the set, -1 if it is empty.
func (s CoreSet) Lowest() int {
	if s == 0 {
		return -1
	}
	return bits.TrailingZeros64(uint64(s))
}

// Mask returns the set as a mask.
func (s CoreSet) Mask() uint64 { return uint64(s) }

// ParseCores parses a list of cores: items separated by commas, each N,
// A-B or node:K (the cores c < ncores with nodeOf(c) == K). ncores 0
// stands for a machine not known yet (ValidSyntax): cores below 64.
func ParseCores(spec string, nodeOf func(int) int, ncores int) (CoreSet, error) {
	var s CoreSet
	known := ncores > 0
	if !known {
		ncores = 64
	}
	for _, it := range strings.Split(spec, ",") {
		switch {
		case strings.HasPrefix(it, "node:"):
			k, err := strconv.Atoi(it[5:])
			if err != nil || k < 0 {
				return 0, fmt.Errorf("cores %q: bad node %q", spec, it)
			}
			if nodeOf == nil {
				return 0, fmt.Errorf("cores %q: node: needs the machine's topology", spec)
			}
			for c := 0; c < ncores && c < 64; c++ {
				if n := nodeOf(c); n == k || n == anyNode {
					s |= 1 << c
				}
			}
		default:
			a, b, isRange := strings.Cut(it, "-")
			lo, err1 := strconv.Atoi(a)
			hi, err2 := lo, error(nil)
			if isRange {
				hi, err2 = strconv.Atoi(b)
			}
			if err1 != nil || err2 != nil || lo < 0 || hi < lo {
				return 0, fmt.Errorf("cores %q: bad item %q (want N, A-B or node:K)", spec, it)
			}
			if hi >= 64 || !known && hi >= ncores {
				return 0, fmt.Errorf("cores %q: core %d: cores are numbered 0-63", spec, hi)
			}
			if hi >= ncores {
				return 0, fmt.Errorf("cores %q: core %d: the machine has %d cores", spec, hi, ncores)
			}
			for c := lo; c <= hi; c++ {
				s |= 1 << c
			}
		}
	}
	if s == 0 {
		return 0, fmt.Errorf("cores %q: no core", spec)
	}
	return s, nil
}

// ValidSyntax checks spec as ParseCores does, without a machine: every
// core number is below 64 and every node: item has a number.
func ValidSyntax(spec string) error {
	_, err := ParseCores(spec, func(int) int { return anyNode }, 0)
	return err
}

// anyNode stands for whichever node a node: item asks for (ValidSyntax).
const anyNode = -2
