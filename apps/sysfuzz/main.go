// Command sysfuzz makes random system calls with random arguments from
// ring 3, to shake out CPU driver bugs: no call may crash or hang the
// core, reach memory or authority the program has not got, or succeed
// where it must fail.
//
// It makes every native call (cpudriver/kpi; those that need the monitor's
// Kernel capability must answer EPERM) and the Linux calls of the Go
// personality (linux.go): the memory calls, clone, arch_prctl, futex and
// the descriptor calls among them, with arguments shaped so that the
// fuzzer tests the kernel, not itself:
//
//   - memory is mapped, unmapped and advised only in a region the fuzzer
//     reserved (args.go), or at addresses no program may use (the kernel's
//     half, non-canonical ones, ranges over the top of the user half),
//     where the call must fail; pointers the kernel writes through point
//     into that region or at such addresses;
//   - a clone's child exits at once, in assembly, on whatever stack and
//     TLS it got (raw_amd64.s), and the fuzzer checks afterwards that
//     every child it made has gone; ARCH_SET_FS puts the FS base back
//     before any Go code runs;
//   - descriptor calls use the descriptors the fuzzer's own calls made,
//     made non-blocking, and hostile numbers; the console gets only reads
//     and fcntl, and writes from addresses no program may use; the Go
//     runtime's own descriptors are never touched;
//   - a wait has a bounded timeout, or a watchdog ends it (a futex wait
//     without one, a SysWait without a limit); a call still running after
//     5 s is reported stuck.
//
// Some numbers are never made (never, in linux.go): those that end the
// fuzzer or signal it. Now and then a Frame the fuzzer mapped through a
// capability is scribbled over, so that a program beside it (apps/memtouch
// -hold) sees its memory change if the Frame was not the fuzzer's to map.
//
// Usage: sysfuzz [-time D] [-seed N] [-workers W] [-after D] [-host]
// (-host: the shaped Linux calls only, to check the fuzzer's expectations
// against Linux on a Linux host). It reports
//
//	sysfuzz: core C: N calls in D (R by random number, O succeeded), A of A native calls and B of B Linux calls made, T threads cloned, G gone, K kicks, S stuck, V violations
//
// and exits 1 if a call was stuck, a check failed, or a child thread
// lived on.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"multikernel/cap"
	"multikernel/cpudriver/kpi"
	"multikernel/libos/capability"
	"multikernel/libos/sys"
)

// call is one system call to make, how, and what must hold of its result.
type call struct {
	nr    uintptr
	a     [6]uintptr
	child bool   // clone-like: made by childExits
	setFS bool   // ARCH_SET_FS: made by archSetFS
	must  string // non-empty: the call must fail, and why
	eperm bool   // the call must fail with EPERM
	// after checks the result and keeps books; it returns what is wrong.
	after func(w *worker, c *call, r uintptr, e syscall.Errno) string
}

// fuzzer is the state the workers share.
type fuzzer struct {
	core, node, pid int
	start           time.Time
	stop            atomic.Bool
	fds             fdPool
	shaped          []uintptr // the numbers with a generator, sorted
	host            bool      // shaped Linux calls only

	calls, succeeded, randomCalls, kicks atomic.Int64
	keptRAM                              atomic.Int64 // RAM capabilities of the memory service kept

	mu         sync.Mutex // guards the fields below
	children   []int
	slots      []uintptr       // capability slots its calls filled
	ranges     []uintptr       // address ranges its calls made, by base
	counts     map[uintptr]int // calls made, by number
	successes  map[uintptr]int // calls that succeeded, by number
	violations int
	stuck      int
}

// worker makes calls in its own goroutine. The watchdog reads the call in
// flight: inFlight (ns since the fuzzer's start, 0 for none) and cur.
type worker struct {
	f        *fuzzer
	r        *rand.Rand
	ts       uintptr // this worker's timespec, in the fuzzer's own page
	cargs    uintptr // this worker's struct clone_args, in that page
	requeue  uintptr // this worker's requeueWords futex words, in that page
	inFlight atomic.Int64
	cur      atomic.Pointer[call]
	swept    int // how many of the shaped calls the first sweep made (pick)
}

