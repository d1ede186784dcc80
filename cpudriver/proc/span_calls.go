package proc

import (
	"multikernel/cpudriver/addrspace"
	"multikernel/cpudriver/kmesh"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/linuxabi"
	"multikernel/cpudriver/memory"
	"multikernel/cpudriver/pagetable"
	"multikernel/cpudriver/ring0"
	"multikernel/urpc"
)

// Calls and faults of a replica's threads (span.go): the calls in
// replicaLocal run on the thread's own core; every other call, and every
// page fault the replica's tables cannot answer, goes to the home core
// as a SpanCall and waits for its SpanRet, blocked (the core runs its
// other threads meanwhile). On the home core each runs in a goroutine of
// its own for the calling thread's proxy, as the call would for a local
// thread, and may wait there (a read of a pipe, epoll_pwait).

// replicaLocal marks the Linux calls a replica runs itself: those that
// concern only the calling thread or its core, and those that reach
// other cores by their own messages (futex wakes, tgkill, clone, exit).
var replicaLocal = func() (t [maxLinux]bool) {
	for _, nr := range []int{
		linuxabi.SysClone, linuxabi.SysArchPrctl, linuxabi.SysFutex, linuxabi.SysSchedYield,
		linuxabi.SysGetcpu, linuxabi.SysSchedGetaffinity, linuxabi.SysSchedSetaffinity,
		linuxabi.SysGetpid, linuxabi.SysGettid, linuxabi.SysGetppid, linuxabi.SysGetuid, linuxabi.SysGetgid,
		linuxabi.SysGeteuid, linuxabi.SysGetegid, linuxabi.SysRtSigprocmask, linuxabi.SysSigaltstack,
		linuxabi.SysTgkill, linuxabi.SysTkill, linuxabi.SysClockGettime, linuxabi.SysNanosleep,
		linuxabi.SysGetrandom, linuxabi.SysUname, linuxabi.SysRtSigreturn, linuxabi.SysExit, linuxabi.SysExitGroup,
	} {
		t[nr] = true
	}
	return t
}()

// callField encodes a call number into SpanCall's 10-bit field: Linux's
// as they are, native ones from 512; ok is false for a number that has
// none (it is ENOSYS everywhere anyway).
func callField(nr uint64) (uint64, bool) {
	switch {
	case nr < maxLinux:
		return nr, true
	case nr >= kpi.NativeBase && nr-kpi.NativeBase < spanCallExport-maxLinux:
		return maxLinux + nr - kpi.NativeBase, true
	}
	return 0, false
}

func callNumber(f uint64) uint64 {
	if f < maxLinux {
		return f
	}
	return kpi.NativeBase + f - maxLinux
}

// remoteSyscall runs the thread's system call (its number in AX) on the
// home core and puts its result in AX.
func (t *Thread) remoteSyscall() {
	r := &t.regs
	a := [6]uint64{r.DI, r.SI, r.DX, r.R10, r.R8, r.R9}
	if r.AX == kpi.SysMemAlloc && a[2] == kpi.AnyNode {
		a[2] = kpi.NearNode | uint64(ring0.Core().Node) // the caller's node, not home's
	}
	f, ok := callField(r.AX)
	ret := int64(-kpi.ENOSYS)
	if ok {
		t.block()
		ret = t.remoteCall(f, a)
		t.unblock()
	}
	if Trace {
		t.trace(r.AX, a, ret)
	}
	r.AX = uint64(ret)
}

// remoteCall sends call field f with arguments a to the home core and
// returns its result: -EINTR if the process began to exit meanwhile,
// -EIO if the request could not be sent. It waits as long as the call
// takes there (an epoll_pwait may wait for good). Only the thread's goroutine
// calls it (a thread has one request out at a time: its first word is
// the reply's key).
func (t *Thread) remoteCall(f uint64, a [6]uint64) int64 {
	rep, e := t.remoteCallMsg(f, a)
	if e != 0 {
		return e
	}
	return int64(rep[1])
}

// remoteCallMsg is remoteCall returning the whole answer (its second
// word the result), or the errno of a request that got none.
func (t *Thread) remoteCallMsg(f uint64, a [6]uint64) (spanMsg, int64) {
	st := t.proc.span
	w0 := packWord0(t.TID, spanKey{st.home, st.id}, f)
	st.count(spCallsHome, 1)
	rep, ok := requestFor(st.home, kmesh.SpanCall, spanMsg{w0, a[0], a[1], a[2], a[3], a[4], a[5]}, w0, t.proc.dying, 0)
	if !ok {
		select {
		case <-t.proc.dying:
			return spanMsg{}, -kpi.EINTR
		default:
		}
		t.proc.LogOnce("span-home", "the call could not be sent to the home core %d: EIO", st.home)
		return spanMsg{}, -kpi.EIO
	}
	return rep, 0
}

