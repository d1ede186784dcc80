// Command kcore dedicates the last of its cores to a service (a kernel
// core, libos/kcore, docs/kcore.md) that the other cores call over URPC
// channels in the program's memory: a thread pinned on each other core
// makes -calls calls (add to a counter, echo the arguments), and the
// thread of the first client ends half way through while the rest go
// on. It checks every answer and the service's count, asks the SKB for
// kernel_core(Core, Name), checks that no other thread of the program
// runs on the service's core while the service holds it (dedicated,
// cores.Dedicate) and that one may before and after, and then times one
// call to the kernel core against a round trip over a Go channel to a
// goroutine pinned on the same core (which measures a cross-core thread
// wake-up: a futex wait and wake each way). Lines: "kcore: STEP: ok" or "kcore: STEP: FAILED
// ...", "kcore: call-ns N channel-roundtrip-ns M", and last "kcore:
// PASS" or "kcore: FAILED".
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	mc "multikernel/libos/cores"
	"multikernel/libos/kcore"
	"multikernel/libos/skbclient"
)

var failed atomic.Bool

func check(step string, ok bool, format string, args ...any) {
	if ok {
		fmt.Printf("kcore: %s: ok\n", step)
		return
	}
	failed.Store(true)
	fmt.Printf("kcore: %s: FAILED: %s\n", step, fmt.Sprintf(format, args...))
}

// Operations of the service.
const (
	opAdd  = 1 // adds args[0] to the counter, answers the new total
	opEcho = 2 // answers args reversed
)

func main() {
	calls := flag.Int("calls", 2000, "calls each client core makes")
	timed := flag.Int("timed", 2000, "calls and channel round trips timed")
	skb := flag.Bool("skb", true, "record the service in the SKB and read it back")
	flag.Parse()
	cs := mc.List(mc.Affinity())
	if len(cs) < 2 {
		fmt.Println("kcore: needs two cores or more")
		os.Exit(1)
	}
	svcCore, clients := cs[len(cs)-1], cs[:len(cs)-1]
	fmt.Printf("kcore: service on core %d, clients %v\n", svcCore, clients)
	var counter uint64 // the service's alone
	record := func(fact string) error {
		_, err := skbclient.Query("assertz(" + fact + ")")
		return err
	}
	if !*skb {
		record = nil
	}
	before := probe(svcCore, 4*len(cs))
	fmt.Printf("kcore: before the service, %d of the probe's %d threads and goroutines ran on core %d\n", before.on, before.total, svcCore)
	check("a thread may be pinned to the service's core before it starts", before.pinErr == nil && before.pinnedOn == svcCore,
		"pin: %v, on core %d", before.pinErr, before.pinnedOn)
	s, err := kcore.Start(svcCore, clients, "counter", func(client int, op uint16, a [6]uint64) [6]uint64 {
		switch op {
		case opAdd:
			counter += a[0]
			return [6]uint64{counter}
		case opEcho:
			return [6]uint64{a[5], a[4], a[3], a[2], a[1], a[0]}
		}
		return [6]uint64{^uint64(0)}
	}, record)
	if err != nil {
		fmt.Printf("kcore: start: FAILED: %v\n", err)
		os.Exit(1)
	}
	check("service started", true, "")
	counts, err := mc.ProgramCounts()
	check("the service's core is dedicated to it", s.Dedicated() && err == nil && counts.Dedicated == 1<<svcCore,
		"Dedicated %v, the program's dedicated cores %#x (%v)", s.Dedicated(), counts.Dedicated, err)
	during := probe(svcCore, 4*len(cs))
	check("no other thread runs on the service's core", during.on == 0 && during.total > 0, "%d of %d on core %d", during.on, during.total, svcCore)
	check("no other thread may be pinned to the service's core", during.pinErr != nil && during.pinnedOn != svcCore,
		"pin: %v, on core %d", during.pinErr, during.pinnedOn)
	var sent atomic.Uint64
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread() // not unlocked: the first client's thread ends with its goroutine
			if err := mc.Pin(c); err != nil {
				check(fmt.Sprintf("pin to core %d", c), false, "%v", err)
				return
			}
			cl := s.Client(c)
			bad := 0
			for n := 1; n <= *calls; n++ {
				if i == 0 && n > *calls/2 {
					return // this client's thread ends here, half way
				}
				v := uint64(c)<<32 | uint64(n)
				out, err := cl.Call(s, opEcho, [6]uint64{v, 1, 2, 3, 4, 5})
				if err != nil || out != [6]uint64{5, 4, 3, 2, 1, v} {
					bad++
				}
				if _, err := cl.Call(s, opAdd, [6]uint64{1}); err != nil {
					bad++
				}
				sent.Add(1)
			}
			check(fmt.Sprintf("core %d's calls", c), bad == 0 && mc.Current() == c, "%d wrong answers, on core %d", bad, mc.Current())
		}()
	}
	wg.Wait()
	want := uint64(len(clients)-1)*uint64(*calls) + uint64(*calls/2)
	got, err := s.Client(clients[len(clients)-1]).Call(s, opAdd, [6]uint64{0})
	check("the service served every call, one client gone", err == nil && got[0] == want && sent.Load() == want,
		"counter %d (%v), %d adds sent, want %d", got[0], err, sent.Load(), want)
	if *skb {
		ans, err := skbclient.Query("kernel_core(C, N)")
		check("the SKB names the kernel core", err == nil && len(ans) == 1 && strings.Contains(ans[0], fmt.Sprintf("C = %d", svcCore)) &&
			strings.Contains(ans[0], "counter"), "%v, %v", ans, err)
	}
	timeCalls(s, clients[0], svcCore, *timed)
	counts, err = mc.ProgramCounts()
	after := probe(svcCore, 1)
	check("the core is the program's again once the service stops", err == nil && counts.Dedicated == 0 && after.pinErr == nil && after.pinnedOn == svcCore,
		"dedicated cores %#x (%v), pin: %v, on core %d", counts.Dedicated, err, after.pinErr, after.pinnedOn)
	if failed.Load() {
		fmt.Println("kcore: FAILED")
		os.Exit(1)
	}
	fmt.Println("kcore: PASS")
}

