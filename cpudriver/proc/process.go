package proc

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

	"multikernel/cpudriver/elf"
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
	space   *space
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
	limits     map[int][2]uint64 // resource limits set by the process

	futexes futexTable
	fds     fdTable

	client    uint32 // its channel to the monitor (client.go), if hasClient
	hasClient bool   // guarded by clients.mu

	caps cspace   // its capabilities (capsys.go); guarded by capCore.mu
	mem  memQuota // its limit on RAM from the memory service (memlimit.go); guarded by capCore.mu
}

// Console is where a process's standard output and error go, a whole
// line at a time.
var Console func(line string)

// nextPID numbers processes on this core.
var (
	pidMu   sync.Mutex
	nextPID = 1
)

// Start loads the static ELF executable image (argv[0] names it) and runs
// its main thread, with the device capabilities grants name (the
// bootstrap core's; see Grant). The returned process's Wait reports how
// it ended.
func Start(image []byte, argv, envp []string, grants ...Grant) (*Process, error) {
	return start(image, argv, envp, false, grants)
}

// StartMonitor is Start for this core's monitor. It also makes the CPU
// driver's channel to the monitor (monlink.go).
func StartMonitor(image []byte, argv, envp []string) (*Process, error) {
	if err := newMonLink(); err != nil {
		return nil, fmt.Errorf("channel to the monitor: %v", err)
	}
	return start(image, argv, envp, true, nil)
}

func start(image []byte, argv, envp []string, monitor bool, grants []Grant) (*Process, error) {
	if len(argv) == 0 {
		return nil, fmt.Errorf("no program name")
	}
	f, err := elf.Parse(image)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", argv[0], err)
	}
	s, err := newSpace(monitor)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", argv[0], err)
	}
	if _, err := s.load(f); err != nil {
		s.release()
		return nil, fmt.Errorf("%s: %v", argv[0], err)
	}
	var random [16]byte
	fillRandom(random[:])
	sp, err := s.startStack(f, argv, envp, random)
	if err != nil {
		s.release()
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
	p.fds.init()
	if err := giveInitialCaps(p, grants); err != nil {
		capsEnded(p)
		s.release()
		return nil, err
	}
	s.building = false // from here on its threads may run
	t := p.newThread(ring0.UserRegs{IP: f.Entry, SP: sp, CR3: s.root}, ring0.NewUserFPU())
	go t.run()
	return p, nil
}

// withSpace runs f on the process's space under its lock, and again after
// growing the memory account while f reports errNeedMemory.
func (p *Process) withSpace(f func(s *space) error) error {
	for {
		p.mu.Lock()
		err := f(p.space)
		p.mu.Unlock()
		if err != errNeedMemory {
			return err
		}
		p.grow()
	}
}

// grow adds a chunk to the process's memory account (memacct.go) if it
// has no free page, and makes the spare page tables its walks wanted
// (vnodes.go). When the core's RAM capabilities are full it asks the
// memory service, or the CPU driver's pool, for more (moreRAM) and tries
// again; if none comes, the account is exhausted (errNoMemory; the
// monitor's then takes pool pages). The caller holds
// neither capCore.mu nor the process's lock; grow takes them in that
// order, and none while it waits for the service.
func (p *Process) grow() {
	capCore.mu.Lock()
	full := p.growLocked()
	capCore.mu.Unlock()
	if full && !p.Monitor && moreRAM(p.dying) {
		capCore.mu.Lock()
		p.growLocked()
		capCore.mu.Unlock()
	}
}

// growLocked is grow with capCore.mu held, without asking the service;
// it reports whether the core's RAM capabilities were full.
func (p *Process) growLocked() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.space != nil && p.space.refill()
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
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.threads) > 0 && !p.threadsAllowedLocked() {
		return nil // RLIMIT_NPROC (the main thread is always allowed)
	}
	tid := p.nextTID
	p.nextTID++
	if tid == p.PID && len(p.threads) > 0 {
		tid = p.nextTID
		p.nextTID++
	}
	if !Trace {
		r.PID, r.TID = uint64(p.PID), uint64(tid) // getpid and gettid on the fast path
	}
	t := &Thread{proc: p, TID: tid, regs: r, fpu: fpu}
	t.attn.Store(p.exiting)
	p.threads[tid] = t
	return t
}

// exit ends the whole process with status, or kills it with reason.
func (p *Process) exit(status int, reason string) {
	p.mu.Lock()
	if p.exiting {
		p.mu.Unlock()
		return
	}
	p.exiting = true
	p.status, p.reason = status, reason
	for _, t := range p.threads {
		t.attn.Store(true)
	}
	p.mu.Unlock()
	close(p.dying)
	p.futexes.wakeAll()
}

// threadDone removes t; the last thread out releases the memory and
// reports the end.
func (p *Process) threadDone(t *Thread) {
	p.mu.Lock()
	delete(p.threads, t.TID)
	p.cpuEnded += t.cpuCycles.Load()
	last := len(p.threads) == 0
	p.mu.Unlock()
	if !last {
		return
	}
	p.flushOutput()
	capsEnded(p) // first: no other process's revoke touches p's space after it
	p.space.release()
	clientEnded(p)
	close(p.done)
}

// write sends program output to the console, prefixed per line.
func (p *Process) write(b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.out.Write(b)
	for {
		i := bytes.IndexByte(p.out.Bytes(), '\n')
		if i < 0 {
			break
		}
		line := p.out.Next(i + 1)
		p.emit(string(line))
	}
	if p.out.Len() > 4096 { // a very long line goes out in pieces
		p.emit(p.out.String() + "\n")
		p.out.Reset()
	}
}

func (p *Process) flushOutput() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.out.Len() > 0 {
		p.emit(p.out.String() + "\n")
		p.out.Reset()
	}
}

// emit prints one line with the process prefix. Caller holds p.mu.
func (p *Process) emit(line string) {
	if Console != nil {
		Console(fmt.Sprintf("[core %d %s] %s", ring0.Core().Index, p.Name, line))
	}
}

// logf reports something about the process on the console.
// logOnce is logf for a notice printed once per process: key names it.
func (p *Process) logOnce(key string, format string, args ...any) {
	p.mu.Lock()
	first := !p.logged[key]
	if p.logged == nil {
		p.logged = map[string]bool{}
	}
	p.logged[key] = true
	p.mu.Unlock()
	if first {
		p.logf(format, args...)
	}
}

func (p *Process) logf(format string, args ...any) {
	if Console != nil {
		Console(fmt.Sprintf("[core %d %s] ", ring0.Core().Index, p.Name) + fmt.Sprintf(format, args...) + "\n")
	}
}
