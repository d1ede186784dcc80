package proc

import (
	"encoding/binary"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"multikernel/cpudriver/kmesh"
	"multikernel/cpudriver/physmem"
	"multikernel/cpudriver/ring0"
	"multikernel/cpudriver/span"
	"multikernel/urpc"
)

// Spanning programs (docs/spanning.md): one program whose threads run on
// several cores. The core that starts it is its home: it holds the
// Process with the address space, the descriptors, the capabilities and
// the memory account. Every other core that runs a thread of it holds a
// replica Process (same pid and name) with its own threads, its own
// page-table root and its own futex waiters, in its own runtime's heap.
// No Go pointer crosses cores: the cores share the program's page tables
// below the roots' lower-half entries, one page of the home core's (the
// span page, below), and messages over the CPU drivers' mesh (kmesh).
//
// A replica runs the calls that concern its threads itself (replicaLocal:
// futexes, clone, affinity, signal masks, time, identity) and sends the
// rest, and its page faults, to the home core (span_calls.go), where they
// run for a stand-in Thread of the calling one (a proxy, never run) as
// they would for a local thread.

// spanState is a spanning program's state on one core.
type spanState struct {
	home int    // the home core
	id   uint16 // the program's number on its home core
	page uint64 // the span page (the home core's)
	self int    // this core

	// replica: this core is not the home; root is this core's
	// page-table root for the program (its kernel half this core's,
	// its lower half the home root's entries).
	replica bool
	root    uint64

	// nextN numbers the threads this core makes (spanTID); mainMade:
	// the home core made the main thread. Guarded by the process's lock.
	nextN    int
	mainMade bool

	// mu guards waiters, this core's futex waiters per bucket
	// (futexBucket), whose bits this core publishes in its futex word,
	// and (home only) proxies, the stand-ins of other cores' threads.
	// Held briefly, never while waiting: mesh handlers take it, and
	// they never wait for the process's lock (a shootdown holds that
	// while it waits for answers the mesh brings).
	mu      sync.Mutex
	waiters [64]int
	proxies map[int]*Thread

	// The futex waiter slots (span_futex.go): slots is the slot page
	// (the home's, named in the span page); under mu, slotUsed is this
	// core's slots in use (published as its slot mask), slotCh the
	// channel each waiter sleeps on, slotListed that the program is in
	// waitingSpans, futexDead that the program is ending here.
	slots      uint64
	slotUsed   uint64
	slotCh     [span.SlotsPerCore]chan struct{}
	slotListed bool
	futexDead  bool

	// Home only, guarded by the process's lock: the cores whose
	// SpanGone the end waits for, and whether the local threads have
	// all ended.
	pendingGone int
	localDone   bool
	finished    bool // the end has begun (home: finish; replica: replicaEnd); once

	shots shootStats // home only: its shootdowns (span_shoot.go)

	// Home only, guarded by the process's lock: the page faults of
	// other cores' threads served here (homeFault), and the pages
	// mapped around them.
	faults, around uint64

	// Home only: released is set, under the process's lock, when finish
	// is about to release the address space; serving counts the other
	// cores' calls being served (serveCall), which finish waits for.
	released bool
	serving  sync.WaitGroup

	// Replica only: threads that moved away (tid: the core they went
	// to), so a tgkill that comes here is passed on; guarded by the
	// process's lock.
	moved map[int]int

	// Replica only, guarded by foreignMu: the page-table pages of the
	// home's (the shared tree's) this core wrote, by claiming a
	// reserved entry in them (span_info.go); their number is published
	// in this core's counters.
	foreignMu sync.Mutex
	foreign   map[uint64]bool

	// dedicated is this core's dedicated thread (span_dedicate.go), nil
	// if none: set and cleared on this core only, by that thread's
	// calls and its end; its core's bit of span page word 6 says so to
	// the other cores.
	dedicated atomic.Pointer[Thread]
}

