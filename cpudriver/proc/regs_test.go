package proc

import (
	"encoding/binary"
	"testing"

	"multikernel/cpudriver/internal/useraddr"
	"multikernel/cpudriver/ring0"
)

// The table tests below try every path that loads a user-chosen value
// into RIP, RSP or the FS base with canonical, non-canonical and
// kernel-half values (useraddr.Values; clone's and arch_prctl's are in
// cpudriver/linux); ring0.TestEntryOK checks the last
// line of defence, Run's own check.

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
