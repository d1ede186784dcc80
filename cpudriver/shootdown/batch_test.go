package shootdown

import (
	"errors"
	"math/rand/v2"
	"testing"
)

func pg(a, b uint64) Range { return Range{a * PageSize, b * PageSize} }

// TestBatch checks the merging and the fallback to a full flush.
func TestBatch(t *testing.T) {
	for _, c := range []struct {
		name string
		add  []Range
		want Flush
	}{
		{"one page", []Range{pg(3, 4)}, Flush{N: 1, R: [3]Range{pg(3, 4)}}},
		{"pages of a range", []Range{pg(3, 4), pg(4, 5), pg(5, 6), pg(6, 7)}, Flush{N: 1, R: [3]Range{pg(3, 7)}}},
		{"out of order, adjacent", []Range{pg(6, 7), pg(3, 4), pg(4, 6)}, Flush{N: 1, R: [3]Range{pg(3, 7)}}},
		{"overlapping", []Range{pg(1, 5), pg(3, 9), pg(2, 3)}, Flush{N: 1, R: [3]Range{pg(1, 9)}}},
		{"bridging", []Range{pg(1, 2), pg(5, 6), pg(9, 10), pg(2, 9)}, Flush{N: 1, R: [3]Range{pg(1, 10)}}},
		{"three apart", []Range{pg(9, 10), pg(1, 2), pg(5, 6)}, Flush{N: 3, R: [3]Range{pg(1, 2), pg(5, 6), pg(9, 10)}}},
		{"four apart", []Range{pg(9, 10), pg(1, 2), pg(5, 6), pg(20, 21)}, FullFlush},
		{"four merged to three", []Range{pg(9, 10), pg(1, 2), pg(5, 6), pg(20, 21), pg(10, 20)}, Flush{N: 3, R: [3]Range{pg(1, 2), pg(5, 6), pg(9, 21)}}},
	} {
		var b Batch
		for _, r := range c.add {
			if err := b.Add(r); err != nil {
				t.Fatal(err)
			}
		}
		got, ok := b.Take()
		if !ok || got != c.want {
			t.Errorf("%s: %v (%v), want %v", c.name, got, ok, c.want)
		}
		if err := got.Check(); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if !b.Empty() {
			t.Errorf("%s: not empty after Take", c.name)
		}
	}
	var b Batch
	if _, ok := b.Take(); ok {
		t.Error("an empty batch gave a flush")
	}
	b.Add(pg(1, 2))
	b.AddFull()
	b.Add(pg(7, 8))
	if f, _ := b.Take(); f != FullFlush {
		t.Errorf("after AddFull: %v", f)
	}
	for _, r := range []Range{pg(2, 1), pg(2, 2), {1, 4096}, {0, UserTop + PageSize}} {
		if err := b.Add(r); !errors.Is(err, ErrRange) {
			t.Errorf("Add(%v): %v", r, err)
		}
	}
	if !b.Empty() {
		t.Error("bad ranges were queued")
	}
}

// TestBatchAgainstPages checks random batches against the simplest
// model: the set of pages added. The flush covers exactly those pages
// unless it is full, and is full only when the pages form more than
// MaxRanges runs.
func TestBatchAgainstPages(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 3000 {
		var b Batch
		pages := map[uint64]bool{}
		for range 1 + r.IntN(8) {
			s := uint64(r.IntN(40))
			e := s + 1 + uint64(r.IntN(4))
			b.Add(pg(s, e))
			for p := s; p < e; p++ {
				pages[p] = true
			}
		}
		f, _ := b.Take()
		if err := f.Check(); err != nil {
			t.Fatal(err)
		}
		runs := 0
		for p := uint64(0); p < 50; p++ {
			if pages[p] && !pages[p-1] {
				runs++
			}
			if !f.Full && f.Covers(p*PageSize) != pages[p] {
				t.Fatalf("page %d: covered %v, added %v (flush %v)", p, f.Covers(p*PageSize), pages[p], f)
			}
		}
		if f.Full != (runs > MaxRanges) {
			t.Fatalf("%d runs gave %v", runs, f)
		}
	}
}
