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

// signalRemote makes sig pending for the program's thread tid, which
// is not on this core; false if it is nowhere.
func (p *Process) signalRemote(tid, sig int) bool {
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
	if c < 0 || c == st.self || st.cores&(1<<c) == 0 {
		return false
	}
	key := seqKey()
	rep, ok := request(c, kmesh.SpanKill, spanMsg{packWord0(tid, spanKey{st.home, st.id}, uint64(sig)), key}, key, p.dying)
	return ok && rep[2] != 0
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

func onSpanKilled(from int, msg urpc.Message) error {
	m := decodeSpan(msg)
	answer(m[1], m)
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
	for c := st.cores &^ (1 << st.self); c != 0; c &= c - 1 {
		core := bits.TrailingZeros64(c)
		if atomic.LoadUint64(coreWord(st.page, core, spLive)) != 0 {
			if err := send(core, kmesh.SpanSigaction, m); err != nil {
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
	} {
		kmesh.Handle(t, h)
	}
}
