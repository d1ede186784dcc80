package proc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"sync/atomic"

	"multikernel/cpudriver/kmesh"
	"multikernel/cpudriver/ring0"
	"multikernel/cpudriver/span"
	"multikernel/urpc"
)

// Threads of spanning programs (span.go): where a new thread goes
// (spanState.place), how its state reaches another core (a transfer page
// and SpanThread), and how a thread moves (sched_setaffinity).

// makeSpan makes p, being started on this core, a spanning program that
// may run on the cores of mask (this core among them): its span page,
// its number, its shootdown. Before its first thread runs.
func (p *Process) makeSpan(mask uint64) error {
	self := ring0.Core().Index
	if mask&(1<<self) == 0 || mask>>spanMaxCores != 0 {
		return fmt.Errorf("cores %#x: a spanning program starts on one of its cores, below core %d", mask, spanMaxCores)
	}
	page := ring0.AllocPage()
	if page == 0 {
		return errors.New("out of memory for the span page")
	}
	slots := ring0.AllocPage()
	if slots == 0 {
		ring0.FreePage(page)
		return errors.New("out of memory for the futex slot page")
	}
	spansMu.Lock()
	var k spanKey
	for {
		nextSpan++
		k = spanKey{home: self, id: nextSpan}
		if spans[k] == nil {
			break
		}
	}
	delete(spanEnded, k)
	p.span = &spanState{home: self, id: k.id, page: page, slots: slots, self: self, proxies: map[int]*Thread{}, moved: map[int]int{}}
	spans[k] = p
	spansMu.Unlock()
	*spanWord(page, spWordRoot) = p.space.Root()
	*spanWord(page, spWordCores) = mask
	*spanWord(page, spWordPID) = uint64(p.PID)
	*spanWord(page, spWordSlots) = slots
	copy(phys(page+spNameOff, spNameLen), p.Name)
	atomic.StoreUint64(coreWord(page, self, spLive), 1)
	p.space.Shootdown = p.shootRemote
	p.space.SetNode(ring0.Core().Node) // first touch: the home's faults from its node
	return nil
}

// replicaFor returns this core's replica of the program k, whose span
// page is at page, making it if there is none: nil if the program ended
// here, does not span this core, or no memory is left for its root.
func replicaFor(k spanKey, page uint64) *Process {
	spansMu.Lock()
	defer spansMu.Unlock()
	if p := spans[k]; p != nil {
		return p
	}
	self := ring0.Core().Index
	cores := atomic.LoadUint64(spanWord(page, spWordCores))
	if spanEnded[k] || k.home == self || cores&(1<<self) == 0 {
		return nil
	}
	root := ring0.AllocPage()
	if root == 0 {
		return nil
	}
	// Live before the lower half is copied: a shootdown that changes
	// the tree after the copy reaches this core.
	atomic.StoreUint64(coreWord(page, self, spLive), 1)
	r, kr, hr := ring0.PhysWords(root), ring0.PhysWords(ring0.KernelRoot()), ring0.PhysWords(*spanWord(page, spWordRoot))
	for _, i := range ring0.KernelPML4Slots {
		r[i] = kr[i]
	}
	for i := 0; i < 256; i++ {
		if _, isRange := spanRangeAt(page, uint64(i)<<39); !isRange { // the ranges' entries are copied as each allows (ranges.go)
			r[i] = hr[i]
		}
	}
	name := phys(page+spNameOff, spNameLen)
	if i := indexZero(name); i >= 0 {
		name = name[:i]
	}
	pid := int(*spanWord(page, spWordPID))
	p := &Process{Name: string(name), PID: pid, nextTID: pid, threads: map[int]*Thread{}, unknown: map[uint64]bool{},
		done: make(chan struct{}), dying: make(chan struct{}),
		span: &spanState{home: k.home, id: k.id, page: page, slots: *spanWord(page, spWordSlots), self: self, replica: true, root: root, moved: map[int]int{}}}
	p.fds.Init()
	spans[k] = p
	return p
}

func indexZero(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return -1
}

