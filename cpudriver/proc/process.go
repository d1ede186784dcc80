package proc

import (
	"bytes"
	"fmt"
	"math/bits"
	"multikernel/cpudriver/trace"
	"strings"
	"sync"

	"multikernel/cpudriver/addrspace"
	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/capsys"
	"multikernel/cpudriver/elf"
	"multikernel/cpudriver/fds"
	"multikernel/cpudriver/futex"
	"multikernel/cpudriver/grant"
	"multikernel/cpudriver/klog"
	"multikernel/cpudriver/memory"
	"multikernel/cpudriver/monlink"
	"multikernel/cpudriver/random"
	"multikernel/cpudriver/ring0"
)

// Process is one program running on this core.
type Process struct {
	Name string
	PID  int
	// Monitor marks this core's monitor: the process that gets the
	// core's Kernel capability (which the monitor's native calls need)
	// and a copy of its RAM capability. Set before its first thread runs.
	Monitor bool

	mu      sync.Mutex // guards everything below
	space   *addrspace.Space
	threads map[int]*Thread
	nextTID int
	out     bytes.Buffer    // a partial output line, until its newline
	unknown map[uint64]bool // system calls already reported unimplemented
	logged  map[string]bool // other notices already printed (logOnce)
	exiting bool
	status  int
	reason  string        // why it was killed; "" for a normal exit
	done    chan struct{} // closed when the last thread has gone
	dying   chan struct{} // closed when exit begins: blocked calls return

	cpuEnded   uint64            // TSC cycles of CPU time of the threads that ended (cputime.go)
	sigactions map[int][32]byte  // recorded rt_sigaction structures
	limits     map[int][2]uint64 // resource limits set by the process (limits.go)

	futexes futex.Table // its own lock
	fds     fds.Table   // its own lock

	caps capcore.CSpace // its capabilities; guarded by the core's capability lock (capcore)
	mem  memory.Quota   // its limit on RAM from the memory service; guarded by the capability lock

	// ranges are the program's address ranges as this core holds them
	// (ranges.go).
	ranges rangeState

	// span is a spanning program's state on this core (span.go), nil
	// for a program of one core; set before its first thread runs.
	span *spanState
	// outs are the partial output lines of other cores' threads (a
	// spanning program's home core writes for them), by core.
	outs map[int]*bytes.Buffer
}

// nextPID numbers processes on this core.
var (
	pidMu   sync.Mutex
	nextPID = 1
)

// Start loads the static ELF executable image (argv[0] names it) and runs
// its main thread, with the capabilities grants name (the device
// capabilities are the bootstrap core's; see package grant). The
// returned process's Wait reports how it ended.
func Start(image []byte, argv, envp []string, grants ...grant.Grant) (*Process, error) {
	return start(image, argv, envp, false, 0, grants)
}

// StartSpan is Start for a program spanning the cores of mask (bit c:
// core c), this core among them: its home (docs/spanning.md).
func StartSpan(image []byte, argv, envp []string, mask uint64, grants ...grant.Grant) (*Process, error) {
	return start(image, argv, envp, false, mask, grants)
}

// StartMonitor is Start for this core's monitor. It also makes the CPU
// driver's channel to the monitor (monlink.Open).
func StartMonitor(image []byte, argv, envp []string) (*Process, error) {
	if err := monlink.Open(); err != nil {
		return nil, fmt.Errorf("channel to the monitor: %v", err)
	}
	return start(image, argv, envp, true, 0, nil)
}

