package shootdown

import (
	"math/bits"
	"strconv"
	"strings"
)

// MaxCores bounds the core numbers the package handles: a CoreSet is one
// 64-bit word, and a core number fits a byte of the wire format.
const MaxCores = 64

// CoreSet is a set of core numbers below MaxCores, bit c for core c.
type CoreSet uint64

// SetOf returns the set of the given cores; it panics on a core outside
// 0..MaxCores-1 (a programming error of the caller, not input).
func SetOf(cores ...int) CoreSet {
	var s CoreSet
	for _, c := range cores {
		if c < 0 || c >= MaxCores {
			panic("shootdown: core " + strconv.Itoa(c) + " out of range")
		}
		s |= 1 << c
	}
	return s
}

// FirstN returns the set of cores 0 to n-1.
func FirstN(n int) CoreSet {
	if n >= MaxCores {
		return ^CoreSet(0)
	}
	return CoreSet(1)<<n - 1
}

// Has reports whether core c is in s.
func (s CoreSet) Has(c int) bool { return c >= 0 && c < MaxCores && s&(1<<c) != 0 }

// With returns s with core c added.
func (s CoreSet) With(c int) CoreSet { return s | 1<<c }

// Without returns s with core c removed.
func (s CoreSet) Without(c int) CoreSet { return s &^ (1 << c) }

// Len returns the number of cores in s.
func (s CoreSet) Len() int { return bits.OnesCount64(uint64(s)) }

// Cores returns the cores of s in ascending order.
func (s CoreSet) Cores() []int {
	out := make([]int, 0, s.Len())
	for v := uint64(s); v != 0; v &= v - 1 {
		out = append(out, bits.TrailingZeros64(v))
	}
	return out
}

// String returns s as {a,b,...}.
func (s CoreSet) String() string {
	parts := make([]string, 0, s.Len())
	for _, c := range s.Cores() {
		parts = append(parts, strconv.Itoa(c))
	}
	return "{" + strings.Join(parts, ",") + "}"
}
