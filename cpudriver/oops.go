package main

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/arch/x86/x86asm"

	"multikernel/cpudriver/ring0"
)

func unsafePointer(r *ring0.OopsRecord) unsafe.Pointer { return unsafe.Pointer(r) }

// reported marks the oops records already decoded by this core, under
// reportMu (its main goroutine and its watcher both report).
var (
	reportMu sync.Mutex
	reported [maxCores]bool
)

// reportOopses decodes every oops published by a core that watched
// accepts and not reported yet: the faulting instruction with x86asm and
// the return addresses with this core's symbol table (the CPU driver's
// text is the same on every core). It returns how many it reported.
//
// The bootstrap core watches every other core; core 1 watches the
// bootstrap core, so that its oops too is decoded.
func reportOopses(watched func(core int) bool) int {
	if sharedVA == 0 {
		return 0 // no shared area: no other core runs
	}
	reportMu.Lock()
	defer reportMu.Unlock()
	sh := sharedAt(sharedVA)
	n := 0
	for i := range sh.Oops {
		r := &sh.Oops[i]
		if reported[i] || !watched(i) || atomic.LoadUint32(&r.State) != 1 {
			continue
		}
		reported[i] = true
		console("%s", decodeOops(r))
		n++
	}
	return n
}

// watchOopses reports new oopses as they appear, calling then after each
// report.
func watchOopses(watched func(core int) bool, then func()) {
	for {
		time.Sleep(20 * time.Millisecond)
		if reportOopses(watched) > 0 && then != nil {
			then()
		}
	}
}

// othersThanMe watches every core but this one.
func othersThanMe(core int) bool { return core != ring0.Core().Index }

func oopsCount() (n int) {
	if sharedVA == 0 {
		return 0
	}
	sh := sharedAt(sharedVA)
	for i := range sh.Oops {
		if atomic.LoadUint32(&sh.Oops[i].State) == 1 {
			n++
		}
	}
	return n
}

// decodeOops renders an oops record for people.
func decodeOops(r *ring0.OopsRecord) string {
	var b strings.Builder
	fmt.Fprintf(&b, "oops: core %d: decoded by core %d\n", r.Core, ring0.Core().Index)
	if r.NCode > 0 {
		inst, err := x86asm.Decode(r.Code[:r.NCode], 64)
		if err != nil {
			fmt.Fprintf(&b, "oops: core %d: instruction at %#x: undecodable (%v)\n", r.Core, r.Regs.IP, err)
		} else {
			fmt.Fprintf(&b, "oops: core %d: instruction at %#x: %s (%s)\n", r.Core, r.Regs.IP,
				x86asm.GoSyntax(inst, r.Regs.IP, nil), x86asm.IntelSyntax(inst, r.Regs.IP, nil))
		}
	}
	for i := uint64(0); i < r.NPCs && i < uint64(len(r.PCs)); i++ {
		pc := r.PCs[i]
		look := pc
		if i > 0 {
			look-- // a return address: the call is just before it
		}
		if f := runtime.FuncForPC(uintptr(look)); f != nil {
			file, line := f.FileLine(uintptr(look))
			fmt.Fprintf(&b, "oops: core %d:   %s\n\t%s:%d (%#x)\n", r.Core, f.Name(), file, line, pc)
		} else {
			fmt.Fprintf(&b, "oops: core %d:   ?? (%#x)\n", r.Core, pc)
		}
	}
	return b.String()
}