// The worker's page: timespecs at 0, struct clone_args at 1024, requeue
// words at 3072, 16 workers at most.

// stuckAfter is how long a call may run before it counts as stuck.
const stuckAfter = 5 * time.Second

// requeueWords is how many futex words each worker has for the second
// word of futex requeues (their waiters move there).
const requeueWords = 4

func main() {
	dur := flag.Duration("time", 6*time.Second, "how long to fuzz")
	seed := flag.Uint64("seed", 1, "random seed (with the core number)")
	workers := flag.Int("workers", 3, "goroutines making calls (at most 16)")
	after := flag.Duration("after", 0, "wait this long first")
	host := flag.Bool("host", false, "only the shaped Linux calls: on a Linux host, checks the fuzzer's expectations against Linux")
	flag.Parse()
	// A timer starts the runtime's netpoller: its descriptors must exist
	// before setUp finds the first one the fuzzer may use.
	time.Sleep(max(*after, time.Millisecond))
	f := &fuzzer{pid: os.Getpid(), counts: map[uintptr]int{}, successes: map[uintptr]int{}}
	core, node, err := sys.CPU()
	if err != nil {
		fail("getcpu: %v", err)
	}
	f.core, f.node = core, node
	for nr := range linuxGens {
		f.shaped = append(f.shaped, nr)
	}
	if *host {
		f.host = true
	} else {
		for nr := range nativeGens {
			f.shaped = append(f.shaped, nr)
		}
	}
	slices.Sort(f.shaped)
	*workers = min(max(*workers, 1), 16)
	f.setUp()
	ts, err := syscall.Mmap(-1, 0, pageSize, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		fail("mmap: %v", err)
	}
	fmt.Printf("sysfuzz: core %d: fuzzing for %v, seed %d, %d workers, descriptors from %d\n", core, *dur, *seed, *workers, f.fds.first)
	f.start = time.Now()
	ws := make([]*worker, *workers)
	var wg sync.WaitGroup
	for i := range ws {
		ws[i] = &worker{f: f, r: rand.New(rand.NewPCG(*seed, uint64(core)<<8|uint64(i))), ts: addrOf(ts) + uintptr(i)*16, cargs: addrOf(ts) + 1024 + uintptr(i)*128,
			requeue: addrOf(ts) + 3072 + uintptr(i)*4*requeueWords}
		wg.Add(1)
		go func() { defer wg.Done(); ws[i].run() }()
	}
	quit := make(chan struct{})
	watched := make(chan struct{})
	go func() { f.watch(ws, quit); close(watched) }()
	time.Sleep(*dur)
	f.stop.Store(true)
	ended := make(chan struct{})
	go func() { wg.Wait(); close(ended) }()
	select {
	case <-ended:
	case <-time.After(stuckAfter + time.Second): // the watchdog reports what is stuck
	}
	close(quit)
	<-watched
	elapsed := time.Since(f.start)
	gone := f.childrenGone()
	f.sanity()
	f.report(elapsed, gone)
	f.mu.Lock()
	bad := f.violations > 0 || f.stuck > 0 || gone < len(f.children)
	f.mu.Unlock()
	if bad {
		os.Exit(1)
	}
	os.Exit(0) // also ends a worker still in a call
}

func fail(format string, args ...any) {
	fmt.Printf("sysfuzz: "+format+"\n", args...)
	os.Exit(1)
}

// setUp maps the region (the frame window and the guard after the region
// stay unmapped), makes standard input non-blocking (the fuzzer reads
// it), finds the first descriptor that is not the console's or the
// runtime's, and makes two Frames.
func (f *fuzzer) setUp() {
	const rw, fixedNR = syscall.PROT_READ | syscall.PROT_WRITE, 0x100000
	r, _, e := syscall.Syscall6(nrMmap, regionBase, regionSize, rw, syscall.MAP_PRIVATE|syscall.MAP_ANON|fixedNR, ^uintptr(0), 0)
	if e != 0 || r != regionBase {
		fail("reserving the region at %#x: %v", regionBase, e)
	}
	if _, _, e := syscall.Syscall(nrFcntl, 0, syscall.F_SETFL, oNonblock); e != 0 {
		fail("making standard input non-blocking: %v", e)
	}
	f.fds.first = 3
	for fd := 3; fd < 64; fd++ {
		if _, _, e := syscall.Syscall(nrFcntl, uintptr(fd), syscall.F_GETFD, 0); e == 0 {
			f.fds.first = fd + 1
		}
	}
	f.fds.top = f.fds.first
	// Two Frames of the program's RAM capability from the start, for the
	// calls that map and send Frames (the fuzzer makes more itself).
	if first, err := capability.Retype(capability.RAMSlot, cap.Frame, 0, 4*pageSize, 2); err == nil {
		f.held(uintptr(first), 2)
	}
}

