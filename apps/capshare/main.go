// Command capshare shares memory between two cores through a capability.
//
//	capshare send CORE   retype a Frame of four pages from this program's
//	                     RAM, map it, write a greeting, send a copy of the
//	                     Frame to CORE, wait until the receiver answers in
//	                     it, retype pages 2-3 (pages 1-2 must be refused:
//	                     the receiver holds page 1), then revoke the frame
//	                     on every core
//	capshare receive     take a Frame from this core's inbox, map it, read
//	                     the greeting, retype pages 0-1 of it, write the
//	                     answer, and wait until the revoke takes the
//	                     mappings, the copy and the new Frame away
//	capshare ancestor CORE
//	                     as send, but revoke the RAM the frame was retyped
//	                     from instead of the frame: the monitors' revoke
//	                     reaches the copy on CORE, which holds no copy of
//	                     the RAM
//	capshare give CORE   as send, but end holding the frame
//	capshare keep MS     as receive, but fill the frame with content of its
//	                     own, check that the frame outlives its sender and
//	                     that its content stays its own for MS ms while a
//	                     hog on the sender's core takes every page it can
//	                     get, then delete it (its sender's core still
//	                     knows of it: the monitors' delete)
//	capshare hog MS      after MS ms, take every page this program can
//	                     get (its RAM, then RAM from the memory service,
//	                     then memory touched through mmap) and fill each
//	                     with a pattern of its own
//	capshare idle MS     receive on the endpoint for MS ms: nothing may
//	                     arrive (another endpoint's frame is not this
//	                     program's)
//	capshare squat MS    after MS ms, try to receive on the endpoint a
//	                     receiver already bound: EBUSY
//
// The flag -ep N (default 1) names the endpoint a sender sends to and a
// receiver receives on. Each prints what it saw and exits 0 on success.
// The copy travels through the two cores' monitors (docs/capabilities.md,
// "Copies between cores").
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"multikernel/cap"
	"multikernel/cpudriver/kpi"
	"multikernel/libos/capability"
	"multikernel/libos/probe"
)

const (
	frameVA  = 0x500000000000
	greeting = 0x6d756c74696b726e // "multikrn"
	answer   = 0x616e737765726564 // "answered"
	timeout  = 30 * time.Second
)

// word is the first word of the shared frame, read and written atomically:
// the other core changes it.
func word() *uint64 { return probe.Word(frameVA) }

func fail(format string, args ...any) {
	fmt.Printf("capshare: "+format+"\n", args...)
	os.Exit(1)
}

// endpoint is the endpoint of -ep.
var endpoint uint32

func main() {
	ep := flag.Uint("ep", 1, "the endpoint to send to or receive on")
	flag.Parse()
	endpoint = uint32(*ep)
	args := flag.Args()
	if len(args) == 2 && (args[0] == "send" || args[0] == "give" || args[0] == "ancestor") {
		core, err := strconv.Atoi(args[1])
		if err != nil {
			fail("bad core %q", args[1])
		}
		send(core, args[0])
		return
	}
	if len(args) == 1 && args[0] == "receive" {
		receive(0)
		return
	}
	if len(args) == 2 {
		ms, err := strconv.Atoi(args[1])
		if err != nil || ms <= 0 {
			fail("bad time %q", args[1])
		}
		d := time.Duration(ms) * time.Millisecond
		switch args[0] {
		case "hog":
			hog(d)
			return
		case "keep":
			receive(d)
			return
		case "idle":
			idle(d)
			return
		case "squat":
			squat(d)
			return
		}
	}
	fmt.Fprintln(os.Stderr, "usage: capshare [-ep N] send|ancestor|give CORE | receive | keep|hog|idle|squat MS")
	os.Exit(2)
}

// idle receives on the endpoint for d and checks nothing arrives.
func idle(d time.Duration) {
	s, err := capability.Receive(endpoint, d)
	if !errors.Is(err, syscall.ETIMEDOUT) {
		fail("endpoint %d: received slot %d (%v); nothing was sent to it", endpoint, s, err)
	}
	fmt.Printf("capshare: nothing arrived on endpoint %d in %v\n", endpoint, d)
}

