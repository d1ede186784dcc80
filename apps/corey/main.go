// Command corey runs the Corey paper's microbenchmarks (docs/ranges.md;
// Boyd-Wickizer et al., OSDI 2008, section 8) on the cores it may run
// on. The same static binary runs on Linux, where only the variants that
// need no address range exist.
//
// memclone (Corey's Fig. 7a): for k = 1, 2, 4, ... cores, a thread pinned
// on each of the first k allocates a buffer of its own (-mb MiB), writes
// one byte to every page and frees it. Variants (-variant): "mmap", each
// buffer an anonymous mmap in the one address space the threads share
// (on the multikernel, every page fault of a core other than the
// program's home goes home as a message); "private", each buffer in a
// range private to its core (libos/ranges: its faults are its core's
// alone). It prints, per k and variant,
//
//	corey: memclone VARIANT cores K page-ns P free-ns F COUNTS
//
// P: the mean time of one page's first touch over all threads (each
// thread timed from a common start to its last page), F the time to
// free one buffer (the munmap or range delete alone). COUNTS, on the
// multikernel only, are what the whole program's cores did from the
// common start until every buffer was freed (libos/cores.Counts):
//
//	shootdown-messages M calls-home H claims C foreign-tables T
//
// M: TLB shootdown messages; H: calls and page faults sent to the home
// core; C: pages claimed from fault-around's reservations without a
// message; T: page-table pages of the home's tables written by another
// core (once per page and core). They count the Go runtime's own work
// in those moments too. A private range whose own count
// (ranges.Info) shows a shootdown message fails the run. Before the figures, one round of each
// variant on every core warms the memory up (-warm): the emulator backs
// guest memory on its first touch, at a cost that is neither system's.
//
// mempass (Corey's Fig. 7b): for k = 1, 2, 4, ... cores, one buffer
// (-mb MiB) is passed round robin over the first k cores, each writing
// one byte to every page before it hands the buffer to the next (a
// channel between goroutines pinned to the cores). Variants: "mmap", an
// anonymous mmap in the shared address space, and "range", a range
// shared by those k cores (libos/ranges). It prints
//
//	corey: mempass VARIANT cores K page-ns P COUNTS
//
// P: the time from the first core's start to the last core's end,
// over k times the pages (each core's pass of a page, the first core's
// faulting it in); COUNTS as memclone's, from the first core's start to
// the last core's end.
//
// shares (Corey's Fig. 9, and its Fig. 1 on Linux): for k = 1, 2, 4, ...
// cores, a thread pinned on each of the first k adds an id to a share and
// removes it again, -ops times. Variants: "global", the program's
// global share (libos/shares), whose writers' lock every core takes;
// "local", each core's root share, which only its core changes; "dup",
// dup(1) and close of the result, the file descriptor table's
// equivalent (on Linux one table that every thread's calls lock; on the
// multikernel a spanning program's descriptors are its home core's). It
// prints
//
//	corey: shares VARIANT cores K op-ns T contended C
//
// T: the mean time of one add and remove (or dup and close) over the
// cores, C: the adds and removes that found the lock taken by another
// core's thread (the shares count them; 0 for dup).
//
// The last line is "corey: done".
package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	mc "multikernel/libos/cores"
	"multikernel/libos/ranges"
	"multikernel/libos/shares"
)

const page = 4096

func main() {
	bench := flag.String("bench", "memclone", "benchmark: memclone, mempass or shares")
	variant := flag.String("variant", "", "variants, comma-separated (memclone: mmap, private; mempass: mmap, range; shares: global, local, dup); default all")
	mb := flag.Int("mb", 16, "memclone: MiB each core allocates")
	rounds := flag.Int("rounds", 1, "rounds of each figure (each printed)")
	ops := flag.Int("ops", 2000, "shares: adds and removes each core makes")
	warm := flag.Bool("warm", true, "first run one round of each variant on every core, not printed: the emulator backs the guest's memory on its first touch, which is not either system's cost")
	flag.Parse()
	cores := mc.List(mc.Affinity())
	if len(cores) == 0 {
		fail("no cores in the affinity mask")
	}
	fmt.Printf("corey: cores %v\n", cores)
	variants := map[string][]string{"memclone": {"mmap", "private"}, "mempass": {"mmap", "range"}, "shares": {"global", "local", "dup"}}
	shareOps := *ops
	run := map[string]func(v string, cs []int, mb int, show bool){"memclone": memclone, "mempass": mempass,
		"shares": func(v string, cs []int, _ int, show bool) { sharesBench(v, cs, shareOps, show) }}[*bench]
	if run == nil {
		fail("unknown benchmark %q", *bench)
	}
	vs := variants[*bench]
	if *variant != "" {
		vs = strings.FieldsFunc(*variant, func(r rune) bool { return r == ',' })
	}
	for _, v := range vs {
		if !slices.Contains(variants[*bench], v) {
			fail("%s has no variant %q", *bench, v)
		}
		if *warm {
			run(v, cores[:1], *mb, false) // a one-core range is private: its core's own memory
			run(v, cores, *mb, false)
		}
		for k := 1; k <= len(cores); k *= 2 {
			for range *rounds {
				run(v, cores[:k], *mb, true)
			}
			if k < len(cores) && 2*k > len(cores) {
				k = len(cores) / 2 // end with every core
			}
		}
	}
	fmt.Println("corey: done")
}