// run makes calls until the fuzzer stops.
func (w *worker) run() {
	debug.SetPanicOnFault(true) // scribble's stores may meet a Frame just unmapped
	for !w.f.stop.Load() {
		if c, ok := w.pick(); ok {
			w.make(&c)
		}
	}
}

// pick chooses a call: first every shaped one once, in order (so that a
// slow run still makes each, which the summary's counts show); then three
// in five a shaped one, the others by a random number (any Linux number, a
// native number up to 64 past the first, or noise), shaped too when it
// has a generator.
func (w *worker) pick() (call, bool) {
	f := w.f
	if w.swept < len(f.shaped) {
		w.swept++
		return w.gen(f.shaped[w.swept-1]), true
	}
	if f.host || w.r.IntN(5) < 3 {
		return w.gen(f.shaped[w.r.IntN(len(f.shaped))]), true
	}
	f.randomCalls.Add(1)
	var nr uintptr
	switch k := w.r.IntN(20); {
	case k < 15:
		nr = uintptr(w.r.IntN(512))
	case k < 19:
		nr = kpi.NativeBase + uintptr(w.r.IntN(64))
	default:
		nr = scalar(w.r)
	}
	if never[nr] || waits[nr] {
		return call{}, false
	}
	if _, ok := linuxGens[nr]; ok {
		return w.gen(nr), true
	}
	if _, ok := nativeGens[nr]; ok {
		return w.gen(nr), true
	}
	c := call{nr: nr}
	for i := range c.a {
		c.a[i] = anyArg(w.r)
		// The first arguments are where descriptors go: never the
		// console's or the runtime's for a call the fuzzer does not know.
		if i < 3 && c.a[i] < uintptr(f.fds.first) {
			c.a[i] += uintptr(f.fds.first)
		}
	}
	if nr >= kpi.NativeBase+nativeCount && nr < kpi.NativeBase+0x1000 {
		c.must = "a native call that does not exist"
	}
	return c, true
}

// gen makes the shaped call nr.
func (w *worker) gen(nr uintptr) call {
	if g, ok := linuxGens[nr]; ok {
		return g(w)
	}
	return nativeGens[nr](w)
}

// make makes c and checks its result.
func (w *worker) make(c *call) {
	f := w.f
	w.cur.Store(c)
	w.inFlight.Store(max(int64(time.Since(f.start)), 1))
	var r uintptr
	var e syscall.Errno
	switch {
	case c.child:
		r, e = errnoOf(childExits(c.nr, c.a[0], c.a[1], c.a[2], c.a[3], c.a[4], c.a[5]))
	case c.setFS:
		r, e = errnoOf(archSetFS(c.a[1]))
	default:
		// Syscall6, not RawSyscall6: a call that blocks releases the P.
		r, _, e = syscall.Syscall6(c.nr, c.a[0], c.a[1], c.a[2], c.a[3], c.a[4], c.a[5])
	}
	w.inFlight.Store(0)
	f.calls.Add(1)
	if e == 0 {
		f.succeeded.Add(1)
	}
	var wrong string
	switch {
	case c.eperm && e != syscall.EPERM:
		wrong = fmt.Sprintf("must fail with EPERM (the monitor's call), got %s", result(r, e))
	case c.must != "" && e == 0:
		wrong = fmt.Sprintf("must fail (%s), got %s", c.must, result(r, e))
	}
	if c.after != nil { // its books are kept whatever went wrong
		if m := c.after(w, c, r, e); wrong == "" {
			wrong = m
		}
	}
	f.mu.Lock()
	f.counts[c.nr]++
	if e == 0 {
		f.successes[c.nr]++
	}
	if wrong != "" {
		f.violations++
		fmt.Printf("sysfuzz: core %d: VIOLATION: %s: %s\n", f.core, describe(c), wrong)
	}
	f.mu.Unlock()
}