// probed is what probe saw.
type probed struct {
	on, total int   // the looks at the core, and those that found core
	pinErr    error // pinning a new thread to core
	pinnedOn  int   // the core that thread then ran on
}

// probe looks where the program's threads run: n new threads (locked
// goroutines, so the CPU driver places each) and n goroutines on the
// threads the program has, each noting its core a few times; and a new
// thread pinned to core.
func probe(core, n int) probed {
	var r probed
	var mu sync.Mutex
	var wg sync.WaitGroup
	look := func() {
		c := mc.Current()
		mu.Lock()
		r.total++
		if c == core {
			r.on++
		}
		mu.Unlock()
	}
	for i := 0; i < 2*n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i < n {
				runtime.LockOSThread() // not unlocked: the thread ends with the goroutine
			}
			for range 4 {
				look()
				time.Sleep(time.Millisecond)
			}
		}()
	}
	wg.Wait()
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread()
		r.pinErr = mc.Pin(core)
		r.pinnedOn = mc.Current()
	}()
	<-done
	return r
}

// timeCalls times n calls from core c to the service, then stops it
// and times n round trips over Go channels from core c to a goroutine
// pinned on the service's core, which has the core to itself as the
// service had.
func timeCalls(s *kcore.Service, c, svcCore, n int) {
	var call, chanRT time.Duration
	mc.OnEach([]int{c}, func(int, int) {
		cl := s.Client(c)
		t0 := time.Now()
		for i := 0; i < n; i++ {
			cl.Call(s, opEcho, [6]uint64{uint64(i)})
		}
		call = time.Since(t0)
	})
	s.Stop()
	ping, pong := make(chan uint64), make(chan uint64)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		mc.Pin(svcCore)
		for v := range ping {
			pong <- v + 1
		}
	}()
	mc.OnEach([]int{c}, func(int, int) {
		t0 := time.Now()
		for i := 0; i < n; i++ {
			ping <- uint64(i)
			<-pong
		}
		chanRT = time.Since(t0)
	})
	close(ping)
	fmt.Printf("kcore: call-ns %d channel-roundtrip-ns %d\n", call.Nanoseconds()/int64(n), chanRT.Nanoseconds()/int64(n))
}