// squat waits for d, then tries to receive on an endpoint another
// program bound.
func squat(d time.Duration) {
	time.Sleep(d)
	s, err := capability.Receive(endpoint, 100*time.Millisecond)
	if !errors.Is(err, syscall.EBUSY) {
		fail("endpoint %d, bound by another program: received slot %d (%v), want EBUSY", endpoint, s, err)
	}
	fmt.Printf("capshare: endpoint %d is another program's: refused (EBUSY)\n", endpoint)
}

// send shares a frame with core and, once answered, revokes it (mode
// "send"), revokes the RAM it came from ("ancestor"), or ends holding it
// ("give").
func send(core int, mode string) {
	f, err := capability.Retype(capability.RAMSlot, cap.Frame, 0, 4*4096, 1)
	if err != nil {
		fail("retype: %v", err)
	}
	if err := capability.Map(f, frameVA, syscall.PROT_READ|syscall.PROT_WRITE); err != nil {
		fail("map: %v", err)
	}
	atomic.StoreUint64(word(), greeting)
	noGrant, err := capability.Mint(f, cap.RightRead|cap.RightWrite)
	if err != nil {
		fail("mint: %v", err)
	}
	if err := capability.Send(noGrant, core, endpoint); err == nil {
		fail("a copy without the grant right was sent")
	}
	if err := capability.Send(f, core, endpoint); err != nil {
		fail("send: %v", err)
	}
	info, _ := capability.Identify(f)
	fmt.Printf("capshare: sent frame %#x to core %d, endpoint %d\n", info.Base, core, endpoint)
	deadline := time.Now().Add(timeout)
	for atomic.LoadUint64(word()) != answer {
		if time.Now().After(deadline) {
			fail("no answer from core %d in %v", core, timeout)
		}
		time.Sleep(time.Millisecond)
	}
	fmt.Printf("capshare: core %d answered through the shared frame\n", core)
	switch mode {
	case "give":
		fmt.Println("capshare: ending, still holding the frame")
		return
	case "ancestor":
		revokeAncestor(f, noGrant)
		return
	}
	// Retyping part of a frame with copies elsewhere: the monitors'
	// two-phase retype, which refuses memory the other core retyped.
	if _, err := capability.Retype(f, cap.Frame, 4096, 2*4096, 1); !errors.Is(err, syscall.EBUSY) {
		fail("retype of pages 1-2, which core %d holds part of: %v, want EBUSY", core, err)
	}
	part, err := capability.Retype(f, cap.Frame, 2*4096, 2*4096, 1)
	if err != nil {
		fail("retype of pages 2-3 across cores: %v", err)
	}
	fmt.Printf("capshare: retyped pages 2-3 with every core's agreement; pages 1-2 refused (core %d holds page 1)\n", core)
	// Revoking the frame takes every other copy and every descendant, on
	// every core: the monitors' two-phase revoke.
	if _, err := capability.Revoke(f); err != nil {
		fail("revoke of a frame copied to another core: %v", err)
	}
	if _, err := capability.Identify(part); err == nil {
		fail("the frame made of pages 2-3 survived the revoke")
	}
	if _, err := capability.Identify(noGrant); err == nil {
		fail("the local copy survived the revoke")
	}
	if err := capability.Delete(f); err != nil {
		fail("delete after the revoke: %v", err)
	}
	fmt.Println("capshare: revoked the frame on every core, then deleted it")
}