// The span page: one page of the home core's pool, reached by every core
// of the program through the direct map. Who writes what:
//
//	word 0            the home root (pa)              home, before any replica exists
//	word 1            the cores mask                  home, likewise; grown by SpanExtend (cfork)
//	word 2            the pid                         home, likewise
//	word 3            the kill-reason flag            first core to kill the program (CAS 0 to 1)
//	word 4            the slot page (pa)              home, before any replica exists
//	word 5            the range root (pa), 0: none    home, before the call that made the first shared range returns
//	word 6            the dedicated cores             bit c: core c only, by compare-and-swap (span_dedicate.go)
//	word 8+4c         core c's live threads           core c only
//	word 8+4c+1       core c's replica is live        core c only (1 while its root may be loaded)
//	word 8+4c+2       core c's futex buckets          core c only (bit b: it has a waiter in its table in bucket b)
//	word 8+4c+3       core c's futex slot mask        core c only (bit i: its slot i is in use)
//	bytes 1024-1087   the program's name              home, before any replica exists
//	bytes 1152-1207   a broadcast shootdown request   home, before it tells the targets; not again until all acked
//	bytes 1280-1791   range i's cores (word 160+i)     home, before the call that made or deleted it returns (ranges.go)
//	bytes 1792-2047   PML4 slot s's range (byte 1792+s: index+1, 0: none)  home, likewise
//	bytes 2048-3071   the kill reason                 the core that set the flag, then home reads it
//	word 384+4c       core c's calls sent home        core c only (span_info.go)
//	word 384+4c+1     core c's reserved pages claimed core c only
//	word 384+4c+2     core c's foreign table pages    core c only: page-table pages of the home's it wrote
//
// The slot page, also the home's, holds span.SlotsPerCore futex waiter
// slots per core, core c's at words c*span.SlotsPerCore on; package span
// says who writes which state of a slot.
//
// Words a core writes alone are stored with atomic stores (XCHG, a full
// barrier: a futex waiter's bit is visible before it reads the futex
// word) and read with atomic loads.
const (
	spWordRoot      = 0
	spWordCores     = 1
	spWordPID       = 2
	spWordReason    = 3
	spWordSlots     = 4
	spWordDedicated = 6
	spWordCore0     = 8
	spCoreStride    = 4
	spThreads       = 0
	spLive          = 1
	spFutex         = 2
	spSlots         = 3
	spWordRanges    = 5
	spRangesOff     = 1280
	spRangeSlotsOff = 1792
	spNameOff       = 1024
	spNameLen       = 64
	spBcastOff      = 1152
	spReasonOff     = 2048
	spReasonLen     = 1024
	spWordCount0    = 384                                        // core c's counters: words spWordCount0+spCoreStride*c on (span_info.go)
	spanMaxCores    = (spNameOff/8 - spWordCore0) / spCoreStride // cores a span page has lines for
	spanCallFault   = 1023                                       // SpanCall's number for a page fault
	spanCallExport  = 1022                                       // SpanCall's number for a Frame to map into a private range (range_frames.go)
)

// spanWord returns word i of the span page at pa.
func spanWord(pa uint64, i int) *uint64 { return &ring0.PhysWords(pa)[i] }

// coreWord returns word w of core c's line of the span page at pa.
func coreWord(pa uint64, c, w int) *uint64 {
	return spanWord(pa, spWordCore0+spCoreStride*c+w)
}

// spanKey names a spanning program on every core: its home and its id.
type spanKey struct {
	home int
	id   uint16
}

// The first word of every span message: a thread id (32 bits), the
// program's id (16), its home core (6) and a call number or signal (10).
func packWord0(tid int, k spanKey, nr uint64) uint64 {
	return uint64(uint32(tid)) | uint64(k.id)<<32 | uint64(k.home&63)<<48 | (nr&1023)<<54
}

func unpackWord0(w uint64) (tid int, k spanKey, nr uint64) {
	return int(int32(uint32(w))), spanKey{home: int(w >> 48 & 63), id: uint16(w >> 32)}, w >> 54
}

// spanMsg is a span message's seven words.
type spanMsg [7]uint64

func (m *spanMsg) bytes() []byte {
	b := make([]byte, kmesh.SpanSize)
	for i, w := range m {
		binary.LittleEndian.PutUint64(b[8*i:], w)
	}
	return b
}

func decodeSpan(msg urpc.Message) (m spanMsg) {
	for i := range m {
		m[i] = binary.LittleEndian.Uint64(msg.Data[8*i:])
	}
	return m
}

// The spanning programs this core holds (home or replica), by key, and
// the keys of those that ended here (a late SpanThread for one is
// refused). Guarded by spansMu.
var (
	spansMu   sync.Mutex
	spans     = map[spanKey]*Process{}
	spanEnded = map[spanKey]bool{}
	nextSpan  uint16
)

func spanLookup(k spanKey) *Process {
	spansMu.Lock()
	defer spansMu.Unlock()
	return spans[k]
}

// Replies: a goroutine that sends a request and waits for its answer
// registers a channel under a key first (waitKey: the request's first
// word for a thread's own request, of which it has one at a time; a
// sequence number with the top bit set for the rest).
var (
	repliesMu sync.Mutex
	replies   = map[uint64]chan spanMsg{}
	replySeq  atomic.Uint64
)

func awaitReply(key uint64) chan spanMsg {
	ch := make(chan spanMsg, 1)
	repliesMu.Lock()
	replies[key] = ch
	repliesMu.Unlock()
	return ch
}

func dropReply(key uint64) {
	repliesMu.Lock()
	delete(replies, key)
	repliesMu.Unlock()
}

// answer hands m to the goroutine waiting under key; a reply nobody
// waits for (it gave up) is dropped.
func answer(key uint64, m spanMsg) {
	repliesMu.Lock()
	ch := replies[key]
	delete(replies, key)
	repliesMu.Unlock()
	if ch != nil {
		ch <- m
	}
}

// seqKey returns a new sequence key for a request that is not a thread's.
func seqKey() uint64 { return 1<<63 | replySeq.Add(1) }

