// Command ranges exercises address ranges (libos/ranges, docs/ranges.md)
// in a program spanning its cores, or on one core: a private range per
// core whose faults and unmaps send no message and which faults on every
// other core; a range shared by all the cores, whose writes every core
// sees and whose unmap every core sees; a range shared by two cores,
// which faults on a third and whose unmap shoots down fewer cores; the
// Linux calls that must not reach into a range; bad arguments;
// and the slots running out. Each step prints "ranges: STEP: ok" or
// "ranges: STEP: FAILED ...", the last line "ranges: PASS" or "ranges:
// FAILED", and the exit status is 0 or 1.
package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync/atomic"
	"syscall"

	mc "multikernel/libos/cores"
	"multikernel/libos/probe"
	"multikernel/libos/ranges"
)

const (
	page         = 4096
	privatePages = 1024 // 4 MiB a core
)

var checks = &probe.Checks{Program: "ranges"}

// check reports one step.
var check = checks.Checkf

func onEach(cs []int, f func(i, c int)) {
	if err := mc.OnEach(cs, f); err != nil {
		check("pin", false, "%v", err)
	}
}

// faults reports whether reading b[0] faults.
var faults = probe.ReadFaults

// word is the value page i of core c's private range holds.
func word(c, i int) uint64 { return uint64(c)<<32 | uint64(i) | 0x5a5a<<48 }

func main() {
	cores := mc.List(mc.Affinity())
	n := len(cores)
	fmt.Printf("ranges: cores %v\n", cores)
	private := make([]*ranges.Range, n)
	privateStep(cores, private)
	elsewhereStep(cores, private)
	shared := sharedStep(cores)
	pairStep(cores, shared)
	linuxStep(private[0])
	badStep(cores, private[0])
	deleteStep(cores, private)
	slotsStep(cores)
	checks.End()
}

// privateStep: each core makes its own range, fills 4 MiB of it and
// reads it back, and unmaps half; no shootdown message is sent.
func privateStep(cores []int, private []*ranges.Range) {
	onEach(cores, func(i, c int) {
		step := fmt.Sprintf("private range on core %d", c)
		r, err := ranges.New(1 << c)
		if err != nil {
			check(step, false, "%v", err)
			return
		}
		private[i] = r
		b, err := r.Map(0, privatePages*page, ranges.Read|ranges.Write)
		if err != nil {
			check(step, false, "%v", err)
			return
		}
		for p := 0; p < privatePages; p++ {
			binary.LittleEndian.PutUint64(b[p*page:], word(c, p))
		}
		bad := 0
		for p := 0; p < privatePages; p++ {
			if binary.LittleEndian.Uint64(b[p*page:]) != word(c, p) {
				bad++
			}
		}
		full, _ := r.Info()
		err = r.Unmap(privatePages/2*page, privatePages/2*page)
		half, _ := r.Info()
		check(step, bad == 0 && err == nil && full.Pages == privatePages && half.Pages == privatePages/2 &&
			full.ShootdownMessages == 0 && half.ShootdownMessages == 0 && full.Tables >= 3 && full.Cores == 1<<c,
			"%d pages wrong, unmap %v, info %+v then %+v", bad, err, full, half)
		if bad == 0 {
			fmt.Printf("ranges: core %d: %d pages in its private range, %d page tables, %d shootdown messages\n",
				c, full.Pages, full.Tables, half.ShootdownMessages)
		}
	})
}

// elsewhereStep: a core's private range faults on every other core, and
// cannot be changed from there; on its own core it still reads.
func elsewhereStep(cores []int, private []*ranges.Range) {
	if len(cores) < 2 {
		fmt.Println("ranges: one core: no other core to fault a private range on")
		return
	}
	onEach(cores, func(i, c int) {
		own := private[i]
		other := private[(i+1)%len(cores)]
		if own == nil || other == nil {
			return
		}
		_, mapErr := other.Map(0, page, ranges.Read)
		check(fmt.Sprintf("core %d: core %d's private range", c, cores[(i+1)%len(cores)]),
			faults(other.Bytes(0, 1)) && errors.Is(mapErr, syscall.EPERM) && !faults(own.Bytes(0, 1)) &&
				binary.LittleEndian.Uint64(own.Bytes(0, 8)) == word(c, 0),
			"faulted %v, map %v, own faulted %v", faults(other.Bytes(0, 1)), mapErr, faults(own.Bytes(0, 1)))
	})
}

