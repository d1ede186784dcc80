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