// errnoOf splits a raw RAX into a result and an errno, as Linux returns
// them.
func errnoOf(rax uintptr) (uintptr, syscall.Errno) {
	if rax >= ^uintptr(4095) {
		return ^uintptr(0), syscall.Errno(-rax)
	}
	return rax, 0
}

// result prints a call's result.
func result(r uintptr, e syscall.Errno) string {
	if e != 0 {
		return fmt.Sprintf("errno %d (%v)", int(e), e)
	}
	return fmt.Sprintf("%#x", r)
}

// describe prints a call.
func describe(c *call) string {
	return fmt.Sprintf("%s(%#x, %#x, %#x, %#x, %#x, %#x)", name(c.nr), c.a[0], c.a[1], c.a[2], c.a[3], c.a[4], c.a[5])
}

// name names a call number.
func name(nr uintptr) string {
	if nr >= kpi.NativeBase && nr < kpi.NativeBase+nativeCount {
		return fmt.Sprintf("native %#x", nr)
	}
	return fmt.Sprintf("syscall %d", nr)
}

// tid returns a thread ID argument: the process's, one near it (perhaps a
// child's), or noise.
func (w *worker) tid() uintptr {
	switch w.r.IntN(3) {
	case 0:
		return uintptr(w.f.pid)
	case 1:
		return uintptr(w.f.pid + w.r.IntN(64))
	}
	return scalar(w.r)
}

// timespec returns a pointer to a struct timespec for a wait, and why the
// call must fail with it ("" if it need not): the worker's own, holding
// at most 5 ms (or a time out of range, now and then), or a hostile or
// null address. none allows 0, no timeout at all (the watchdog ends that
// wait).
func (w *worker) timespec(none bool) (uintptr, string) {
	switch k := w.r.IntN(12); {
	case none && k < 3:
		return 0, ""
	case k < 10:
		sec, nsec, bad := uint64(0), w.r.Uint64N(5_000_000), ""
		switch w.r.IntN(8) {
		case 0:
			nsec, bad = 1_000_000_000+w.r.Uint64N(1<<30), "a timespec of more than 1e9 ns"
		case 1:
			sec, bad = ^w.r.Uint64N(1<<20), "a negative timespec"
		}
		*word(w.ts), *word(w.ts + 8) = sec, nsec
		return w.ts, bad
	case k == 10:
		return 1 + uintptr(w.r.Uint64N(pageSize-1)), "a timespec at null"
	}
	return hostileAddr(w.r), "a timespec at an address no program may use"
}

// fd returns a descriptor argument and its kind: the fuzzer's own (those
// its calls made, or a free number among them), a hostile number, or
// (with console) one of the console's.
func (w *worker) fd(console bool) (uintptr, int) {
	f := &w.f.fds
	switch k := w.r.IntN(12); {
	case console && k < 2:
		return uintptr(w.r.IntN(3)), fdConsole
	case k < 5:
		// Numbers no descriptor has, as 64 bits and as the 32-bit int
		// Linux reads.
		return []uintptr{^uintptr(0), ^uintptr(99), 1023, 1024, 4096, 1 << 31, 3 << 31, 0xfffffffffff00000}[w.r.IntN(8)], fdHostile
	}
	f.mu.Lock()
	n := f.top - f.first
	f.mu.Unlock()
	return uintptr(f.first + w.r.IntN(n+4)), fdOwn
}

// Kinds of descriptor argument.
const (
	fdOwn = iota
	fdConsole
	fdHostile
)

// fdPool keeps account of the descriptors the fuzzer's calls made: all
// lie in [first, top), and are closed now and then (sweep). Below first
// are the console's and the runtime's, which no random call gets.
type fdPool struct {
	first int // set before the workers start
	mu    sync.Mutex
	top   int
}

// made records the descriptor fd.
func (p *fdPool) made(fd int) {
	p.mu.Lock()
	p.top = max(p.top, fd+1)
	p.mu.Unlock()
}