// sharedStep: a range attached to every core; each core writes its own
// page, every core reads every page, then core 0 unmaps it and no core
// reads it any more.
func sharedStep(cores []int) *ranges.Range {
	var all uint64
	for _, c := range cores {
		all |= 1 << c
	}
	s, err := ranges.New(all)
	if err != nil {
		check("shared range", false, "%v", err)
		return nil
	}
	n := len(cores)
	b, err := s.Map(0, uint64(n)*page, ranges.Read|ranges.Write)
	if err != nil {
		check("shared range", false, "%v", err)
		return s
	}
	onEach(cores, func(i, c int) { binary.LittleEndian.PutUint64(b[i*page:], word(c, i)) })
	onEach(cores, func(i, c int) {
		bad := 0
		for j, o := range cores {
			if binary.LittleEndian.Uint64(b[j*page:]) != word(o, j) {
				bad++
			}
		}
		check(fmt.Sprintf("core %d sees every core's write to the shared range", c), bad == 0, "%d of %d pages wrong", bad, n)
	})
	before, _ := s.Info()
	err = s.Unmap(0, uint64(n)*page)
	after, _ := s.Info()
	var faulted atomic.Int32
	onEach(cores, func(i, c int) {
		if faults(b[i*page:]) {
			faulted.Add(1)
		}
	})
	gone := int(faulted.Load())
	check("shared range unmapped on every core", err == nil && gone == n && before.Pages == uint64(n) && after.Pages == 0 &&
		(n == 1 || after.ShootdownMessages > 0),
		"unmap %v, %d of %d cores fault, info %+v then %+v", err, gone, n, before, after)
	fmt.Printf("ranges: shared range of %d cores: unmap took %d shootdown messages\n", n, after.ShootdownMessages)
	return s
}

// pairStep: a range shared by the first two cores faults on a third, and
// its unmap sends fewer messages than the range of every core's did.
func pairStep(cores []int, all *ranges.Range) {
	if len(cores) < 3 || all == nil {
		fmt.Println("ranges: fewer than three cores: no range of two cores to check")
		return
	}
	r, err := ranges.New(1<<cores[0] | 1<<cores[1])
	if err != nil {
		check("range of two cores", false, "%v", err)
		return
	}
	// Its calls are made from its cores: the first maps and writes, the
	// second reads, the third faults, the first unmaps and deletes.
	var b []byte
	var seen, third bool
	var info ranges.Info
	onEach(cores[:1], func(int, int) {
		if b, err = r.Map(0, page, ranges.Read|ranges.Write); err == nil {
			binary.LittleEndian.PutUint64(b, 42)
		}
	})
	if err != nil {
		check("range of two cores", false, "%v", err)
		return
	}
	onEach(cores[1:2], func(int, int) { seen = !faults(b) && binary.LittleEndian.Uint64(b) == 42 })
	onEach(cores[2:3], func(int, int) { third = faults(b) })
	onEach(cores[:1], func(int, int) {
		if err = r.Unmap(0, page); err == nil {
			info, err = r.Info()
		}
	})
	allInfo, _ := all.Info()
	check("range of two cores", seen && third && err == nil && info.ShootdownMessages > 0 &&
		info.ShootdownMessages < allInfo.ShootdownMessages,
		"second core saw it %v, third faulted %v, unmap %v, messages %d (every core's range: %d)",
		seen, third, err, info.ShootdownMessages, allInfo.ShootdownMessages)
	fmt.Printf("ranges: range of 2 cores: unmap took %d shootdown messages\n", info.ShootdownMessages)
	onEach(cores[:1], func(int, int) { err = r.Delete() })
	if err != nil {
		check("delete the range of two cores", false, "%v", err)
	}
}

