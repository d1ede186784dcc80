package addrspace

import "testing"

func TestSharedPage(t *testing.T) {
	const seg = 0x401000
	for _, c := range []struct {
		name                  string
		vaddr, size, data, va uint64
		pa                    uint64
		ok                    bool
	}{
		{"first whole page", seg, 3 * PageSize, 0x200000, seg, 0x200000, true},
		{"last whole page", seg, 3 * PageSize, 0x200000, seg + 2*PageSize, 0x202000, true},
		{"page past the file bytes", seg, 3 * PageSize, 0x200000, seg + 3*PageSize, 0, false},
		{"partial last page", seg, 3*PageSize - 1, 0x200000, seg + 2*PageSize, 0, false},
		{"partial first page", seg + 8, 3 * PageSize, 0x200008, seg, 0, false},
		{"second page of an unaligned start", seg + 8, 3 * PageSize, 0x200008, seg + PageSize, 0x201000, true},
		{"file and memory out of step", seg, 3 * PageSize, 0x200010, seg, 0, false},
		{"below the segment", seg, 3 * PageSize, 0x200000, seg - PageSize, 0, false},
		{"empty segment", seg, 0, 0x200000, seg, 0, false},
		{"wrapping page", ^uint64(0) &^ (PageSize - 1), PageSize, 0x200000, ^uint64(0) &^ (PageSize - 1), 0, false},
	} {
		pa, ok := sharedPage(c.vaddr, c.size, c.data, c.va)
		if ok != c.ok || pa != c.pa {
			t.Errorf("%s: sharedPage = %#x, %v; want %#x, %v", c.name, pa, ok, c.pa, c.ok)
		}
	}
}

func TestBootImagePages(t *testing.T) {
	saved := bootImages
	defer func() { bootImages = saved }()
	bootImages = nil
	freed := 0
	free := func(uint64) { freed++ }
	keepBoot(free)(0x300000)
	if freed != 1 {
		t.Fatalf("without boot images a page was not freed")
	}
	AddBootImage(0x200000, 0x203000)
	AddBootImage(0x500000, 0x500000) // empty: ignored
	if len(bootImages) != 1 {
		t.Fatalf("bootImages = %v, want one range", bootImages)
	}
	for _, c := range []struct {
		pa   uint64
		boot bool
	}{{0x1ff000, false}, {0x200000, true}, {0x202000, true}, {0x203000, false}, {0x500000, false}} {
		if got := isBootPage(c.pa); got != c.boot {
			t.Errorf("isBootPage(%#x) = %v, want %v", c.pa, got, c.boot)
		}
		freed = 0
		keepBoot(free)(c.pa)
		if (freed == 0) != c.boot {
			t.Errorf("page %#x: freed %d times, boot image %v", c.pa, freed, c.boot)
		}
	}
	if _, ok := bootPhys(make([]byte, 64)); ok {
		t.Errorf("bootPhys took a heap slice for a boot image")
	}
	if _, ok := bootPhys(nil); ok {
		t.Errorf("bootPhys took an empty slice for a boot image")
	}
}