// Results of a page fault sent to the home core (spanCallFault).
const (
	faultMapped = 0 // the page is there now: retry the access
	faultBad    = 1 // no area allows the access: a signal
)

// replicaFault handles a page fault of a replica's thread: the page
// table slot the home root has and this root lacks is copied, or the
// home core maps the page. It returns faultMapped, faultBad or -ENOMEM.
func (t *Thread) replicaFault(va, errCode uint64) int64 {
	if ret, ok := t.proc.localFault(va, errCode); ok {
		return ret
	}
	t.block()
	ret := t.remoteCall(spanCallFault, [6]uint64{va, errCode})
	t.unblock()
	if ret == -kpi.EINTR || ret == -kpi.EIO {
		return faultBad
	}
	return ret
}

// localFault answers a replica's fault that needs no message: a PML4
// entry to copy, a page the home core set aside for this core's node
// (addrspace.ClaimReserved), or a range this core holds
// (replicaRangeFault); ok is false when the home core must answer. It
// needs no thread: a kernel copy without one (Process.CopyIn) takes it
// too.
func (p *Process) localFault(va, errCode uint64) (ret int64, ok bool) {
	write, exec := errCode&2 != 0, errCode&16 != 0
	if p.isRangeSlot(va) {
		return p.replicaRangeFault(va, write, exec)
	}
	st := p.span
	if st.syncSlot(va) {
		return faultMapped, true
	}
	if ok, table := addrspace.ClaimReserved(st.root, va, write, exec, nodeOf(st.self)); ok {
		if table != 0 {
			st.wroteForeign(table)
		}
		return faultMapped, true
	}
	return 0, false
}

// syncSlot copies the home root's lower-half PML4 entry for va into this
// replica's root when the replica's is empty and the home's is not (a
// PDPT the home added since), and reports whether it did. PML4 entries
// of a program's lower half are set once and cleared only when the
// program's space is released, after every replica has gone. A range's
// slot is not one to copy (its entry is the range's, ranges.go): the
// caller, localFault, has sent those to replicaRangeFault.
func (st *spanState) syncSlot(va uint64) bool {
	i := va >> 39 & 511
	if i >= 256 {
		return false
	}
	home := *spanWord(st.page, spWordRoot)
	h, r := &ring0.PhysWords(home)[i], &ring0.PhysWords(st.root)[i]
	if *r == 0 && *h != 0 {
		*r = *h
		return true
	}
	return false
}

// onSpanCall (the home core) starts a call of another core's thread.
func onSpanCall(from int, msg urpc.Message) error {
	m := decodeSpan(msg)
	tid, k, f := unpackWord0(m[0])
	p := spanLookup(k)
	if p == nil || p.span.replica {
		return send(from, kmesh.SpanRet, spanMsg{m[0], errnoWord(kpi.ESRCH)})
	}
	go p.serveCall(p.proxyFor(tid, from), from, m, f)
	return nil
}

// proxyFor returns the stand-in of core's thread tid on the home core.
func (p *Process) proxyFor(tid, core int) *Thread {
	st := p.span
	st.mu.Lock() // not the process's lock: a mesh handler never waits for it
	defer st.mu.Unlock()
	t := st.proxies[tid]
	if t == nil {
		t = &Thread{proc: p, TID: tid, proxy: true}
		p.span.proxies[tid] = t
	}
	t.proxyCore = core
	return t
}

// serveCall runs call field f of m for proxy and answers core from. A
// call that comes once the program's end has begun here (its thread on
// the other core gave up waiting when the program began to die, and that
// core may have answered SpanGone since) is answered ESRCH: the address
// space it would use is released or about to be (Process.finish waits
// for the calls in progress).
func (p *Process) serveCall(proxy *Thread, from int, m spanMsg, f uint64) {
	a := [6]uint64{m[1], m[2], m[3], m[4], m[5], m[6]}
	p.mu.Lock()
	if p.span.released {
		p.mu.Unlock()
		send(from, kmesh.SpanRet, spanMsg{m[0], errnoWord(kpi.ESRCH)})
		return
	}
	p.span.serving.Add(1)
	p.mu.Unlock()
	defer p.span.serving.Done()
	var ret int64
	if f == spanCallExport {
		rep := p.exportFrame(a)
		rep[0] = m[0]
		if err := sendWaiting(from, kmesh.SpanRet, rep, nil); err != nil {
			p.LogOnce("span-ret", "answer to core %d lost: %v", from, err)
		}
		return
	}
	if f == spanCallFault {
		ret = p.homeFault(a[0], a[1], from, nodeOf(from))
	} else {
		nr := callNumber(f)
		h := handlerOf(nr)
		if h.call == nil {
			ret, _ = proxy.endOrUnknown(nr, a) // not implemented: exit and exit_group are local
		} else {
			ret = h.call(proxy, a)
			if Trace {
				proxy.trace(nr, a, ret)
			}
		}
	}
	if err := sendWaiting(from, kmesh.SpanRet, spanMsg{m[0], uint64(ret)}, nil); err != nil {
		p.LogOnce("span-ret", "answer to core %d lost: %v", from, err)
	}
}