func start(image []byte, argv, envp []string, monitor bool, span uint64, grants []grant.Grant) (*Process, error) {
	if len(argv) == 0 {
		return nil, fmt.Errorf("no program name")
	}
	f, err := elf.Parse(image)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", argv[0], err)
	}
	s, err := addrspace.New(monitor)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", argv[0], err)
	}
	if _, err := s.Load(f); err != nil {
		s.Release()
		return nil, fmt.Errorf("%s: %v", argv[0], err)
	}
	var rnd [16]byte
	random.Fill(rnd[:])
	sp, err := s.StartStack(f, argv, envp, rnd)
	if err != nil {
		s.Release()
		return nil, fmt.Errorf("%s: %v", argv[0], err)
	}
	pidMu.Lock()
	pid := nextPID
	nextPID++
	pidMu.Unlock()
	name := argv[0]
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	p := &Process{Name: name, PID: pid, Monitor: monitor, space: s, threads: map[int]*Thread{},
		nextTID: pid, unknown: map[uint64]bool{}, done: make(chan struct{}), dying: make(chan struct{})}
	p.fds.Init()
	if err := capsys.Start(p, grants); err != nil {
		capsys.Ended(p)
		s.Release()
		return nil, err
	}
	if span != 0 {
		if err := p.makeSpan(span); err != nil {
			capsys.Ended(p)
			s.Release()
			return nil, fmt.Errorf("%s: %v", argv[0], err)
		}
	}
	s.SetBuilt() // from here on its threads may run
	t := p.newThread(ring0.UserRegs{IP: f.Entry, SP: sp, CR3: s.Root()}, ring0.NewUserFPU())
	trace.Add(trace.ProgStart, 0, uint32(pid))
	t.Start()
	return p, nil
}

// WithSpace runs f on the process's address space under its lock, and
// again after growing the memory account while f reports
// memory.ErrNeedMemory. The caller holds no lock.
func (p *Process) WithSpace(f func(s *addrspace.Space) error) error {
	for {
		p.mu.Lock()
		err := addrspace.ErrFault
		if p.space != nil {
			err = f(p.space)
		}
		p.mu.Unlock()
		if err != memory.ErrNeedMemory {
			return err
		}
		p.grow()
	}
}

// grow adds a chunk to the process's memory account (memory.Account) if
// it has no free page (of the node the last fault wanted, if it wanted
// one), and makes the spare page tables its walks wanted
// (memory.VNodeSet). When the core's RAM capabilities are full it asks the
// memory service, or the CPU driver's pool, for more (memory.More; for a
// node, the service for that node's, memory.MoreOn) and tries again; if
// none comes, the account is exhausted (ErrNoMemory; the monitor's then
// takes pool pages), or for a node, the node is full for it and its
// faults take any node's pages. The caller holds
// neither the capability lock nor the process's lock; grow takes them in
// that order, and none while it waits for the service.
func (p *Process) grow() {
	p.growOne(p.spaceAccount)
	p.mu.Lock()
	private := p.ranges.used
	p.mu.Unlock()
	if private {
		p.growOne(p.privateMemory)
	}
}

// A refiller is an account with the tables taken from it: the space's,
// or a private range's (ranges.go).
type refiller interface {
	Refill() (full bool, node int)
	MarkNodeFull(node int, gen uint64)
}

// spaceAccount returns the space as a refiller, nil once it has gone.
// The process's lock is held.
func (p *Process) spaceAccount() refiller {
	if p.space == nil {
		return nil
	}
	return p.space
}

// growOne is grow for the account get returns (called with the
// process's lock held; nil: none is left to grow).
func (p *Process) growOne(get func() refiller) {
	gen := memory.RAMGeneration()
	capcore.Lock()
	full, node := p.growLocked(get)
	capcore.Unlock()
	if !full || p.Monitor {
		return
	}
	if node == memory.AnyNode {
		if memory.More(p.dying) {
			capcore.Lock()
			p.growLocked(get)
			capcore.Unlock()
		}
		return
	}
	if memory.MoreOn(node, p.dying) {
		gen = memory.RAMGeneration()
		capcore.Lock()
		full, _ = p.growLocked(get)
		capcore.Unlock()
	}
	if full {
		p.mu.Lock()
		if r := get(); r != nil {
			r.MarkNodeFull(node, gen)
		}
		p.mu.Unlock()
	}
}

// growLocked is growOne with the capability lock held, without asking
// the service; it reports whether the core's RAM capabilities were full,
// and of which node (memory.AnyNode: of every node).
func (p *Process) growLocked(get func() refiller) (full bool, node int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := get()
	if r == nil {
		return false, memory.AnyNode
	}
	return r.Refill()
}

// Wait blocks until the process has ended and returns its exit status and,
// if it was killed, why.
func (p *Process) Wait() (status int, killed string) {
	<-p.done
	return p.status, p.reason
}

