package ring0

import (
	"testing"

	"multikernel/cpudriver/internal/useraddr"
)

// TestEntryOK: Run enters ring 3 only with user addresses in RIP, RSP and
// the FS base, each checked alone.
func TestEntryOK(t *testing.T) {
	if UserLimit != useraddr.Limit {
		t.Fatalf("UserLimit %#x, the test table's %#x", UserLimit, useraddr.Limit)
	}
	for _, v := range useraddr.Values {
		if IsUserAddr(v.V) != v.OK {
			t.Errorf("IsUserAddr(%s %#x) = %v", v.Name, v.V, !v.OK)
		}
		for _, reg := range []string{"IP", "SP", "FS"} {
			r := UserRegs{IP: 0x401000, SP: 0x7ff000, FS: 0x500000}
			switch reg {
			case "IP":
				r.IP = v.V
			case "SP":
				r.SP = v.V
			case "FS":
				r.FS = v.V
			}
			if r.EntryOK() != v.OK {
				t.Errorf("%s = %s %#x: EntryOK %v, want %v", reg, v.Name, v.V, !v.OK, v.OK)
			}
		}
	}
}

// TestFXLayout: the offsets user_amd64.s uses agree with the FXSAVE image
// NewUserFPU builds (Intel SDM vol. 1, table 10-2), and copyX87 moves the
// x87 part alone, leaving MXCSR, MXCSR_MASK and XMM0-15 as they are.
func TestFXLayout(t *testing.T) {
	f := NewUserFPU()
	if m := uint32(f[fxMXCSR]) | uint32(f[fxMXCSR+1])<<8; m != 0x1F80 {
		t.Errorf("MXCSR at %d: %#x, want 0x1f80", fxMXCSR, m)
	}
	if fxXMM != fxX87End || fxXMM+16*16 != 416 || fxMXCSRMask != fxMXCSR+4 {
		t.Errorf("offsets: XMM %d, x87 end %d, MXCSR_MASK %d", fxXMM, fxX87End, fxMXCSRMask)
	}
	var src, dst UserFPU
	for i := range src {
		src[i] = byte(i) | 1
	}
	copyX87(&dst, &src)
	for i := range dst {
		x87 := i < fxMXCSR || (i >= fxMXCSRMask+4 && i < fxX87End)
		if x87 != (dst[i] == src[i]) {
			t.Errorf("byte %d: copied %v, x87 part %v", i, dst[i] == src[i], x87)
		}
	}
}

// TestFastMask: the fast path's bit string has a bit for each call it
// answers and for no other number.
func TestFastMask(t *testing.T) {
	want := map[int]bool{sysGetpid: true, sysGettid: true, sysGetuid: true, sysGetgid: true, sysGeteuid: true, sysGetegid: true, sysGetppid: true}
	for nr := 0; nr < fastCalls; nr++ {
		if got := fastMask[nr/64]&(1<<(nr%64)) != 0; got != want[nr] {
			t.Errorf("call %d: in the fast path's mask %v, want %v", nr, got, want[nr])
		}
	}
	for nr := range want {
		if nr >= fastCalls {
			t.Errorf("call %d is past fastCalls (%d)", nr, fastCalls)
		}
	}
}