// memclone runs one memclone round on cs and, if show, prints its line.
func memclone(variant string, cs []int, mb int, show bool) {
	n := uint64(mb) << 20
	pages := int(n / page)
	var ready, start sync.WaitGroup
	ready.Add(len(cs))
	start.Add(1)
	touch := make([]time.Duration, len(cs))
	free := make([]time.Duration, len(cs))
	msgs := make([]uint64, len(cs))
	errs := make([]error, len(cs))
	done := make(chan error, 1)
	go func() {
		done <- mc.OnEach(cs, func(i, c int) {
			buf, counted, release, err := alloc(variant, c, n)
			ready.Done()
			if err != nil {
				errs[i] = err
				return
			}
			start.Wait()
			t0 := time.Now()
			for p := 0; p < pages; p++ {
				buf[p*page] = 1
			}
			touch[i] = time.Since(t0)
			if msgs[i], errs[i] = counted(); errs[i] != nil {
				return
			}
			t1 := time.Now()
			errs[i] = release()
			free[i] = time.Since(t1)
		})
	}()
	ready.Wait()
	before, cerr := mc.ProgramCounts()
	start.Done()
	if err := <-done; err != nil {
		fail("%v", err)
	}
	counts := countsSince(before, cerr)
	var sumTouch, sumFree time.Duration
	for i := range cs {
		if errs[i] != nil {
			fail("core %d: %v", cs[i], errs[i])
		}
		if msgs[i] != 0 {
			fail("memclone %s: core %d's private range sent %d shootdown messages", variant, cs[i], msgs[i])
		}
		sumTouch += touch[i]
		sumFree += free[i]
	}
	if !show {
		return
	}
	fmt.Printf("corey: memclone %s cores %d page-ns %d free-ns %d%s\n", variant, len(cs),
		sumTouch.Nanoseconds()/int64(len(cs)*pages), sumFree.Nanoseconds()/int64(len(cs)), counts)
}

// countsSince returns the program's counts gained since before, as the
// fields that end a figure line; "" where there are none (Linux: err,
// the call not there).
func countsSince(before mc.Counts, err error) string {
	if err != nil {
		return ""
	}
	now, err := mc.ProgramCounts()
	if err != nil {
		fail("%v", err)
	}
	d := now.Since(before)
	return fmt.Sprintf(" shootdown-messages %d calls-home %d claims %d foreign-tables %d", d.Messages, d.CallsHome, d.Claims, d.ForeignTables)
}

// alloc makes core c's buffer of n bytes, and returns it, the call that
// reports the shootdown messages its range's changes sent (made before
// the free is timed; 0 for mmap, which the program's counts cover), and
// the call that frees it.
func alloc(variant string, c int, n uint64) ([]byte, func() (uint64, error), func() error, error) {
	if variant == "mmap" {
		b, err := syscall.Mmap(-1, 0, int(n), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS)
		if err != nil {
			return nil, nil, nil, err
		}
		return b, func() (uint64, error) { return 0, nil }, func() error { return syscall.Munmap(b) }, nil
	}
	r, err := ranges.New(1 << c)
	if err != nil {
		return nil, nil, nil, err
	}
	b, err := r.Map(0, n, ranges.Read|ranges.Write)
	if err != nil {
		r.Delete()
		return nil, nil, nil, err
	}
	counted := func() (uint64, error) {
		info, err := r.Info()
		return info.ShootdownMessages, err
	}
	return b, counted, r.Delete, nil
}