// newThread adds a thread with the given registers, or returns nil if
// the process already has as many as RLIMIT_NPROC allows. Callers hold
// no lock.
func (p *Process) newThread(r ring0.UserRegs, fpu *ring0.UserFPU) *Thread {
	return p.newThreadTID(r, fpu, 0)
}

// newThreadTID is newThread for a thread with id tid, or a new id when
// tid is 0 (a spanning program's thread that moves here keeps its own).
func (p *Process) newThreadTID(r ring0.UserRegs, fpu *ring0.UserFPU, tid int) *Thread {
	p.mu.Lock()
	defer p.mu.Unlock()
	if tid == 0 && len(p.threads) > 0 && !p.threadsAllowedLocked() {
		return nil // RLIMIT_NPROC (the main thread is always allowed)
	}
	st := p.span
	switch {
	case tid != 0:
	case st != nil && (st.replica || st.mainMade):
		tid = st.spanTID(p.PID)
	default:
		tid = p.nextTID
		p.nextTID++
		if tid == p.PID && len(p.threads) > 0 {
			tid = p.nextTID
			p.nextTID++
		}
		if st != nil {
			st.mainMade = true
		}
	}
	var aff uint64
	if st != nil {
		aff = st.coreMask()
		st.localDone = false
		if st.replica {
			r.CR3 = st.root
		} else {
			r.CR3 = p.space.Root()
		}
	}
	if !Trace {
		r.PID, r.TID = uint64(p.PID), uint64(tid) // getpid and gettid on the fast path
	}
	t := &Thread{proc: p, TID: tid, regs: r, fpu: fpu, affinity: aff, onReplica: st != nil && st.replica}
	t.attn.Store(p.exiting)
	p.threads[tid] = t
	return t
}

// exit ends the whole process with status, or kills it with reason: a
// spanning program's replica asks the home core, which ends every core's
// threads (span_exit.go).
func (p *Process) exit(status int, reason string) {
	if p.span != nil && p.span.replica {
		if reason != "" {
			p.Logf("killed: %s", reason)
		}
		p.askHome(status, reason)
		return
	}
	if p.exitLocal(status, reason) && p.span != nil {
		p.endSpan()
	}
}

// exitLocal marks the process exiting on this core and releases its
// threads' waits; false if it already was.
func (p *Process) exitLocal(status int, reason string) bool {
	p.mu.Lock()
	if p.exiting {
		p.mu.Unlock()
		return false
	}
	p.exiting = true
	p.status, p.reason = status, reason
	if st := p.span; st != nil && !st.replica {
		st.pendingGone = bits.OnesCount64(st.coreMask() &^ (1 << st.self)) // endSpan asks each
	}
	for _, t := range p.threads {
		t.attn.Store(true)
	}
	p.mu.Unlock()
	close(p.dying)
	p.futexes.WakeAll()
	if p.span != nil {
		p.span.endFutexes()
	}
	return true
}

// threadDone removes t; the last thread out releases the memory and
// reports the end.
func (p *Process) threadDone(t *Thread) {
	t.endDedication()
	p.mu.Lock()
	if p.threads[t.TID] == t {
		// Not otherwise: t moved away and has come back since, as a
		// new Thread with its id, which stays (a spanning program's
		// end waits for it, and its space must outlive it).
		delete(p.threads, t.TID)
	}
	p.cpuEnded += t.cpuCycles.Load()
	last := len(p.threads) == 0
	if st := p.span; st != nil && last {
		st.localDone = true
		if st.replica {
			last = false
			if p.exiting {
				defer p.replicaEnd()
			}
		} else {
			last = p.spanMayEndLocked()
		}
	}
	p.mu.Unlock()
	if last {
		p.finish()
	}
}

// finish ends the process once its last thread (on every core) has
// gone: its capabilities, its address space, the end's report.
func (p *Process) finish() {
	p.flushOutput()
	capsys.Ended(p) // first: no other process's revoke touches p's space after it
	if p.span != nil {
		p.mu.Lock()
		p.span.released = true // no other core's call starts on the space now
		p.mu.Unlock()
		p.span.serving.Wait()
	}
	p.releaseRanges() // before the space: a private range's tables hang from its root
	p.space.Release()
	if p.span != nil {
		p.reportShootdowns()
		p.reportFutexes()
		p.unregisterSpan()
	}
	for _, f := range atExit {
		f(p)
	}
	trace.Add(trace.ProgExit, uint16(p.status), uint32(p.PID))
	close(p.done)
}

