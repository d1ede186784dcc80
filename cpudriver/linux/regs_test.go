package linux

import (
	"testing"

	"multikernel/cpudriver/internal/useraddr"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/ring0"
)

// The table tests below try every path that loads a user-chosen value
// into RIP, RSP or the FS base with canonical, non-canonical and
// kernel-half values (useraddr.Values); ring0.TestEntryOK checks the last
// line of defence, Run's own check.

// TestCloneTLS: clone(CLONE_SETTLS) takes a TLS base that is a user
// address and refuses any other with EPERM, leaving the caller's
// registers alone.
func TestCloneTLS(t *testing.T) {
	cur := ring0.UserRegs{IP: 0x401000, SP: 0x7ff000, FS: 0x500000, AX: 56}
	for _, v := range useraddr.Values {
		r, errno := cloneRegs(cur, cloneSettls, 0x600000, v.V)
		switch {
		case v.OK && (errno != 0 || r.FS != v.V || r.SP != 0x600000 || r.AX != 0):
			t.Errorf("tls %s %#x: errno %d, FS %#x SP %#x AX %d", v.Name, v.V, errno, r.FS, r.SP, r.AX)
		case !v.OK && errno != -kpi.EPERM:
			t.Errorf("tls %s %#x: errno %d, want EPERM", v.Name, v.V, errno)
		}
		// Without CLONE_SETTLS the value is not looked at.
		if r, errno := cloneRegs(cur, 0, 0, v.V); errno != 0 || r.FS != cur.FS || r.SP != cur.SP {
			t.Errorf("no CLONE_SETTLS, tls %#x: errno %d, FS %#x", v.V, errno, r.FS)
		}
	}
}

// TestArchPrctlSetFS: ARCH_SET_FS takes a user address and refuses any
// other with EPERM, as Linux does.
func TestArchPrctlSetFS(t *testing.T) {
	for _, v := range useraddr.Values {
		r := ring0.UserRegs{FS: 0x500000}
		got := archPrctlRegs(&r, 0x1002, v.V, nil)
		switch {
		case v.OK && (got != 0 || r.FS != v.V):
			t.Errorf("ARCH_SET_FS %s %#x: %d, FS %#x", v.Name, v.V, got, r.FS)
		case !v.OK && (got != -kpi.EPERM || r.FS != 0x500000):
			t.Errorf("ARCH_SET_FS %s %#x: %d (FS %#x), want EPERM", v.Name, v.V, got, r.FS)
		}
	}
	var r ring0.UserRegs
	if got := archPrctlRegs(&r, 0x1001, 0, nil); got != -kpi.EINVAL { // ARCH_SET_GS
		t.Errorf("ARCH_SET_GS: %d, want EINVAL (the GS base is the CPU driver's)", got)
	}
}
