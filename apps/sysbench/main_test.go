//go:build linux

package main

import (
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

// TestMeasures runs every measure briefly on the host: each must end and
// take time.
func TestMeasures(t *testing.T) {
	if d := nullCalls(100); d <= 0 {
		t.Errorf("nullCalls: %v", d)
	}
	if d, err := pageFaults(1 << 20); err != nil || d <= 0 {
		t.Errorf("pageFaults: %v, %v", d, err)
	}
	if d := futexTurns(100); d <= 0 {
		t.Errorf("futexTurns: %v", d)
	}
	if err := bench(0, 1, 1, 1); err == nil {
		t.Error("bench accepted -calls 0")
	}
}
