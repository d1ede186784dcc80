// Command segments exercises segments (libos/segments, docs/segments.md)
// mapped into address ranges (libos/ranges) by a program spanning its
// cores: each core maps a segment of its own node into its private
// range; one segment is mapped both into a range shared by every core
// and into each core's private range, and a write through any mapping
// is seen through every other; Map and Unmap do not reach into a
// segment; deleting a range keeps its segment; freeing the shared
// segment removes its mappings on every core, and the program's memory
// is back where it started. With "send CORE EP" it also passes a
// segment to the program receiving on endpoint EP of core CORE and waits
// for its answer in the segment; "receive EP" is that program.
//
// Each step prints "segments: STEP: ok" or "segments: STEP: FAILED ...",
// the last line "segments: PASS" or "segments: FAILED", and the exit
// status is 0 or 1.
package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"multikernel/libos/capability"
	mc "multikernel/libos/cores"
	"multikernel/libos/probe"
	"multikernel/libos/ranges"
	"multikernel/libos/segments"
)

const (
	page     = 4096
	segPages = 64 // 256 KiB a core
)

var checks = &probe.Checks{Program: "segments"}

// check reports one step.
var check = checks.Checkf

func onEach(cs []int, f func(i, c int)) {
	if err := mc.OnEach(cs, f); err != nil {
		check("pin", false, "%v", err)
	}
}

// faults reports whether reading b[0] faults.
var faults = probe.ReadFaults

func word(c, i int) uint64 { return uint64(c)<<32 | uint64(i) | 0x5e6<<48 }

func main() {
	if len(os.Args) == 3 && os.Args[1] == "receive" {
		ep, _ := strconv.Atoi(os.Args[2])
		receive(uint32(ep))
		checks.End()
	}
	_, used0, _ := capability.MemLimit()
	cores := mc.List(mc.Affinity())
	fmt.Printf("segments: cores %v\n", cores)
	private := make([]*ranges.Range, len(cores))
	own := ownStep(cores, private)
	shared := sharedStep(cores, private)
	nodeStep(cores, own, shared)
	deleteStep(cores, private, own)
	freeStep(cores, private, shared)
	if len(os.Args) == 4 && os.Args[1] == "send" {
		core, _ := strconv.Atoi(os.Args[2])
		ep, _ := strconv.Atoi(os.Args[3])
		send(core, uint32(ep))
	}
	_, used1, _ := capability.MemLimit()
	check("memory back", used1 == used0, "the program held %d bytes of RAM at start, %d at the end", used0, used1)
	checks.End()
}

// ownStep: each core makes a segment of its own node and maps it into
// its private range; Map and Unmap refuse to reach into it.
func ownStep(cores []int, private []*ranges.Range) []*segments.Segment {
	own := make([]*segments.Segment, len(cores))
	onEach(cores, func(i, c int) {
		step := fmt.Sprintf("core %d: a segment in its private range", c)
		seg, err := segments.New(segPages*page, segments.AnyNode)
		if err != nil {
			check(step, false, "%v", err)
			return
		}
		own[i] = seg
		r, err := ranges.New(1 << c)
		if err != nil {
			check(step, false, "%v", err)
			return
		}
		private[i] = r
		b, err := r.MapSegment(0, seg, ranges.Read|ranges.Write)
		if err != nil {
			check(step, false, "%v", err)
			return
		}
		for p := 0; p < segPages; p++ {
			binary.LittleEndian.PutUint64(b[p*page:], word(c, p))
		}
		bad := 0
		for p := 0; p < segPages; p++ {
			if binary.LittleEndian.Uint64(b[p*page:]) != word(c, p) {
				bad++
			}
		}
		_, mapErr := r.Map(segPages/2*page, page, ranges.Read)
		unmapErr := r.Unmap(0, page)
		_, againErr := r.MapSegment(0, seg, ranges.Read)
		in, _ := r.Info()
		check(step, bad == 0 && errors.Is(mapErr, syscall.EBUSY) && errors.Is(unmapErr, syscall.EBUSY) &&
			errors.Is(againErr, syscall.EEXIST) && in.Pages == segPages && in.ShootdownMessages == 0,
			"%d pages wrong, map %v, unmap %v, map again %v, info %+v", bad, mapErr, unmapErr, againErr, in)
	})
	return own
}

