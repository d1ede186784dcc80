package main

import (
	"fmt"
	"slices"
	"time"
)

// stats summarises a set of timings.
type stats struct {
	N                int
	Median, Min, Max time.Duration
}

// summarize returns the median (the mean of the middle two for an even
// count), minimum and maximum of ds; all zero for none.
func summarize(ds []time.Duration) stats {
	if len(ds) == 0 {
		return stats{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	m := s[n/2]
	if n%2 == 0 {
		m = (s[n/2-1] + s[n/2]) / 2
	}
	return stats{N: n, Median: m, Min: s[0], Max: s[n-1]}
}

// seconds formats d in seconds with three decimals.
func seconds(d time.Duration) string { return fmt.Sprintf("%.3f s", d.Seconds()) }
