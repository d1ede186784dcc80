// Command spanwork is a workout for a program spanning several cores: a
// thread pinned on each of its cores (getcpu checked), shared memory, a
// contended mutex, channels between goroutines on different cores,
// munmap and mprotect seen from every core, pages from the node of the
// core that touched them first (get_mempolicy), the garbage collector with
// every P allocating, and a verified parallel result. Each step prints
// "spanwork: STEP: ok" or "spanwork: STEP: FAILED ..."; the last line is
// "spanwork: PASS" or "spanwork: FAILED", and the exit status 0 or 1.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	mc "multikernel/libos/cores"
)

var failed bool

// sink keeps the reads of faults from being optimized away.
var sink byte

func check(step string, ok bool, format string, args ...any) {
	if ok {
		fmt.Printf("spanwork: %s: ok\n", step)
		return
	}
	failed = true
	fmt.Printf("spanwork: %s: FAILED: %s\n", step, fmt.Sprintf(format, args...))
}

// onEach runs f(i, core) on a thread pinned on each core (mc.OnEach);
// a core it cannot pin to fails the workout.
func onEach(cs []int, f func(i, c int)) {
	if err := mc.OnEach(cs, f); err != nil {
		check("pin", false, "%v", err)
	}
}

// faults reports whether reading (or writing) b[0] faults.
func faults(b []byte, write bool) (f bool) {
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() { f = recover() != nil }()
	if write {
		b[0] = 1
	} else {
		sink += b[0]
	}
	return false
}

func main() {
	crash := flag.Int("crash", -1, "instead of the workout: spin on every core but `C`, and write through nil there (the program dies of the fault)")
	flag.Parse()
	mask := mc.Affinity()
	cores := mc.List(mask)
	if *crash >= 0 {
		crashOn(cores, *crash)
	}
	fmt.Printf("spanwork: cores %v numcpu %d gomaxprocs %d\n", cores, runtime.NumCPU(), runtime.GOMAXPROCS(0))
	check("cores", len(cores) > 0 && runtime.NumCPU() == len(cores), "mask %#x, NumCPU %d", mask, runtime.NumCPU())

	onEach(cores, func(_, c int) {
		ok := true
		for k := 0; k < 20 && ok; k++ {
			ok = mc.Current() == c
			runtime.Gosched()
		}
		check(fmt.Sprintf("thread on core %d", c), ok, "getcpu says %d", mc.Current())
	})
	if len(cores) > 1 {
		moveOther("setaffinity of another thread", mask, cores[0], cores[0], cores[1])
		moveOther("setaffinity of a thread on another core", mask, cores[len(cores)-1], cores[0], cores[1])
	}

	const per = 4096
	shared := make([]uint64, per*len(cores))
	onEach(cores, func(i, c int) {
		for k := range per {
			shared[i*per+k] = uint64(c)<<32 | uint64(k)
		}
	})
	var bad atomic.Int32
	onEach(cores, func(_, _ int) {
		for i, c := range cores {
			for k := range per {
				if shared[i*per+k] != uint64(c)<<32|uint64(k) {
					bad.Add(1)
					return
				}
			}
		}
	})
	check("shared memory", bad.Load() == 0, "%d cores saw wrong words", bad.Load())

	var mu sync.Mutex
	count := 0
	const incs = 2000
	onEach(cores, func(_, _ int) {
		for range incs {
			mu.Lock()
			count++
			mu.Unlock()
		}
	})
	check("mutex", count == incs*len(cores), "count %d, want %d", count, incs*len(cores))

	chans := make([]chan int, len(cores))
	for i := range chans {
		chans[i] = make(chan int, 1) // one slot: a ring of one core sends to itself
	}
	const rounds = 50
	var wrong atomic.Int32
	done := make(chan int)
	go func() {
		onEach(cores, func(i, c int) {
			next := chans[(i+1)%len(cores)]
			for r := 0; r < rounds; r++ {
				var v int
				if i == 0 {
					next <- r * len(cores)
					v = <-chans[0]
				} else {
					v = <-chans[i]
					next <- v + 1
				}
				if mc.Current() != c {
					wrong.Add(1)
				}
				_ = v
			}
		})
		done <- 0
	}()
	<-done
	check("channels", wrong.Load() == 0, "%d hops ran off their core", wrong.Load())

	mem, err := syscall.Mmap(-1, 0, 16<<12, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		check("mmap", false, "%v", err)
	} else {
		for i := range mem {
			mem[i] = byte(i)
		}
		var seen atomic.Int32
		// Each core reads the page and writes a byte of it, so that
		// every core's TLB may hold a writable entry for it when the
		// mprotect below takes the write right away.
		onEach(cores, func(i, _ int) {
			if mem[4097] == 1 && mem[len(mem)-1] == byte(len(mem)-1) {
				seen.Add(1)
			}
			mem[64+i] = byte(i)
		})
		check("mmap seen everywhere", int(seen.Load()) == len(cores), "%d of %d cores saw it", seen.Load(), len(cores))
		syscall.Mprotect(mem, syscall.PROT_READ)
		var wf, rf atomic.Int32
		onEach(cores, func(_, _ int) {
			if faults(mem, true) {
				wf.Add(1)
			}
			if faults(mem, false) {
				rf.Add(1)
			}
		})
		check("mprotect seen everywhere", int(wf.Load()) == len(cores) && rf.Load() == 0, "%d writes faulted, %d reads faulted, of %d", wf.Load(), rf.Load(), len(cores))
		syscall.Munmap(mem)
		var uf atomic.Int32
		onEach(cores, func(_, _ int) {
			if faults(mem, false) {
				uf.Add(1)
			}
		})
		check("munmap seen everywhere", int(uf.Load()) == len(cores), "%d of %d cores faulted", uf.Load(), len(cores))
	}
	firstTouch(cores)

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gc0 := ms.NumGC
	var wg sync.WaitGroup
	sums := make([]int, runtime.GOMAXPROCS(0)*2)
	for g := range sums {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var keep [][]int
			for k := 0; k < 300; k++ {
				b := make([]int, 512)
				b[0] = k
				if k%10 == 0 {
					keep = append(keep, b)
				}
			}
			for _, b := range keep {
				sums[g] += b[0]
			}
		}()
	}
	wg.Wait()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	okSums := true
	for _, s := range sums {
		okSums = okSums && s == 4350 // 0+10+...+290
	}
	check("gc", okSums && ms.NumGC > gc0, "sums %v, %d collections", sums[:1], ms.NumGC-gc0)

	const bound = 20000
	counts := make([]int, len(cores))
	onEach(cores, func(i, _ int) {
		for n := 2 + i; n < bound; n += len(cores) {
			if prime(n) {
				counts[i]++
			}
		}
	})
	total := 0
	for _, c := range counts {
		total += c
	}
	check("parallel result", total == 2262, "%d primes below %d, want 2262", total, bound)

	if failed {
		fmt.Println("spanwork: FAILED")
		os.Exit(1)
	}
	fmt.Println("spanwork: PASS")
}