// receive takes a shared frame and answers in it; with watch 0 it waits
// for its sender to revoke it (receive), else it checks for watch that
// the frame outlives its sender and keeps its content (keep).
func receive(watch time.Duration) {
	revoked := watch == 0
	s, err := capability.Receive(endpoint, timeout)
	if err != nil {
		fail("receive: %v", err)
	}
	info, err := capability.Identify(s)
	if err != nil || info.Type != cap.Frame {
		fail("received %v, %v", info, err)
	}
	if err := capability.Map(s, frameVA, syscall.PROT_READ|syscall.PROT_WRITE); err != nil {
		fail("map: %v", err)
	}
	if got := atomic.LoadUint64(word()); got != greeting {
		fail("frame %#x holds %#x, not the greeting", info.Base, got)
	}
	var part capability.Slot
	if revoked {
		// Part of a frame with copies elsewhere: the monitors agree.
		if part, err = capability.Retype(s, cap.Frame, 0, 2*4096, 1); err != nil {
			fail("retype of pages 0-1 across cores: %v", err)
		}
		fmt.Println("capshare: retyped pages 0-1 of the shared frame with every core's agreement")
		// The copy is another core's: revoking it, or a copy of it, would
		// reach the sender's capabilities.
		c, err := capability.Copy(s)
		if err != nil {
			fail("copy of the received frame: %v", err)
		}
		for _, x := range []capability.Slot{s, c} {
			if _, err := capability.Revoke(x); !errors.Is(err, syscall.EPERM) {
				fail("revoke of the received frame (slot %d): %v, want EPERM", x, err)
			}
		}
		capability.Delete(c)
		fmt.Println("capshare: revoking the received frame or a copy of it: refused (EPERM)")
	} else {
		fillOwn(info.Size)
	}
	atomic.StoreUint64(word(), answer)
	fmt.Printf("capshare: received frame %#x (rights %v), read the greeting, answered\n", info.Base, info.Rights)
	if !revoked {
		keep(s, info, watch)
		return
	}
	// The sender revokes the frame: the mapping goes.
	debug.SetPanicOnFault(true)
	deadline := time.Now().Add(timeout)
	for !probe.Faults(func() { atomic.LoadUint64(word()) }) {
		if time.Now().After(deadline) {
			fail("the frame is still mapped %v after the answer", timeout)
		}
		time.Sleep(time.Millisecond)
	}
	if _, err := capability.Identify(s); err == nil {
		fail("the received copy survived its sender's revoke")
	}
	if _, err := capability.Identify(part); err == nil {
		fail("the frame retyped from the received copy survived the revoke")
	}
	fmt.Println("capshare: the sender revoked the frame: mapping and copy gone")
}

// revokeAncestor revokes the RAM that frame f (and its copy c) was
// retyped from: a copy of f lives on another core, so the monitors run
// the revoke, on every core.
func revokeAncestor(f, c capability.Slot) {
	if _, err := capability.Revoke(capability.RAMSlot); err != nil {
		fail("revoke of the frame's RAM: %v", err)
	}
	for _, s := range []capability.Slot{f, c} {
		if _, err := capability.Identify(s); err == nil {
			fail("slot %d survived the revoke of its RAM", s)
		}
	}
	if _, err := capability.Retype(capability.RAMSlot, cap.Frame, 0, 4*4096, 1); err != nil {
		fail("retype after the revoke: %v", err)
	}
	fmt.Println("capshare: revoked the frame's RAM on every core, and retyped it again")
}

// ownWord is the content keep writes into word i of the frame (word 0
// holds the answer): nothing else writes it.
func ownWord(i uintptr) uint64 { return 0x6b656570<<32 | uint64(i) } // "keep"

// hogWord is what hog writes into word i of page p it takes.
func hogWord(p, i uintptr) uint64 { return 0x686f67<<40 | uint64(p)<<12 | uint64(i) } // "hog"

// isHog reports whether v is a word hog writes.
func isHog(v uint64) bool { return v>>40 == 0x686f67 }

// fillOwn writes ownWord into every word of the mapped frame but the
// first.
func fillOwn(size uint64) {
	for i := uintptr(1); i < uintptr(size/8); i++ {
		atomic.StoreUint64(probe.Word(frameVA+8*i), ownWord(i))
	}
}

