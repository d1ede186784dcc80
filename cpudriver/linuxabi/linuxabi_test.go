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
	cloexec, flags := false, uint64(2)
	if _, ok := Fcntl(FSetfl, 0x801, &cloexec, &flags); !ok || flags != 0x802 {
		t.Errorf("F_SETFL left flags %#x, want 0x802 (access mode unchanged)", flags)
	}
	if r, _ := Fcntl(FGetfl, 0, &cloexec, &flags); r != 0x802 {
		t.Errorf("F_GETFL = %#x", r)
	}
	Fcntl(FSetfd, 1, &cloexec, &flags)
	if r, _ := Fcntl(FGetfd, 0, &cloexec, &flags); r != 1 || !cloexec {
		t.Errorf("F_GETFD after F_SETFD 1 = %d", r)
	}
	if _, ok := Fcntl(99, 0, &cloexec, &flags); ok {
		t.Errorf("an unknown command was accepted")
	}
}