// The transfer page of a thread on its way to another core: the
// sender's page, written before SpanThread and read by the receiver
// before SpanThreadDone, after which it is the sender's again.
const (
	xferRegs     = 0    // ring0.UserRegs
	xferFPU      = 256  // ring0.UserFPU
	xferSigmask  = 768  // the signal mask
	xferAltstack = 776  // sigaltstack: three words
	xferClearTID = 800  // CLONE_CHILD_CLEARTID address, 0 if none
	xferSetTID   = 808  // CLONE_CHILD_SETTID address, 0 if none
	xferAffinity = 816  // the thread's cores
	xferTID      = 824  // the thread's id when it moves, 0 for a new one
	xferPending  = 832  // its pending signals
	xferActions  = 1024 // rt_sigaction entries of signals 1-64, 32 bytes each
)

// threadState is what a transfer page carries.
type threadState struct {
	regs             ring0.UserRegs
	fpu              ring0.UserFPU
	sigmask, pending uint64
	altstack         [3]uint64
	clearTID, setTID uint64
	affinity         uint64
	tid              int
}

func (s *threadState) write(pa uint64, p *Process) {
	b := phys(pa, 4096)
	copy(b[xferRegs:], regsBytes(&s.regs))
	copy(b[xferFPU:], s.fpu[:])
	le := binary.LittleEndian
	le.PutUint64(b[xferSigmask:], s.sigmask)
	for i, w := range s.altstack {
		le.PutUint64(b[xferAltstack+8*i:], w)
	}
	le.PutUint64(b[xferClearTID:], s.clearTID)
	le.PutUint64(b[xferSetTID:], s.setTID)
	le.PutUint64(b[xferAffinity:], s.affinity)
	le.PutUint64(b[xferTID:], uint64(s.tid))
	le.PutUint64(b[xferPending:], s.pending)
	p.mu.Lock()
	for sig, a := range p.sigactions {
		if sig >= 1 && sig <= 64 {
			copy(b[xferActions+32*(sig-1):], a[:])
		}
	}
	p.mu.Unlock()
}

func (s *threadState) read(pa uint64, p *Process) {
	b := phys(pa, 4096)
	copy(regsBytes(&s.regs), b[xferRegs:])
	copy(s.fpu[:], b[xferFPU:])
	le := binary.LittleEndian
	s.sigmask = le.Uint64(b[xferSigmask:])
	for i := range s.altstack {
		s.altstack[i] = le.Uint64(b[xferAltstack+8*i:])
	}
	s.clearTID, s.setTID = le.Uint64(b[xferClearTID:]), le.Uint64(b[xferSetTID:])
	s.affinity = le.Uint64(b[xferAffinity:])
	s.tid = int(int32(le.Uint64(b[xferTID:])))
	s.pending = le.Uint64(b[xferPending:])
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.sigactions == nil {
		p.sigactions = map[int][32]byte{}
	}
	for sig := 1; sig <= 64; sig++ {
		var a [32]byte
		copy(a[:], b[xferActions+32*(sig-1):])
		if a != ([32]byte{}) {
			p.sigactions[sig] = a
		} else {
			delete(p.sigactions, sig)
		}
	}
}

// SpanClone makes a new thread of t's spanning program with registers r
// on the core the placement picks among t's cores, and returns its id
// (-EAGAIN at RLIMIT_NPROC or when no core could take it). setTID and
// clearTID are the CLONE_CHILD_SETTID and CLONE_CHILD_CLEARTID
// addresses (0: none).
func (t *Thread) SpanClone(r ring0.UserRegs, setTID, clearTID uint64) int64 {
	st := t.proc.span
	aff := span.Undedicated(t.Affinity(), st.coreMask(), st.dedicatedMask()) // a child is never dedicated
	if c := st.place(aff); c >= 0 && c != st.self {
		ring0.SyncFPU(t.fpu)
		s := &threadState{regs: r, fpu: *t.fpu, sigmask: t.sigmask, clearTID: clearTID, setTID: setTID, affinity: aff}
		if tid := t.proc.sendThread(c, s); tid > 0 {
			return int64(tid)
		}
	}
	c := t.Spawn(r)
	if c == nil {
		return -11 // EAGAIN, as Linux at RLIMIT_NPROC
	}
	if aff != 0 {
		c.affinity = aff // and it leaves this core at Start if this core is dedicated
	}
	if setTID != 0 {
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], uint32(c.TID))
		c.CopyOut(setTID, b[:])
	}
	c.clearTID = clearTID
	c.Start()
	return int64(c.TID)
}