// probe records the lowest free descriptor, which is above the two a
// pipe just got (it stays, an eventfd of the fuzzer's).
func (p *fdPool) probe() {
	r, _, e := syscall.Syscall(nrEventfd2, 0, oNonblock|syscall.O_CLOEXEC, 0)
	if e == 0 {
		p.made(int(r))
	}
}

// sweep closes every descriptor the fuzzer made.
func (p *fdPool) sweep() {
	p.mu.Lock()
	top := p.top
	p.top = p.first
	p.mu.Unlock()
	for fd := p.first; fd < top; fd++ {
		syscall.Syscall(nrClose, uintptr(fd), 0, 0)
	}
}

// watch is the watchdog: it ends the waits it can, reports calls that
// run too long, closes the fuzzer's descriptors and maps the region
// afresh now and then, until quit.
func (f *fuzzer) watch(ws []*worker, quit <-chan struct{}) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	kicked := make([]int64, len(ws))
	reported := make([]int64, len(ws))
	for n := 1; ; n++ {
		select {
		case <-quit:
			return
		case <-tick.C:
		}
		now := int64(time.Since(f.start))
		for i, w := range ws {
			since := w.inFlight.Load()
			if since == 0 {
				continue
			}
			c := w.cur.Load()
			age := time.Duration(now - since)
			if age > 100*time.Millisecond {
				// Again at every tick: the call may not have begun to
				// wait at the first.
				if f.kick(ws, c.nr, c.a[0]) && kicked[i] != since {
					kicked[i] = since
					f.kicks.Add(1)
				}
			}
			if age > stuckAfter && reported[i] != since {
				reported[i] = since
				f.mu.Lock()
				f.stuck++
				f.mu.Unlock()
				fmt.Printf("sysfuzz: core %d: STUCK: %s has run for %v\n", f.core, describe(c), age)
			}
		}
		if n%4 == 0 && !f.stop.Load() {
			f.fds.sweep()
		}
		if n%6 == 0 && !f.stop.Load() {
			syscall.Syscall6(nrMmap, regionBase, regionSize, syscall.PROT_READ|syscall.PROT_WRITE,
				syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_FIXED, ^uintptr(0), 0)
		}
	}
}

// kick ends a wait that has no limit: a futex wait (wake its word, as a
// private futex and a shared one, and the requeue words a requeue may
// have moved it to) or SysWait (notify the core). It reports whether the
// call was one of those.
func (f *fuzzer) kick(ws []*worker, nr, a0 uintptr) bool {
	switch nr {
	case nrFutex:
		// Linux finds a shared futex by its page: give the word one
		// (a worker may have unmapped it since the wait began).
		touch(a0)
		words := []uintptr{a0}
		for _, w := range ws {
			for i := uintptr(0); i < requeueWords; i++ {
				words = append(words, w.requeue+4*i)
			}
		}
		for _, a := range words {
			syscall.RawSyscall6(nrFutex, a, 1, 1<<30, 0, 0, 0)
			syscall.RawSyscall6(nrFutex, a, 129, 1<<30, 0, 0, 0)
		}
	case kpi.SysWait:
		syscall.RawSyscall(kpi.SysNotify, uintptr(f.core), 0, 0)
	default:
		return false
	}
	return true
}

// touch writes the 32-bit word at a, if it is mapped.
func touch(a uintptr) {
	defer func() { recover() }()
	debug.SetPanicOnFault(true)
	*(*uint32)(unsafe.Pointer(word(a &^ 3))) = 0
}

// keepInRegion unmaps what a call mapped at [a, a+n) outside the region.
func (f *fuzzer) keepInRegion(a, n uintptr) {
	end := a + n
	if a < regionBase {
		syscall.Syscall(nrMunmap, a, min(end, regionBase)-a, 0)
	}
	if e := uintptr(regionBase + regionSize); end > e {
		s := max(a, e)
		syscall.Syscall(nrMunmap, s, end-s, 0)
	}
}

// scribble writes over a Frame of size bytes the fuzzer mapped at va, a
// word every 64 bytes; a fault (another worker unmapped it) ends it.
func (f *fuzzer) scribble(va, size uintptr) {
	defer func() { recover() }()
	for off := uintptr(0); off < size; off += 64 {
		*word(va + off) = 0x5f5f5f5f00000000 | uint64(off)
	}
}

