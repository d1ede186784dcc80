package proc

import (
	"encoding/binary"
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
		th := &Thread{}
		th.regs.FS = 0x500000
		got := th.archPrctl(0x1002, v.V)
		switch {
		case v.OK && (got != 0 || th.regs.FS != v.V):
			t.Errorf("ARCH_SET_FS %s %#x: %d, FS %#x", v.Name, v.V, got, th.regs.FS)
		case !v.OK && (got != -kpi.EPERM || th.regs.FS != 0x500000):
			t.Errorf("ARCH_SET_FS %s %#x: %d (FS %#x), want EPERM", v.Name, v.V, got, th.regs.FS)
		}
	}
	if got := (&Thread{}).archPrctl(0x1001, 0); got != -kpi.EINVAL { // ARCH_SET_GS
		t.Errorf("ARCH_SET_GS: %d, want EINVAL (the GS base is the CPU driver's)", got)
	}
}

// TestSigreturnRegisters: rt_sigreturn restores RIP and RSP from the
// frame only if they are user addresses, never the FS base; RFLAGS are
// limited on the way to ring 3 (ring0.Run).
func TestSigreturnRegisters(t *testing.T) {
	cur := ring0.UserRegs{IP: 0x401000, SP: 0x7ff000, FS: 0x500000}
	frame := func(ip, sp uint64) []byte {
		u := make([]byte, ucSize)
		mc := u[ucMcontext:]
		var r ring0.UserRegs
		r.IP, r.SP, r.FLAGS, r.AX = ip, sp, ^uint64(0), 7
		for i, p := range sigcontextRegs(&r) {
			binary.LittleEndian.PutUint64(mc[i*8:], *p)
		}
		return u
	}
	for _, v := range useraddr.Values {
		for _, reg := range []string{"IP", "SP"} {
			ip, sp := uint64(0x402000), uint64(0x7fe000)
			if reg == "IP" {
				ip = v.V
			} else {
				sp = v.V
			}
			nr, ok := sigcontextIn(frame(ip, sp), cur)
			if ok != v.OK {
				t.Errorf("%s = %s %#x: restored %v, want %v", reg, v.Name, v.V, ok, v.OK)
			}
			if ok && (nr.IP != ip || nr.SP != sp || nr.AX != 7 || nr.FS != cur.FS) {
				t.Errorf("%s = %#x: restored %+v", reg, v.V, nr)
			}
		}
	}
}

// TestSignalHandlerAddress: a signal is delivered only to a handler and a
// restorer at user addresses; otherwise the process dies of it.
func TestSignalHandlerAddress(t *testing.T) {
	for _, v := range useraddr.Values {
		want := v.OK && v.V > 1 // 0 and 1 are SIG_DFL and SIG_IGN
		if got := handlerOK(v.V, saRestorer, 0x401000); got != want {
			t.Errorf("handler %s %#x: deliverable %v, want %v", v.Name, v.V, got, want)
		}
		if got := handlerOK(0x401000, saRestorer, v.V); got != v.OK {
			t.Errorf("restorer %s %#x: deliverable %v, want %v", v.Name, v.V, got, v.OK)
		}
	}
	if handlerOK(0x401000, 0, 0x402000) {
		t.Errorf("delivered without SA_RESTORER")
	}
}