// linuxStep: mmap, munmap, mprotect and madvise do not reach into the
// range; a hint there is ignored.
func linuxStep(r *ranges.Range) {
	if r == nil {
		return
	}
	a := r.Base()
	_, _, fixed := syscall.Syscall6(syscall.SYS_MMAP, a, page, syscall.PROT_READ, syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS|syscall.MAP_FIXED, ^uintptr(0), 0)
	hint, _, hintErr := syscall.Syscall6(syscall.SYS_MMAP, a, page, syscall.PROT_READ, syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS, ^uintptr(0), 0)
	_, _, unmap := syscall.Syscall(syscall.SYS_MUNMAP, a, page, 0)
	_, _, prot := syscall.Syscall(syscall.SYS_MPROTECT, a, page, syscall.PROT_READ)
	_, _, adv := syscall.Syscall(syscall.SYS_MADVISE, a, page, 4 /* MADV_DONTNEED */)
	if hintErr == 0 {
		syscall.Syscall(syscall.SYS_MUNMAP, hint, page, 0)
	}
	check("Linux calls stay out of a range", fixed == syscall.EINVAL && hintErr == 0 && hint != a &&
		unmap == syscall.EINVAL && prot == syscall.EACCES && adv == syscall.EINVAL,
		"mmap fixed %v, hint %#x (%v), munmap %v, mprotect %v, madvise %v", fixed, hint, hintErr, unmap, prot, adv)
}

// badStep: bad arguments are refused.
func badStep(cores []int, r *ranges.Range) {
	if r == nil {
		return
	}
	var outside uint64
	for c := 0; c < 64; c++ {
		if mc.Affinity()&(1<<c) == 0 {
			outside = 1 << c
			break
		}
	}
	_, none := ranges.New(0)
	_, beyond := ranges.New(outside)
	_, unaligned := r.Map(1, page, ranges.Read)
	_, past := r.Map(ranges.Size-page, 2*page, ranges.Read)
	_, badProt := r.Map(0, page, 0x100)
	check("bad arguments refused", errors.Is(none, syscall.EINVAL) && errors.Is(beyond, syscall.EINVAL) &&
		errors.Is(unaligned, syscall.EINVAL) && errors.Is(past, syscall.EINVAL) && errors.Is(badProt, syscall.EINVAL),
		"no cores %v, core outside %v, unaligned %v, past the end %v, bad protection %v", none, beyond, unaligned, past, badProt)
}

// deleteStep: every core deletes its private range, which then faults
// there too, and is gone for Info.
func deleteStep(cores []int, private []*ranges.Range) {
	onEach(cores, func(i, c int) {
		r := private[i]
		if r == nil {
			return
		}
		err := r.Delete()
		_, infoErr := r.Info()
		again := r.Delete()
		check(fmt.Sprintf("core %d deletes its private range", c), err == nil && faults(r.Bytes(0, 1)) &&
			errors.Is(infoErr, syscall.EINVAL) && errors.Is(again, syscall.EINVAL),
			"delete %v, info %v, again %v", err, infoErr, again)
	})
}

// slotsStep: private ranges until the slots run out (ENOSPC), each
// mapped and touched, then all deleted; the slots come back.
func slotsStep(cores []int) {
	c := cores[len(cores)-1]
	onEach([]int{c}, func(int, int) {
		var made []*ranges.Range
		var err error
		for len(made) < 100 {
			var r *ranges.Range
			if r, err = ranges.New(1 << c); err != nil {
				break
			}
			made = append(made, r)
			b, merr := r.Map(0, page, ranges.Read|ranges.Write)
			if merr == nil {
				b[0] = 1
			}
		}
		n := len(made)
		for _, r := range made {
			r.Delete()
		}
		r, again := ranges.New(1 << c)
		if again == nil {
			r.Delete()
		}
		check("slots run out, and come back", errors.Is(err, syscall.ENOSPC) && n > 32 && again == nil,
			"%d ranges, then %v; after deleting them: %v", n, err, again)
		fmt.Printf("ranges: %d private ranges at once before ENOSPC\n", n)
	})
}
