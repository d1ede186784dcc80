package linuxabi

import "testing"

func TestSigmask(t *testing.T) {
	tests := []struct {
		how       int
		cur, set  uint64
		want      uint64
		wantValid bool
	}{
		{SigBlock, 0b0101, 0b0011, 0b0111, true},
		{SigUnblock, 0b0101, 0b0011, 0b0100, true},
		{SigSetmask, 0b0101, 0b0011, 0b0011, true},
		{7, 0b0101, 0b0011, 0b0101, false},
	}
	for _, tc := range tests {
		if got, ok := Sigmask(tc.how, tc.cur, tc.set); got != tc.want || ok != tc.wantValid {
			t.Errorf("Sigmask(%d, %b, %b) = %b, %v", tc.how, tc.cur, tc.set, got, ok)
		}
	}
	if got := FileStatusFlags(2, 0x801); got != 0x802 {
		t.Errorf("FileStatusFlags kept %#x, want 0x802 (access mode unchanged)", got)
	}
}