// Output sends program output to the console, prefixed per line.
func (p *Process) Output(b []byte) { p.outputFrom(ring0.Core().Index, b) }

// outputFrom is Output for a thread on core c (a spanning program's
// home core writes for its other cores' threads).
func (p *Process) outputFrom(c int, b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := &p.out
	if c != ring0.Core().Index {
		if p.outs == nil {
			p.outs = map[int]*bytes.Buffer{}
		}
		if p.outs[c] == nil {
			p.outs[c] = new(bytes.Buffer)
		}
		out = p.outs[c]
	}
	out.Write(b)
	for {
		i := bytes.IndexByte(out.Bytes(), '\n')
		if i < 0 {
			break
		}
		line := out.Next(i + 1)
		p.emit(c, string(line))
	}
	if out.Len() > 4096 { // a very long line goes out in pieces
		p.emit(c, out.String()+"\n")
		out.Reset()
	}
}

func (p *Process) flushOutput() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.out.Len() > 0 {
		p.emit(ring0.Core().Index, p.out.String()+"\n")
		p.out.Reset()
	}
	for c, out := range p.outs {
		if out.Len() > 0 {
			p.emit(c, out.String()+"\n")
			out.Reset()
		}
	}
}

// emit prints one line with the process prefix, for core c. Caller holds p.mu.
func (p *Process) emit(c int, line string) {
	if klog.Output != nil {
		klog.Output(fmt.Sprintf("[core %d %s] %s", c, p.Name, line))
	}
}

// LogOnce is Logf for a notice printed once per process: key names it.
func (p *Process) LogOnce(key string, format string, args ...any) {
	p.mu.Lock()
	first := !p.logged[key]
	if p.logged == nil {
		p.logged = map[string]bool{}
	}
	p.logged[key] = true
	p.mu.Unlock()
	if first {
		p.Logf(format, args...)
	}
}

// Logf reports something about the process on the console.
func (p *Process) Logf(format string, args ...any) {
	klog.Printf("[core %d %s] %s", ring0.Core().Index, p.Name, fmt.Sprintf(format, args...))
}

// atExit are what other packages do when a process has gone, after its
// capabilities and its address space (AtExit).
var atExit []func(p *Process)

// AtExit adds f to what runs when a process has gone (its last thread
// ended, its capabilities deleted and its address space released).
// Package main's wiring calls it before any program starts.
func AtExit(f func(p *Process)) { atExit = append(atExit, f) }

// Dying is closed when the process begins to exit: every blocked call
// returns.
func (p *Process) Dying() <-chan struct{} { return p.dying }

// Exit ends the whole process with status (exit_group).
func (p *Process) Exit(status int) { p.exit(status, "") }

// FDs returns the process's descriptor table.
func (p *Process) FDs() *fds.Table { return &p.fds }

// Futexes returns the process's futex waiters.
func (p *Process) Futexes() *futex.Table { return &p.futexes }

// LockSpace takes the process's lock and returns its address space, for
// an operation that neither copies user memory nor grows the account
// (mmap's bookkeeping); UnlockSpace ends it. Use WithSpace for the rest.
func (p *Process) LockSpace() *addrspace.Space {
	p.mu.Lock()
	return p.space
}

// UnlockSpace releases the lock LockSpace took.
func (p *Process) UnlockSpace() { p.mu.Unlock() }

// NewDetached returns the main thread of a process that has no address
// space and holds no capability, which never runs: for host tests of the
// packages that implement system calls. Its copies to and from user
// memory fail (addrspace.ErrFault).
func NewDetached(name string) *Thread {
	p := &Process{Name: name, PID: 1, nextTID: 1, threads: map[int]*Thread{}, unknown: map[uint64]bool{},
		done: make(chan struct{}), dying: make(chan struct{})}
	p.fds.Init()
	return p.newThread(ring0.UserRegs{}, ring0.NewUserFPU())
}
