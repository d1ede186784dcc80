package span

import "testing"

func TestDedicate(t *testing.T) {
	for _, tc := range []struct {
		old, cores uint64
		c          int
		want       uint64
		ok         bool
	}{
		{0, 0b11, 1, 0b10, true},
		{0, 0b11, 2, 0, false},         // not a core of the program
		{0b10, 0b11, 1, 0b10, false},   // dedicated already
		{0b10, 0b11, 0, 0b10, false},   // would leave no core
		{0b100, 0b111, 0, 0b101, true}, // core 1 is left
		{0, 1, 0, 0, false},            // a program of one core
		{0, ^uint64(0), 64, 0, false},  // past the mask
		{0, ^uint64(0), -1, 0, false},
	} {
		got, ok := Dedicate(tc.old, tc.cores, tc.c)
		if ok != tc.ok || ok && got != tc.want || !ok && got != tc.old {
			t.Errorf("Dedicate(%#b, %#b, %d) = %#b, %v; want %#b, %v", tc.old, tc.cores, tc.c, got, ok, tc.want, tc.ok)
		}
	}
}

// TestUndedicated: the result never names a dedicated core unless every
// core is, is within mask when mask has an undedicated core, and else
// within the program's cores.
func TestUndedicated(t *testing.T) {
	for cores := uint64(1); cores < 1<<5; cores++ {
		for ded := uint64(0); ded < 1<<5; ded++ {
			if ded&^cores != 0 {
				continue
			}
			for mask := uint64(1); mask < 1<<5; mask++ {
				if mask&^cores != 0 {
					continue
				}
				got := Undedicated(mask, cores, ded)
				switch {
				case cores&^ded == 0 && got != 0:
					t.Fatalf("every core dedicated: %#b", got)
				case got&ded != 0:
					t.Fatalf("(%#b, %#b, %#b) = %#b names a dedicated core", mask, cores, ded, got)
				case mask&^ded != 0 && got != mask&^ded:
					t.Fatalf("(%#b, %#b, %#b) = %#b, want %#b", mask, cores, ded, got, mask&^ded)
				case mask&^ded == 0 && got != cores&^ded:
					t.Fatalf("(%#b, %#b, %#b) = %#b, want the free cores %#b", mask, cores, ded, got, cores&^ded)
				}
			}
		}
	}
}
