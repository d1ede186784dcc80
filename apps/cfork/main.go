// Command cfork exercises core extension (libos/cfork, docs/cfork.md): a
// program spanning its first cores grows onto the next core of the
// machine, passing a shared range and a share: on the new core the
// share names the range, whose writes the old cores see; a range not
// passed, and a private range, fault there; the new core is in the
// program's affinity, GOMAXPROCS grew, and an unmap of the passed range
// reaches the new core's TLB. Bad extensions are refused.
//
// Each step prints "cfork: STEP: ok" or "cfork: STEP: FAILED ...", the
// last line "cfork: PASS" or "cfork: FAILED", and the exit status is 0 or
// 1. The argument is the core to grow onto.
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"syscall"
	"unsafe"

	"multikernel/libos/cfork"
	mc "multikernel/libos/cores"
	"multikernel/libos/probe"
	"multikernel/libos/ranges"
	"multikernel/libos/shares"
)

const page = 4096

var checks = &probe.Checks{Program: "cfork"}

// check reports one step.
var check = checks.Checkf

// faults reports whether reading b[0] faults.
var faults = probe.ReadFaults

func word(b []byte) *uint64 { return (*uint64)(unsafe.Pointer(&b[0])) }

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: cfork CORE (the core to grow onto)")
		os.Exit(2)
	}
	target, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "cfork: core %q: %v\n", os.Args[1], err)
		os.Exit(2)
	}
	cores := mc.List(mc.Affinity())
	fmt.Printf("cfork: cores %v, growing onto %d\n", cores, target)
	if len(cores) < 2 {
		fmt.Println("cfork: FAILED: needs a program of two cores at least (a shared range)")
		os.Exit(1)
	}
	home := cores[0]
	var mask uint64
	for _, c := range cores {
		mask |= 1 << c
	}
	passed, err1 := ranges.New(mask)
	kept, err2 := ranges.New(mask)
	var private *ranges.Range
	err3 := mc.OnEach([]int{home}, func(int, int) { private, err = ranges.New(1 << home) })
	if err1 != nil || err2 != nil || err3 != nil || err != nil {
		fmt.Printf("cfork: FAILED: ranges: %v %v %v %v\n", err1, err2, err3, err)
		os.Exit(1)
	}
	pb, _ := passed.Map(0, 4*page, ranges.Read|ranges.Write)
	kb, _ := kept.Map(0, page, ranges.Read|ranges.Write)
	var privB []byte
	mc.OnEach([]int{home}, func(int, int) {
		privB, _ = private.Map(0, page, ranges.Read|ranges.Write)
		privB[0] = 1
	})
	kb[0] = 1

	// The share the new core gets: made on the home core, local to it.
	var s *shares.Share
	var rangeID, valueID shares.ID
	mc.OnEach([]int{home}, func(int, int) {
		s = shares.Root(home)
		rangeID, err1 = s.Add(shares.Ref{Kind: shares.Range, Value: uint64(passed.Base())})
		valueID, err2 = s.Add(shares.Ref{Kind: shares.Value, Value: 42})
	})

	_, before := cfork.Extend(target, cfork.Grant{Ranges: []*ranges.Range{private}})
	check("a private range is not passed", errors.Is(before, syscall.EINVAL), "%v", before)
	pinErr := mc.Pin(target)
	mc.SetAffinity(mask)
	check("the core is not the program's before", errors.Is(pinErr, syscall.EINVAL), "pin: %v", pinErr)

	procs := runtime.GOMAXPROCS(0)
	var sawRange, sawValue, privFault, keptFault, cantChange bool
	var on int
	err = cfork.Go(target, cfork.Grant{Ranges: []*ranges.Range{passed}, Refs: []shares.Ref{s.Ref()}},
		func(root *shares.Share, ids []shares.ID) {
			on = mc.Current()
			ref, ok := root.Lookup(ids[0])
			got, found := shares.Nest(ref)
			if !ok || !found || got != s {
				return
			}
			rr, ok1 := got.Lookup(rangeID)
			vr, ok2 := got.Lookup(valueID)
			sawValue = ok2 && vr.Value == 42
			if ok1 && rr.Kind == shares.Range {
				a := uintptr(rr.Value) // memory of the program's range, not of Go's heap
				b := unsafe.Slice((*byte)(*(*unsafe.Pointer)(unsafe.Pointer(&a))), page)
				atomic.StoreUint64(word(b), 0xcf0|uint64(target))
				sawRange = true
			}
			privFault = faults(privB)
			keptFault = faults(kb)
			_, e := got.Add(shares.Ref{Kind: shares.Value, Value: 1})
			cantChange = errors.Is(e, shares.ErrNotLocal)
		})
	check("cfork", err == nil && on == target, "%v, ran on core %d", err, on)
	check("the passed share names the passed range, written there", sawRange && sawValue &&
		atomic.LoadUint64(word(pb)) == 0xcf0|uint64(target), "range %v value %v, word %#x", sawRange, sawValue, atomic.LoadUint64(word(pb)))
	check("what was not passed faults there", privFault && keptFault, "private faults %v, unpassed shared faults %v", privFault, keptFault)
	check("the share stays its core's", cantChange, "the new core changed a share local to core %d", home)
	runtime.LockOSThread()
	pinErr = mc.Pin(target)
	now := mc.Current()
	mc.SetAffinity(mask | 1<<target)
	aff := mc.Affinity()
	mc.SetAffinity(mask)
	runtime.UnlockOSThread()
	check("the core is the program's now", pinErr == nil && now == target && aff == mask|1<<target && runtime.GOMAXPROCS(0) == procs+1 &&
		passed.Cores()&(1<<target) != 0, "pin %v (on core %d), affinity %#x, GOMAXPROCS %d then %d, range cores %#x",
		pinErr, now, aff, procs, runtime.GOMAXPROCS(0), passed.Cores())
	_, again := cfork.Extend(target, cfork.Grant{})
	_, bad := cfork.Extend(1000, cfork.Grant{})
	check("bad extensions refused", errors.Is(again, syscall.EEXIST) && errors.Is(bad, syscall.EINVAL), "again %v, core 1000 %v", again, bad)

	// The new core loaded the passed range's entry: its unmap must reach
	// that core's TLB.
	mc.OnEach([]int{target}, func(int, int) { _ = faults(pb[page:]) })
	info0, _ := passed.Info()
	uerr := passed.Unmap(0, 4*page)
	info1, _ := passed.Info()
	var gone bool
	mc.OnEach([]int{target}, func(int, int) { gone = faults(pb) && faults(pb[page:]) })
	check("an unmap of the passed range reaches the new core", uerr == nil && gone &&
		info1.ShootdownMessages > info0.ShootdownMessages, "unmap %v, faults there %v, messages %d then %d", uerr, gone, info0.ShootdownMessages, info1.ShootdownMessages)
	checks.End()
}