// sharedStep: one segment, of the last core's node, is mapped into a
// range shared by every core (by the last core) and into each core's
// private range (by that core); each core writes its word through its
// private range, and every core reads every word through the shared
// range and its own private one.
func sharedStep(cores []int, private []*ranges.Range) *segments.Segment {
	n := len(cores)
	seg, err := segments.New(page, nodeOf(cores[n-1]))
	if err != nil {
		check("shared segment", false, "%v", err)
		return nil
	}
	var all uint64
	for _, c := range cores {
		all |= 1 << c
	}
	s, err := ranges.New(all)
	if err != nil {
		check("shared segment", false, "%v", err)
		return seg
	}
	onEach(cores[n-1:], func(int, int) {
		if _, err = s.MapSegment(4*page, seg, ranges.Read|ranges.Write); err != nil {
			check("shared segment", false, "map into the shared range: %v", err)
		}
	})
	onEach(cores, func(i, c int) {
		r := private[i]
		if r == nil {
			return
		}
		b, err := r.MapSegment(segPages*page, seg, ranges.Read|ranges.Write)
		if err != nil {
			check(fmt.Sprintf("core %d maps the shared segment", c), false, "%v", err)
			return
		}
		atomic.StoreUint64((*uint64)(unsafe.Pointer(&b[8*i])), word(c, i))
	})
	sb := s.Bytes(4*page, page)
	onEach(cores, func(i, c int) {
		var pb []byte
		if private[i] != nil {
			pb = private[i].Bytes(segPages*page, page)
		}
		bad := 0
		for j, o := range cores {
			v := atomic.LoadUint64((*uint64)(unsafe.Pointer(&sb[8*j])))
			if pb == nil || v != word(o, j) || atomic.LoadUint64((*uint64)(unsafe.Pointer(&pb[8*j]))) != v {
				bad++
			}
		}
		check(fmt.Sprintf("core %d sees every core's write to the shared segment", c), bad == 0, "%d of %d words wrong", bad, n)
	})
	return seg
}

// nodeStep: each core's own segment (New with AnyNode) lies in memory of
// that core's node, and the shared one in the node it was asked for, as
// the SKB's memory regions say.
func nodeStep(cores []int, own []*segments.Segment, shared *segments.Segment) {
	bad := []string{}
	for i, c := range cores {
		want := nodeOf(c)
		if own[i] == nil {
			continue
		}
		if got, err := own[i].HomeNode(); err != nil || got != want {
			bad = append(bad, fmt.Sprintf("core %d's on node %d, not %d (%v)", c, got, want, err))
		}
	}
	if shared != nil {
		if got, err := shared.HomeNode(); err != nil || got != shared.Node() {
			bad = append(bad, fmt.Sprintf("the shared one on node %d, not %d (%v)", got, shared.Node(), err))
		}
	}
	check("segments lie on their nodes", len(bad) == 0, "%v", bad)
}

// nodeOf returns core c's node.
func nodeOf(c int) int {
	n := segments.AnyNode
	onEach([]int{c}, func(int, int) { n = mc.CurrentNode() })
	return n
}

