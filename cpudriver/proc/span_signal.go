package proc

import (
	"math/bits"
	"sync/atomic"

	"multikernel/cpudriver/kmesh"
	"multikernel/urpc"
)

// Signals of spanning programs: a signal for a thread on another core
// goes there (SpanKill; the core a thread id was made on follows from
// the id, and a core a thread moved away from passes it on), and a new
// rt_sigaction entry, set on the home core, goes to every live replica
// (SpanSigaction).

// threadCore returns the core to ask for the program's thread tid, which
// is not on this core: the one it moved to from here, else the one that
// made it (the home for the main thread); false if that is this core or
// not one of the program's.
func (p *Process) threadCore(tid int) (int, bool) {
	st := p.span
	p.mu.Lock()
	c, moved := st.moved[tid]
	p.mu.Unlock()
	if !moved {
		c = tidCore(p.PID, tid)
		if tid == p.PID {
			c = st.home
		}
	}
	return c, c >= 0 && c != st.self && st.coreMask()&(1<<c) != 0
}

// askThread sends request t about thread tid (arg in the word-0 field,
// more in the third word) to the core that has it, and reports whether
// that core found it (the answer's third word).
func (p *Process) askThread(t kmesh.Type, tid int, arg, more uint64) bool {
	c, ok := p.threadCore(tid)
	if !ok {
		return false
	}
	st := p.span
	key := seqKey()
	rep, ok := request(c, t, spanMsg{packWord0(tid, spanKey{st.home, st.id}, arg), key, more}, key, p.dying)
	return ok && rep[2] != 0
}

// signalRemote makes sig pending for the program's thread tid, which
// is not on this core; false if it is nowhere.
func (p *Process) signalRemote(tid, sig int) bool {
	return p.askThread(kmesh.SpanKill, tid, uint64(sig), 0)
}

// affinityRemote sets the cores the program's thread tid, which is not on
// this core, may run on; false if it is nowhere.
func (p *Process) affinityRemote(tid int, mask uint64) bool {
	return p.askThread(kmesh.SpanAffinity, tid, 0, mask)
}

// onSpanKill makes a signal pending for a thread here (or passes it on)
// and answers whether the thread was found.
func onSpanKill(from int, msg urpc.Message) error {
	m := decodeSpan(msg)
	tid, k, sig := unpackWord0(m[0])
	p := spanLookup(k)
	go func() {
		found := p != nil && p.Signal(tid, int(sig))
		var f uint64
		if found {
			f = 1
		}
		send(from, kmesh.SpanKilled, spanMsg{m[0], m[1], f})
	}()
	return nil
}

// onSpanKilled and onSpanAffinitySet hand a thread request's answer to
// its caller.
func onSpanKilled(from int, msg urpc.Message) error {
	m := decodeSpan(msg)
	answer(m[1], m)
	return nil
}

// onSpanAffinity sets the mask of a thread here (or passes it on) and
// answers whether the thread was found.
func onSpanAffinity(from int, msg urpc.Message) error {
	m := decodeSpan(msg)
	tid, k, _ := unpackWord0(m[0])
	p := spanLookup(k)
	go func() {
		var f uint64
		if p != nil && p.SetThreadAffinity(tid, m[2]&p.span.coreMask()) {
			f = 1
		}
		send(from, kmesh.SpanAffinitySet, spanMsg{m[0], m[1], f})
	}()
	return nil
}

// shareSigAction sends the home core's new entry for sig to every live
// replica.
func (p *Process) shareSigAction(sig int, a [32]byte) {
	st := p.span
	m := spanMsg{packWord0(0, spanKey{st.home, st.id}, uint64(sig))}
	for i := 0; i < 4; i++ {
		for j := 0; j < 8; j++ {
			m[1+i] |= uint64(a[8*i+j]) << (8 * j)
		}
	}
	for c := st.coreMask() &^ (1 << st.self); c != 0; c &= c - 1 {
		core := bits.TrailingZeros64(c)
		if atomic.LoadUint64(coreWord(st.page, core, spLive)) != 0 {
			if err := sendWaiting(core, kmesh.SpanSigaction, m, p.dying); err != nil {
				p.LogOnce("span-sigaction", "core %d did not get a new signal action: %v", core, err)
			}
		}
	}
}

// onSpanSigaction records a new rt_sigaction entry in this core's replica.
func onSpanSigaction(from int, msg urpc.Message) error {
	m := decodeSpan(msg)
	_, k, sig := unpackWord0(m[0])
	p := spanLookup(k)
	if p == nil || !p.span.replica || sig < 1 || sig > 64 {
		return nil
	}
	var a [32]byte
	for i := 0; i < 32; i++ {
		a[i] = byte(m[1+i/8] >> (8 * (i % 8)))
	}
	go func() {
		p.mu.Lock()
		if p.sigactions == nil {
			p.sigactions = map[int][32]byte{}
		}
		p.sigactions[int(sig)] = a
		p.mu.Unlock()
	}()
	return nil
}

// InstallSpan registers the spanning programs' message handlers on the
// CPU drivers' mesh. Package main calls it once, before kmesh starts.
func InstallSpan() {
	for t, h := range map[kmesh.Type]kmesh.Handler{
		kmesh.SpanThread: onSpanThread, kmesh.SpanThreadDone: onSpanThreadDone,
		kmesh.SpanCall: onSpanCall, kmesh.SpanRet: onSpanRet,
		kmesh.SpanShoot: onSpanShoot, kmesh.SpanShot: onSpanShot,
		kmesh.SpanWake: onSpanWake, kmesh.SpanWoken: onSpanWoken,
		kmesh.SpanKill: onSpanKill, kmesh.SpanKilled: onSpanKilled,
		kmesh.SpanExit: onSpanExit, kmesh.SpanGone: onSpanGone,
		kmesh.SpanDie: onSpanDie, kmesh.SpanSigaction: onSpanSigaction,
		kmesh.SpanShootLine: onSpanShootLine,
		kmesh.SpanAffinity:  onSpanAffinity, kmesh.SpanAffinitySet: onSpanKilled,
	} {
		kmesh.Handle(t, h)
	}
}
