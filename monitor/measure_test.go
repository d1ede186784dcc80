package main

import (
	"slices"
	"testing"
)

// TestMatrixPairs: every ordered pair of members once, those between
// other cores first, then those to this core, then this core's row.
func TestMatrixPairs(t *testing.T) {
	m := &monitor{core: 0}
	got := m.matrixPairs(0b1011) // cores 0, 1, 3
	want := []pair{{1, 3}, {3, 1}, {1, 0}, {3, 0}, {0, 1}, {0, 3}}
	if !slices.Equal(got, want) {
		t.Errorf("pairs %v, want %v", got, want)
	}
	if got := m.matrixPairs(1); len(got) != 0 {
		t.Errorf("one core: pairs %v, want none", got)
	}
}

func TestLostPairs(t *testing.T) {
	matrix := make([][64]uint32, maxCores)
	matrix[1][3], matrix[0][1] = 5000, 4000
	pairs := []pair{{1, 3}, {3, 1}, {0, 1}, {0, 3}}
	if got, want := lostPairs(matrix, pairs), []pair{{3, 1}, {0, 3}}; !slices.Equal(got, want) {
		t.Errorf("lost %v, want %v", got, want)
	}
}
