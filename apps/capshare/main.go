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
//	capshare give CORE   as send, but end holding the frame (its CPU
//	                     driver has the monitors delete the sender's copy)
//	capshare keep        as receive, but check that the frame outlives its
//	                     sender, that the monitors' delete left this copy
//	                     owned here with no copies elsewhere, and delete it
//	                     locally
//
// Both print what they saw and exit 0 on success. The copy travels through
// the two cores' monitors (docs/capabilities.md, "Across cores").
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"multikernel/cap"
	"multikernel/libos/capability"
	"multikernel/libos/probe"
	"multikernel/libos/sys"
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

func main() {
	if len(os.Args) == 3 && (os.Args[1] == "send" || os.Args[1] == "give") {
		core, err := strconv.Atoi(os.Args[2])
		if err != nil {
			fail("bad core %q", os.Args[2])
		}
		send(core, os.Args[1] == "send")
		return
	}
	if len(os.Args) == 2 && (os.Args[1] == "receive" || os.Args[1] == "keep") {
		receive(os.Args[1] == "receive")
		return
	}
	fmt.Fprintln(os.Stderr, "usage: capshare send|give CORE | capshare receive|keep")
	os.Exit(2)
}

// send shares a frame with core and, if revoke is set, revokes it once
// answered; otherwise it ends holding it (give), and its CPU driver has
// the monitors delete its copy.
func send(core int, revoke bool) {
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
	if err := capability.Send(noGrant, core); err == nil {
		fail("a copy without the grant right was sent")
	}
	if err := capability.Send(f, core); err != nil {
		fail("send: %v", err)
	}
	info, _ := capability.Identify(f)
	fmt.Printf("capshare: sent frame %#x to core %d\n", info.Base, core)
	deadline := time.Now().Add(timeout)
	for atomic.LoadUint64(word()) != answer {
		if time.Now().After(deadline) {
			fail("no answer from core %d in %v", core, timeout)
		}
		time.Sleep(time.Millisecond)
	}
	fmt.Printf("capshare: core %d answered through the shared frame\n", core)
	if !revoke {
		fmt.Println("capshare: ending, still holding the frame")
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

// receive takes a shared frame and answers in it; if revoked is set it
// waits for its sender to revoke it (receive), else it checks that the
// frame outlives its sender (keep).
func receive(revoked bool) {
	s, err := capability.Receive(timeout)
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
	}
	atomic.StoreUint64(word(), answer)
	fmt.Printf("capshare: received frame %#x (rights %v), read the greeting, answered\n", info.Base, info.Rights)
	if !revoked {
		time.Sleep(500 * time.Millisecond) // the sender ends meanwhile
		if got := atomic.LoadUint64(word()); got != answer {
			fail("the frame changed after its sender ended: %#x", got)
		}
		if _, err := capability.Identify(s); err != nil {
			fail("the copy did not outlive its sender: %v", err)
		}
		fmt.Println("capshare: the frame outlived its sender")
		// The monitors' delete made this copy the only one: it is owned
		// here now, with no copies elsewhere, so it goes without them.
		self, _, _ := sys.CPU()
		for deadline := time.Now().Add(timeout); ; time.Sleep(time.Millisecond) {
			in, err := capability.Identify(s)
			if err == nil && in.Owner == self && in.Remote&cap.RemoteCopies == 0 {
				break
			}
			if time.Now().After(deadline) {
				fail("the copy is not owned here alone: %+v, %v", in, err)
			}
		}
		capability.Unmap(frameVA)
		if err := capability.Delete(s); err != nil {
			fail("delete of the last copy: %v", err)
		}
		fmt.Println("capshare: the copy is owned here alone now, and deleted locally")
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