// sendThread gives the thread s to core c and returns its id there, 0
// if c did not take it.
func (p *Process) sendThread(c int, s *threadState) int {
	st := p.span
	pa := ring0.AllocPage()
	if pa == 0 {
		return 0
	}
	s.write(pa, p)
	key := seqKey()
	w0 := packWord0(s.tid, spanKey{st.home, st.id}, 0)
	rep, ok := request(c, kmesh.SpanThread, spanMsg{w0, pa, key, st.page}, key, nil)
	if !ok {
		// c may still read the page: it is not freed.
		p.LogOnce("span-thread", "core %d did not take a thread", c)
		return 0
	}
	ring0.FreePage(pa)
	return int(int32(rep[1]))
}

// onSpanThread takes a thread another core gives this one.
func onSpanThread(from int, msg urpc.Message) error {
	m := decodeSpan(msg)
	go acceptThread(from, m)
	return nil
}

func acceptThread(from int, m spanMsg) {
	_, k, _ := unpackWord0(m[0])
	refuse := func() { send(from, kmesh.SpanThreadDone, spanMsg{m[0], 0, m[2]}) }
	p := replicaFor(k, m[3])
	if p == nil {
		refuse()
		return
	}
	var s threadState
	s.read(m[1], p)
	fpu := s.fpu
	t := p.newThreadTID(s.regs, &fpu, s.tid)
	if t == nil {
		refuse()
		return
	}
	t.sigmask, t.altstack, t.clearTID, t.affinity = s.sigmask, s.altstack, s.clearTID, s.affinity
	if s.pending != 0 {
		p.mu.Lock()
		t.pending = s.pending
		t.attn.Store(true)
		p.mu.Unlock()
	}
	if s.setTID != 0 {
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], uint32(t.TID))
		t.CopyOut(s.setTID, b[:])
	}
	send(from, kmesh.SpanThreadDone, spanMsg{m[0], uint64(t.TID), m[2]})
	t.Start()
}

// onSpanThreadDone hands the answer to the sender of a thread.
func onSpanThreadDone(from int, msg urpc.Message) error {
	m := decodeSpan(msg)
	answer(m[2], m)
	return nil
}

// MoveTo asks that the thread move to core c (one of its program's)
// before it next enters ring 3: sched_setaffinity to a mask without its
// core.
func (t *Thread) MoveTo(c int) {
	t.moveTo = c + 1
	t.attn.Store(true)
}

// move gives the thread to the core MoveTo named, and reports whether it
// went (the goroutine then ends without ending the thread).
func (t *Thread) move() bool {
	c := t.moveTo - 1
	t.moveTo = 0
	p := t.proc
	ring0.SyncFPU(t.fpu)
	s := &threadState{regs: t.regs, fpu: *t.fpu, sigmask: t.sigmask, altstack: t.altstack, clearTID: t.clearTID,
		affinity: t.affinity, tid: t.TID}
	p.mu.Lock()
	s.pending, t.pending = t.pending, 0
	p.mu.Unlock()
	if p.sendThread(c, s) <= 0 {
		p.mu.Lock()
		t.pending |= s.pending
		p.mu.Unlock()
		p.LogOnce("span-move", "tid %d could not move to core %d: it stays on this core", t.TID, c)
		return false
	}
	// A signal or a new mask for the thread that came here while it
	// was on its way (Signal, SetThreadAffinity found it still in the
	// table) follows it; from here on they go to c (t.moved).
	p.mu.Lock()
	if p.span.moved != nil {
		p.span.moved[t.TID] = c
	}
	t.moved = true
	late, aff := t.pending, t.affinity
	t.pending = 0
	p.mu.Unlock()
	for ; late != 0; late &= late - 1 {
		p.signalRemote(t.TID, bits.TrailingZeros64(late)+1)
	}
	if aff != s.affinity {
		p.affinityRemote(t.TID, aff)
	}
	return true
}