// firstTouch checks that memory comes from the node of the core that
// touched it first: a thread on each core writes pages of a fresh
// mapping, get_mempolicy(MPOL_F_NODE|MPOL_F_ADDR) gives each page's node,
// and getcpu its core's; another core reading the pages after does not
// move them.
func firstTouch(cores []int) {
	const pages = 8
	mem, err := syscall.Mmap(-1, 0, len(cores)*pages<<12, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		check("first touch", false, "mmap: %v", err)
		return
	}
	defer syscall.Munmap(mem)
	want := make([]int, len(cores))
	got := make([][pages]int, len(cores))
	nodeOf := func(b []byte) int {
		var node int32 = -1
		_, _, e := syscall.RawSyscall6(syscall.SYS_GET_MEMPOLICY, uintptr(unsafe.Pointer(&node)), 0, 0,
			uintptr(unsafe.Pointer(&b[0])), 3 /* MPOL_F_NODE|MPOL_F_ADDR */, 0)
		if e != 0 {
			return -int(e) - 1000
		}
		return int(node)
	}
	onEach(cores, func(i, _ int) {
		var cpu, node uint32
		syscall.RawSyscall(309, uintptr(unsafe.Pointer(&cpu)), uintptr(unsafe.Pointer(&node)), 0)
		want[i] = int(node)
		for k := range pages {
			mem[(i*pages+k)<<12] = byte(i)
		}
	})
	// Read from the first core: the pages stay where they were made.
	onEach(cores[:1], func(_, _ int) {
		for i := range cores {
			for k := range pages {
				b := mem[(i*pages+k)<<12:]
				sink += b[0]
				got[i][k] = nodeOf(b)
			}
		}
	})
	wrong, nodes := 0, map[int]bool{}
	detail := ""
	for i, c := range cores {
		nodes[want[i]] = true
		for k, n := range got[i] {
			if n != want[i] {
				if wrong == 0 {
					detail = fmt.Sprintf("core %d (node %d) page %d is on node %d", c, want[i], k, n)
				}
				wrong++
			}
		}
	}
	var ns []int
	for n := range 64 {
		if nodes[n] {
			ns = append(ns, n)
		}
	}
	fmt.Printf("spanwork: first touch: %d pages, %d on another node than their toucher's, nodes %v\n", len(cores)*pages, wrong, ns)
	check("first touch", wrong == 0, "%d pages elsewhere; first: %s", wrong, detail)
}

// moveOther checks sched_setaffinity of another thread (step): a thread
// pinned on core from, set by a thread on core setter to core to, runs
// there before long. Both get the program's whole mask back after.
func moveOther(step string, mask uint64, setter, from, to int) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer mc.SetAffinity(mask)
	if err := mc.Pin(setter); err != nil {
		check(step, false, "pin to core %d: %v", setter, err)
		return
	}
	tids, done := make(chan int), make(chan int)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		defer mc.SetAffinity(mask)
		if mc.Pin(from) != nil {
			tids <- -1
			return
		}
		tids <- syscall.Gettid()
		deadline := time.Now().Add(10 * time.Second)
		for mc.Current() != to && time.Now().Before(deadline) {
			runtime.Gosched()
		}
		done <- mc.Current()
	}()
	tid := <-tids
	if tid < 0 {
		check(step, false, "its pin to core %d failed", from)
		return
	}
	m := [16]uint64{1 << to}
	_, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, uintptr(tid), unsafe.Sizeof(m), uintptr(unsafe.Pointer(&m[0])))
	c := <-done
	check(step, e == 0 && c == to, "errno %v; it runs on core %d, want %d (set from core %d)", e, c, to, setter)
}

// crashOn keeps a thread busy in ring 3 on every core but c and writes
// through a nil pointer on c.
func crashOn(cores []int, c int) {
	for _, o := range cores {
		if o != c {
			go func() {
				runtime.LockOSThread()
				mc.Pin(o)
				for {
					sink++
				}
			}()
		}
	}
	runtime.LockOSThread()
	if err := mc.Pin(c); err != nil {
		fmt.Printf("spanwork: pin to core %d: %v\n", c, err)
		os.Exit(1)
	}
	fmt.Printf("spanwork: writing through nil on core %d\n", mc.Current())
	var p *[2]int
	p[1] = 1
}

func prime(n int) bool {
	for d := 2; d*d <= n; d++ {
		if n%d == 0 {
			return false
		}
	}
	return true
}