// deleteStep: each core unmaps its own segment, maps it again, and
// deletes its private range: the segment keeps what was written.
func deleteStep(cores []int, private []*ranges.Range, own []*segments.Segment) {
	onEach(cores, func(i, c int) {
		r, seg := private[i], own[i]
		if r == nil || seg == nil {
			return
		}
		step := fmt.Sprintf("core %d deletes a range with a segment in it", c)
		err1 := r.UnmapSegment(0)
		gone := faults(r.Bytes(0, 1))
		_, err2 := r.MapSegment(2*segPages*page, seg, ranges.Read)
		back := binary.LittleEndian.Uint64(r.Bytes(2*segPages*page+page, 8)) == word(c, 1)
		err3 := r.Delete()
		again, err4 := ranges.New(1 << c)
		var kept bool
		if err4 == nil {
			b, err := again.MapSegment(0, seg, ranges.Read)
			kept = err == nil && binary.LittleEndian.Uint64(b[(segPages-1)*page:]) == word(c, segPages-1)
			err4 = again.Delete()
		}
		err5 := seg.Free()
		check(step, err1 == nil && gone && err2 == nil && back && err3 == nil && kept && err4 == nil && err5 == nil,
			"unmap %v (then faults %v), map again %v (reads back %v), delete %v, kept %v (%v), free %v",
			err1, gone, err2, back, err3, kept, err4, err5)
	})
}

// freeStep: the shared segment is freed (revoked, then deleted): its
// mappings fault on every core, in the shared range and in every
// private one.
func freeStep(cores []int, private []*ranges.Range, seg *segments.Segment) {
	if seg == nil {
		return
	}
	err := seg.Free()
	var gone atomic.Int32
	onEach(cores, func(i, c int) {
		// The revoke reaches the other cores through their monitors:
		// give it a moment on a loaded emulator.
		deadline := time.Now().Add(20 * time.Second)
		for !faults(private[i].Bytes(segPages*page, 1)) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if faults(private[i].Bytes(segPages*page, 1)) {
			gone.Add(1)
		}
		private[i].Delete()
	})
	check("freeing the shared segment unmaps it on every core", err == nil && int(gone.Load()) == len(cores),
		"free %v, %d of %d cores fault", err, gone.Load(), len(cores))
}

// magic is what send writes into the segment it passes; the receiver
// answers with its complement.
const magic = 0x5e65e65e65e65e6

// send passes a segment to the program receiving on endpoint ep of core
// and waits for its answer, written into the segment.
func send(core int, ep uint32) {
	step := fmt.Sprintf("a segment passed to core %d's program", core)
	seg, err := segments.New(page, segments.AnyNode)
	if err != nil {
		check(step, false, "%v", err)
		return
	}
	defer seg.Free()
	var r *ranges.Range
	onEach(mc.List(mc.Affinity())[:1], func(_, c int) { r, err = ranges.New(1 << c) })
	if err != nil {
		check(step, false, "%v", err)
		return
	}
	defer r.Delete()
	var b []byte
	var answered bool
	onEach(mc.List(r.Cores()), func(int, int) {
		if b, err = r.MapSegment(0, seg, ranges.Read|ranges.Write); err != nil {
			return
		}
		binary.LittleEndian.PutUint64(b, magic)
		if err = seg.Send(core, ep); err != nil {
			return
		}
		for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if atomic.LoadUint64((*uint64)(unsafe.Pointer(&b[8]))) == ^uint64(magic) {
				answered = true
				break
			}
		}
	})
	check(step, err == nil && answered, "error %v, answered %v", err, answered)
}

// receive takes the segment sent to endpoint ep, maps it into a range of
// its own, checks what the sender wrote and answers.
func receive(ep uint32) {
	step := "the segment received"
	seg, err := segments.Receive(ep, 2*time.Minute)
	if err != nil {
		check(step, false, "%v", err)
		return
	}
	r, err := ranges.New(1 << mc.Current())
	if err != nil {
		check(step, false, "%v", err)
		return
	}
	b, err := r.MapSegment(0, seg, ranges.Read|ranges.Write)
	if err != nil {
		check(step, false, "%v", err)
		return
	}
	got := binary.LittleEndian.Uint64(b)
	atomic.StoreUint64((*uint64)(unsafe.Pointer(&b[8])), ^uint64(magic))
	err1 := r.Delete()
	err2 := seg.Free()
	check(step, got == magic && err1 == nil && err2 == nil, "read %#x, delete %v, free %v", got, err1, err2)
}