// child records a thread a clone made.
func (f *fuzzer) child(tid int) {
	f.mu.Lock()
	f.children = append(f.children, tid)
	f.mu.Unlock()
}

// childrenGone waits up to 2 s until no thread a clone made is left
// (tgkill with signal 0 finds none), and returns how many have gone.
func (f *fuzzer) childrenGone() int {
	f.mu.Lock()
	tids := slices.Clone(f.children)
	f.mu.Unlock()
	deadline := time.Now().Add(2 * time.Second)
	gone := 0
	for _, tid := range tids {
		for {
			_, _, e := syscall.RawSyscall(nrTgkill, uintptr(f.pid), uintptr(tid), 0)
			if e == syscall.ESRCH {
				gone++
				break
			}
			if time.Now().After(deadline) {
				fmt.Printf("sysfuzz: core %d: thread %d, made by clone, did not exit (tgkill: %v)\n", f.core, tid, e)
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	return gone
}

// sanity checks that the fuzzer's own system calls still work: the
// process's ID, the clock, a fresh mapping, a pipe round trip.
func (f *fuzzer) sanity() {
	bad := func(what string, err error) {
		f.mu.Lock()
		f.violations++
		f.mu.Unlock()
		fmt.Printf("sysfuzz: core %d: VIOLATION: after fuzzing, %s: %v\n", f.core, what, err)
	}
	if pid := os.Getpid(); pid != f.pid {
		bad("getpid", fmt.Errorf("%d, was %d", pid, f.pid))
	}
	t0 := time.Now()
	time.Sleep(time.Millisecond)
	if d := time.Since(t0); d < time.Millisecond {
		bad("a 1 ms sleep", fmt.Errorf("took %v", d))
	}
	b, err := syscall.Mmap(-1, 0, 1<<20, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		bad("mmap", err)
	} else {
		for i := 0; i < len(b); i += pageSize {
			if b[i] != 0 {
				bad("fresh memory", fmt.Errorf("byte %#x is %#x", i, b[i]))
				break
			}
			b[i] = 1
		}
		if err := syscall.Munmap(b); err != nil {
			bad("munmap", err)
		}
	}
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC); err != nil {
		bad("pipe2", err)
		return
	}
	msg := []byte("still answering")
	if n, err := syscall.Write(p[1], msg); n != len(msg) || err != nil {
		bad("a pipe write", fmt.Errorf("%d, %v", n, err))
	}
	got := make([]byte, 64)
	if n, err := syscall.Read(p[0], got); string(got[:max(n, 0)]) != string(msg) || err != nil {
		bad("a pipe read", fmt.Errorf("%q, %v", got[:max(n, 0)], err))
	}
	syscall.Close(p[0])
	syscall.Close(p[1])
}

// report prints the summary line, and the shaped calls never made.
func (f *fuzzer) report(elapsed time.Duration, gone int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var missing, failing []string
	natives, linux := 0, 0
	for _, nr := range f.shaped {
		if f.counts[nr] == 0 {
			missing = append(missing, name(nr))
			continue
		}
		if f.successes[nr] == 0 {
			failing = append(failing, name(nr))
		}
		if nr >= kpi.NativeBase {
			natives++
		} else {
			linux++
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		fmt.Printf("sysfuzz: core %d: never made: %s\n", f.core, strings.Join(missing, ", "))
	}
	fmt.Printf("sysfuzz: core %d: never succeeded: %s\n", f.core, strings.Join(failing, ", "))
	shapedNatives := nativeCount
	if f.host {
		shapedNatives = 0
	}
	fmt.Printf("sysfuzz: core %d: %d calls in %v (%d by random number, %d succeeded), %d of %d native calls and %d of %d Linux calls made, "+
		"%d threads cloned, %d gone, %d kicks, %d stuck, %d violations\n",
		f.core, f.calls.Load(), elapsed.Round(time.Millisecond), f.randomCalls.Load(), f.succeeded.Load(), natives, nativeCount,
		linux, len(f.shaped)-shapedNatives, len(f.children), gone, f.kicks.Load(), f.stuck, f.violations)
}