func fail(format string, args ...any) {
	fmt.Printf("corey: FAILED: %s\n", fmt.Sprintf(format, args...))
	os.Exit(1)
}

// mempass runs one mempass round on cs and, if show, prints its line.
func mempass(variant string, cs []int, mb int, show bool) {
	n := uint64(mb) << 20
	pages := int(n / page)
	var buf []byte
	var release func() error
	if variant == "mmap" {
		b, err := syscall.Mmap(-1, 0, int(n), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS)
		if err != nil {
			fail("mmap: %v", err)
		}
		buf, release = b, func() error { return syscall.Munmap(b) }
	} else {
		var set uint64
		for _, c := range cs {
			set |= 1 << c
		}
		r, err := ranges.New(set)
		if err != nil {
			fail("%v", err)
		}
		// Mapped from the first core, one of the range's.
		var b []byte
		if err := mc.OnEach(cs[:1], func(int, int) { b, err = r.Map(0, n, ranges.Read|ranges.Write) }); err != nil || b == nil {
			fail("range map: %v", err)
		}
		buf = b
		release = func() error {
			var derr error
			if err := mc.OnEach(cs[:1], func(int, int) { derr = r.Delete() }); err != nil {
				return err
			}
			return derr
		}
	}
	// Each core waits for the buffer on its channel, writes every page
	// and hands it to the next; the last tells main.
	next := make([]chan struct{}, len(cs)+1)
	for i := range next {
		next[i] = make(chan struct{}, 1)
	}
	var t0 time.Time
	var elapsed time.Duration
	var before mc.Counts
	var cerr error
	var counts string
	done := make(chan error, 1)
	go func() {
		done <- mc.OnEach(cs, func(i, c int) {
			<-next[i]
			if i == 0 {
				before, cerr = mc.ProgramCounts()
				t0 = time.Now()
			}
			for p := 0; p < pages; p++ {
				buf[p*page]++
			}
			if i == len(cs)-1 {
				elapsed = time.Since(t0)
				counts = countsSince(before, cerr)
			}
			next[i+1] <- struct{}{}
		})
	}()
	next[0] <- struct{}{}
	<-next[len(cs)]
	if err := <-done; err != nil {
		fail("%v", err)
	}
	if buf[0] != byte(len(cs)) {
		fail("mempass %s: the first page holds %d after %d passes", variant, buf[0], len(cs))
	}
	if err := release(); err != nil {
		fail("%v", err)
	}
	if show {
		fmt.Printf("corey: mempass %s cores %d page-ns %d%s\n", variant, len(cs), elapsed.Nanoseconds()/int64(len(cs)*pages), counts)
	}
}

// sharesBench runs one shares round on cs and, if show, prints its line.
func sharesBench(variant string, cs []int, ops int, show bool) {
	elapsed := make([]time.Duration, len(cs))
	errs := make([]error, len(cs))
	before := shares.Global().Stats().Contended
	var local uint64
	var mu sync.Mutex
	err := mc.OnEach(cs, func(i, c int) {
		var s *shares.Share
		switch variant {
		case "global":
			s = shares.Global()
		case "local":
			s = shares.Root(c)
		}
		lb := uint64(0)
		if s != nil {
			lb = s.Stats().Contended
		}
		t0 := time.Now()
		for n := 0; n < ops && errs[i] == nil; n++ {
			if s == nil {
				fd, err := syscall.Dup(1)
				if err == nil {
					err = syscall.Close(fd)
				}
				errs[i] = err
				continue
			}
			id, err := s.Add(shares.Ref{Kind: shares.Value, Value: uint64(n)})
			if err == nil {
				err = s.Remove(id)
			}
			errs[i] = err
		}
		elapsed[i] = time.Since(t0)
		if variant == "local" {
			mu.Lock()
			local += s.Stats().Contended - lb
			mu.Unlock()
		}
	})
	if err != nil {
		fail("%v", err)
	}
	var sum time.Duration
	for i := range cs {
		if errs[i] != nil {
			fail("shares %s on core %d: %v", variant, cs[i], errs[i])
		}
		sum += elapsed[i]
	}
	contended := local
	if variant == "global" {
		contended = shares.Global().Stats().Contended - before
	}
	if show {
		fmt.Printf("corey: shares %s cores %d op-ns %d contended %d\n", variant, len(cs), sum.Nanoseconds()/int64(len(cs)*ops), contended)
	}
}
