//go:build linux

package main

import (
	"regexp"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	in := []time.Duration{5, 1, 9}
	if got := median(in); got != 5 {
		t.Errorf("median = %v, want 5", got)
	}
	if in[0] != 5 || in[1] != 1 {
		t.Error("median reordered its argument")
	}
	if got := median([]time.Duration{4, 1, 2, 10}); got != 4 {
		t.Errorf("even count: %v, want the upper middle 4", got)
	}
}

// TestMeasures runs every measure briefly on the host: each must succeed
// and take time, and its name must be one tools/bootbench parses.
func TestMeasures(t *testing.T) {
	name := regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	seen := map[string]bool{}
	for _, m := range measures(sizes{calls: 100, maps: 50, mib: 1, trips: 50, reps: 1}) {
		if !name.MatchString(m.name) || seen[m.name] {
			t.Errorf("measure name %q: want lower case, digits and hyphens, and unique", m.name)
		}
		seen[m.name] = true
		if d, err := m.run(m.ops); err != nil || d <= 0 {
			t.Errorf("%s: %v, %v", m.name, d, err)
		}
	}
	if err := bench(sizes{calls: 0, maps: 1, mib: 1, trips: 1, reps: 1}); err == nil {
		t.Error("bench accepted -calls 0")
	}
}

// TestRoundTripsRepeat runs the two-thread measures several times in a
// row: each must leave nothing behind that the next run trips over.
func TestRoundTripsRepeat(t *testing.T) {
	for range 5 {
		if _, err := pipeRoundTrips(10); err != nil {
			t.Fatal(err)
		}
		if _, err := futexRoundTrips(10); err != nil {
			t.Fatal(err)
		}
	}
}
