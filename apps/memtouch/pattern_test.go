package main

import "testing"

// TestPagesDiffer: within a round no two pages share a word (so no two
// share content), across every word of 4096 pages and the sampled words
// of a million.
func TestPagesDiffer(t *testing.T) {
	seen := map[uint64]uint64{}
	for i := uint64(0); i < 4096; i++ {
		for w := uint64(0); w < pageWords; w++ {
			v := pageWord(7, i, w)
			if prev, dup := seen[v]; dup {
				t.Fatalf("page %d word %d repeats the word at %d", i, w, prev)
			}
			seen[v] = i*pageWords + w
		}
	}
	first := map[uint64]bool{}
	for i := uint64(0); i < 1<<20; i++ {
		s := sampled(i)
		for _, w := range s {
			if w >= pageWords {
				t.Fatalf("page %d: sampled word %d is outside the page", i, w)
			}
		}
		v := pageWord(7, i, s[0])
		if first[v] {
			t.Fatalf("page %d starts as an earlier page does", i)
		}
		first[v] = true
	}
}