// checkOwn returns the index of the first word of the frame that is not
// keep's own, and its value; 0 if every word is.
func checkOwn(size uint64) (uintptr, uint64) {
	for i := uintptr(1); i < uintptr(size/8); i++ {
		if v := atomic.LoadUint64(probe.Word(frameVA + 8*i)); v != ownWord(i) {
			return i, v
		}
	}
	return 0, 0
}

// keep checks that the frame s (info) outlives its sender and keeps its
// content for watch, while the sender's core knows of it, then deletes
// it through the monitors.
func keep(s capability.Slot, info capability.Info, watch time.Duration) {
	time.Sleep(500 * time.Millisecond) // the sender ends meanwhile
	if _, err := capability.Identify(s); err != nil {
		fail("the copy did not outlive its sender: %v", err)
	}
	fmt.Println("capshare: the frame outlived its sender")
	end := time.Now().Add(watch)
	checks := 0
	for ; time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if i, v := checkOwn(info.Size); i != 0 {
			what := "changed"
			if isHog(v) {
				what = "holds the hog's pattern"
			}
			fail("word %d of the frame %s: %#x, want %#x", i, what, v, ownWord(i))
		}
		checks++
	}
	fmt.Printf("capshare: the frame's content stayed its own for %v (%d checks)\n", watch, checks)
	// The sender's core keeps the frame's range taken while this copy
	// lives: this copy still has a copy elsewhere (its placeholder there),
	// so its delete runs the monitors' protocol, which tells that core.
	in, err := capability.Identify(s)
	if err != nil || in.Remote&cap.RemoteCopies == 0 || in.Owner != info.Owner {
		fail("after its sender ended, the copy reads %+v (%v); want copies elsewhere, owner %d", in, err, info.Owner)
	}
	capability.Unmap(frameVA)
	if err := capability.Delete(s); err != nil {
		fail("delete of the last copy: %v", err)
	}
	if _, err := capability.Identify(s); err == nil {
		fail("the copy survived its delete")
	}
	fmt.Println("capshare: deleted the copy through the monitors")
}

// hogVA is where hog maps the frames it makes.
const hogVA = 0x600000000000

// hog waits for wait, then takes every page it can get: 16 MiB of
// ordinary memory, its RAM as frames, then RAM from the memory service a
// MiB at a time until there is none, writing hogWord into each word of
// every page.
func hog(wait time.Duration) {
	time.Sleep(wait)
	fmt.Println("capshare: hog starts")
	pages := 0
	b := make([]uint64, 16<<20/8) // ordinary memory first, while the memory service has some
	for i := range b {
		b[i] = hogWord(uintptr(pages+i/512), uintptr(i%512))
	}
	pages += len(b) / 512
	va := uintptr(hogVA)
	fill := func(n int) {
		for p := 0; p < n; p++ {
			for i := uintptr(0); i < 512; i++ {
				*probe.Word(va + 8*i) = hogWord(uintptr(pages), i)
			}
			va += 4096
			pages++
		}
	}
	// Every page of its RAM, one frame each: a page another core's frame
	// still holds is refused.
	refused := 0
	for off := uint64(0); off < 1<<20; off += 4096 {
		f, err := capability.Retype(capability.RAMSlot, cap.Frame, off, 4096, 1)
		if err != nil {
			refused++
			continue
		}
		if err := capability.Map(f, va, syscall.PROT_READ|syscall.PROT_WRITE); err != nil {
			fail("hog: map: %v", err)
		}
		fill(1)
	}
	for {
		r, err := capability.AllocRAM(1<<20, kpi.AnyNode)
		if err != nil {
			break
		}
		f, err := capability.Retype(r, cap.Frame, 0, 1<<20, 1)
		if err != nil {
			fail("hog: retype of a MiB of RAM: %v", err)
		}
		if err := capability.Map(f, va, syscall.PROT_READ|syscall.PROT_WRITE); err != nil {
			fail("hog: map: %v", err)
		}
		fill(256)
	}
	fmt.Printf("capshare: hog filled %d pages (%d of its RAM refused)\n", pages, refused)
}