// The mesh handlers of span messages (span_*.go) never wait: they
// decode, answer a waiting goroutine, or start a goroutine for what may
// wait (a lock, a copy, a reply's send).

// spanReplyWait bounds the wait for an answer from a core that is up:
// past it the request is reported and treated as failed.
const spanReplyWait = 10 * time.Second

// request sends m (type t) to core and waits for the answer registered
// under key, the process's end (dying; nil: none) or spanReplyWait. ok
// is false when no answer came.
func request(core int, t kmesh.Type, m spanMsg, key uint64, dying <-chan struct{}) (spanMsg, bool) {
	return requestFor(core, t, m, key, dying, spanReplyWait)
}

// requestFor is request with the bound d (0: none, for a system call,
// which may wait as long as the program asked).
func requestFor(core int, t kmesh.Type, m spanMsg, key uint64, dying <-chan struct{}, d time.Duration) (spanMsg, bool) {
	ch := awaitReply(key)
	if err := kmesh.SendNow(core, t, m.bytes()); err != nil {
		dropReply(key)
		return spanMsg{}, false
	}
	var bound <-chan time.Time
	if d > 0 {
		timer := time.NewTimer(d)
		defer timer.Stop()
		bound = timer.C
	}
	select {
	case r := <-ch:
		return r, true
	case <-dying:
	case <-bound:
	}
	dropReply(key)
	return spanMsg{}, false
}

// send sends m (type t) to core without waiting for an answer.
func send(core int, t kmesh.Type, m spanMsg) error {
	return kmesh.SendNow(core, t, m.bytes())
}

// sendWaiting is send for a caller that may wait (a thread's call, not
// a mesh handler): while the peer's ring stays full (kmesh.ErrFull: its
// core did not run for a while, as under emulation when the host runs
// other vCPUs) it tries again, for up to spanReplyWait, unless the
// program is dying (dying closed; nil: a message of the program's end,
// tried for as long whatever happens).
func sendWaiting(core int, t kmesh.Type, m spanMsg, dying <-chan struct{}) error {
	deadline := time.Now().Add(spanReplyWait)
	for {
		err := send(core, t, m)
		if err != kmesh.ErrFull || time.Now().After(deadline) {
			return err
		}
		select {
		case <-dying:
			return err
		default:
		}
	}
}

// NodeOf returns the NUMA node of a core, for the placement of threads
// (package main sets it before any program starts; nil: every core is
// node 0).
var NodeOf func(core int) int

// walker walks page tables through the direct map (replicas' copies).
var walker = &physmem.Pool{DirectMap: ring0.DirectMap}

// Spanning reports whether the process spans cores.
func (p *Process) Spanning() bool { return p.span != nil }

// Cores returns the mask of the cores the process may run on: its span,
// or this core.
func (p *Process) Cores() uint64 {
	if p.span != nil {
		return p.span.coreMask()
	}
	return 1 << ring0.Core().Index
}

// spanTID returns a new thread id for a spanning program's thread made
// on core self: pid + 1 + 64n + self, so that the core a thread was made
// on follows from its id (tidCore). The process's lock is held.
func (st *spanState) spanTID(pid int) int {
	n := st.nextN
	st.nextN++
	return pid + 1 + 64*n + st.self
}

// tidCore returns the core a thread id of the program was made on, or
// -1 for the main thread (made on the home core) or a bad id.
func tidCore(pid, tid int) int {
	if tid <= pid {
		return -1
	}
	return (tid - pid - 1) % 64
}

// countThreads publishes this core's number of the program's live
// threads (placement reads it).
func (st *spanState) countThreads(d int) {
	w := coreWord(st.page, st.self, spThreads)
	atomic.StoreUint64(w, uint64(int64(atomic.LoadUint64(w))+int64(d)))
}

// place picks the core for a new thread of a program that may run on
// mask (its creator's affinity within the span), made on this core, by
// span.Place's policy over the live thread counts of the span page;
// mask has no dedicated core unless every core of the program is.
func (st *spanState) place(mask uint64) int {
	mask = span.Undedicated(mask, st.coreMask(), st.dedicatedMask())
	return span.Place(mask, st.self, func(c int) uint64 { return atomic.LoadUint64(coreWord(st.page, c, spThreads)) }, nodeOf)
}

func nodeOf(c int) int {
	if NodeOf == nil {
		return 0
	}
	return NodeOf(c)
}

// phys returns the n bytes at physical address pa.
func phys(pa uint64, n int) []byte { return ring0.PhysBytes(pa, n) }

// regsBytes returns r's memory as bytes (UserRegs is plain words).
func regsBytes(r *ring0.UserRegs) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(r)), unsafe.Sizeof(*r))
}

// coreMask returns the cores the program may run on (bit c: core c), as
// the span page holds them: set by the home when the program starts and
// grown by SpanExtend (cfork), never shrunk.
func (st *spanState) coreMask() uint64 { return atomic.LoadUint64(spanWord(st.page, spWordCores)) }
