package multiboot

import (
	"math/rand"
	"reflect"
	"testing"
)

func TestUsableRangesQEMU(t *testing.T) {
	kernel := Range{0x200000, 0x5A0123}
	got := UsableRanges(qemuMap, Range{0, LowMemoryEnd}, kernel, Range{0x5A1000, 0x900000})
	// The page 0x5A0000-0x5A1000 holds the kernel's last bytes, and the
	// module starts right after it: nothing between them is usable.
	want := []Range{
		{0x100000, 0x200000},
		{0x900000, 0x7FFE0000},
		{0x100000000, 0x180000000},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("UsableRanges = %#v\nwant %#v", got, want)
	}
}

func TestUsableRangesOverlapAndAlignment(t *testing.T) {
	mmap := []MemoryRegion{
		{0x1000, 0x2800, Available},     // ends mid-page at 0x3800
		{0x3800, 0x800, Available},      // touches it: 0x3000-0x4000 is whole
		{0x2000, 0x10, ACPIReclaimable}, // overlapping reserved entry wins
		{0x10000, 0x1001, Available},
		{0x20000, 0, Available},
		{^uint64(0) - 0x1FFF, 0x2000, Available}, // the top pages
	}
	got := UsableRanges(mmap)
	want := []Range{{0x1000, 0x2000}, {0x3000, 0x4000}, {0x10000, 0x11000}, {^uint64(0) - 0x1FFF, ^uint64(0) - 0xFFF}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("UsableRanges = %#v\nwant %#v", got, want)
	}
	if got := UsableRanges(nil); got != nil {
		t.Errorf("UsableRanges(nil) = %v", got)
	}
}

// TestUsableRangesModel checks UsableRanges against a bitmap of bytes on
// random maps: a page is usable exactly when every byte of it is in an
// Available region and no byte of it is in another region or a reserved
// range. It also checks the shape of the result.
func TestUsableRangesModel(t *testing.T) {
	const pages = 48
	const size = pages * PageSize
	rng := rand.New(rand.NewSource(2))
	randRange := func() (uint64, uint64) {
		grain := []uint64{1, 512, PageSize}[rng.Intn(3)]
		a := uint64(rng.Intn(size)) / grain * grain
		b := a + uint64(rng.Intn(size/4))/grain*grain
		return a, min(b, size)
	}
	for iter := 0; iter < 500; iter++ {
		var mmap []MemoryRegion
		var reserved []Range
		avail := make([]bool, size)
		bad := make([]bool, size)
		for i := rng.Intn(8); i >= 0; i-- {
			a, b := randRange()
			ty := RegionType(1 + rng.Intn(3)/2*rng.Intn(5)) // mostly Available
			mmap = append(mmap, MemoryRegion{a, b - a, ty})
			mark(avail, bad, a, b, ty == Available)
		}
		for i := rng.Intn(4); i > 0; i-- {
			a, b := randRange()
			reserved = append(reserved, Range{a, b})
			mark(avail, bad, a, b, false)
		}
		got := UsableRanges(mmap, reserved...)
		checkShape(t, got)
		gotPages := make([]bool, pages)
		for _, r := range got {
			for p := r.Start / PageSize; p < r.End/PageSize; p++ {
				gotPages[p] = true
			}
		}
		for p := 0; p < pages; p++ {
			want := true
			for b := p * PageSize; b < (p+1)*PageSize; b++ {
				want = want && avail[b] && !bad[b]
			}
			if gotPages[p] != want {
				t.Fatalf("iteration %d: page %d usable = %v, model says %v\nmmap %v\nreserved %v\ngot %v",
					iter, p, gotPages[p], want, mmap, reserved, got)
			}
		}
	}
}

// mark sets the model's bytes [a, b) as available or taken.
func mark(avail, bad []bool, a, b uint64, available bool) {
	for i := a; i < b; i++ {
		if available {
			avail[i] = true
		} else {
			bad[i] = true
		}
	}
}

// checkShape checks that ranges are page-aligned, non-empty, sorted and
// neither overlap nor touch.
func checkShape(t *testing.T, rs []Range) {
	t.Helper()
	for i, r := range rs {
		if r.Start%PageSize != 0 || r.End%PageSize != 0 || r.Start >= r.End {
			t.Fatalf("range %d %#v is not a non-empty page-aligned range", i, r)
		}
		if i > 0 && rs[i-1].End >= r.Start {
			t.Fatalf("ranges %d and %d overlap, touch or are out of order: %#v", i-1, i, rs)
		}
	}
}