// errnoWord is the result word of a failed call: -e.
func errnoWord(e int64) uint64 { return uint64(-e) }

// FaultAround makes a fault that another core's thread sent home map
// the absent pages of the faulting page's window too
// (addrspace.Space.FaultAround): one round trip for up to 16 pages.
// Package main sets it (option span-faultaround) before any program
// starts.
var FaultAround = true

// homeFault makes the page at va present for a thread of core from, of
// node, if an area allows the access (errCode as the fault's), growing
// the account as a local fault does, and maps the pages around it
// (FaultAround): faultMapped, faultBad or -ENOMEM.
// A new page is of node's memory while the account can get some (first
// touch, memory.Account.AllocOn).
func (p *Process) homeFault(va, errCode uint64, from, node int) int64 {
	write, exec := errCode&2 != 0, errCode&16 != 0
	for {
		p.mu.Lock()
		ok, err := false, error(nil)
		switch {
		case p.space == nil:
		case p.space.IsRangeSlot(va):
			ok, err = p.rangeFaultLocked(from, va, write, exec)
		default:
			ok, err = p.space.FaultOn(va, write, exec, node)
			if ok {
				p.span.faults++
				if FaultAround {
					p.span.around += uint64(p.space.FaultAround(va, node))
				}
			}
		}
		p.mu.Unlock()
		if ret, done := p.faultOutcome(ok, err); done {
			return ret
		}
	}
}

// faultOutcome turns a fault's answer into faultMapped, faultBad or
// -ENOMEM (done), or grows the account when it needs memory (not done:
// the fault is tried again). The caller holds no lock.
func (p *Process) faultOutcome(ok bool, err error) (ret int64, done bool) {
	switch {
	case err == memory.ErrNeedMemory:
		p.grow()
		return 0, false
	case err == memory.ErrNoMemory:
		return -kpi.ENOMEM, true
	case ok:
		return faultMapped, true
	}
	return faultBad, true
}

// onSpanRet (a replica) hands a call's result to its thread.
func onSpanRet(from int, msg urpc.Message) error {
	m := decodeSpan(msg)
	answer(m[0], m)
	return nil
}

// replicaCopy copies between b and the program's memory at va through
// this replica's root: a page its tables lack (or map without write
// access, for a copy out) is made present here if it can be (localFault:
// a PML4 entry to copy, a reserved page, a range of this core's), else
// faulted in by the home core for t, then looked up again; without t,
// or when the home core refuses, the copy fails with addrspace.ErrFault. The copy cannot race with an unmap: the
// home core frees an unmapped page only after this core answered the
// shootdown, which its mesh handler does only between this goroutine's
// runs.
func (p *Process) replicaCopy(t *Thread, va uint64, b []byte, out bool) error {
	st := p.span
	for len(b) > 0 {
		if va >= ring0.UserLimit {
			return addrspace.ErrFault
		}
		var e uint64
		for try := 0; ; try++ {
			e = pagetable.Lookup(walker, st.root, va)
			if e&pagetable.Present != 0 && e&pagetable.User != 0 && (!out || e&pagetable.Writable != 0) {
				break
			}
			if try == 3 {
				return addrspace.ErrFault
			}
			code := uint64(4) // a user access
			if out {
				code |= 2
			}
			ret, ok := p.localFault(va, code)
			if !ok {
				if t == nil || t.proxy {
					return addrspace.ErrFault
				}
				ret = t.remoteCall(spanCallFault, [6]uint64{va, code})
			}
			if ret != faultMapped {
				return addrspace.ErrFault
			}
		}
		off := va & (addrspace.PageSize - 1)
		n := min(uint64(len(b)), addrspace.PageSize-off)
		user := ring0.PhysBytes(e&pagetable.AddrMask+off, int(n))
		if out {
			copy(user, b[:n])
		} else {
			copy(b[:n], user)
		}
		b, va = b[n:], va+n
	}
	return nil
}
