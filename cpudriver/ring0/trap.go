package ring0

import (
	"sync/atomic"
)

// Exceptions. A page fault in the runtime's heap is demand paging and
// resumes; anything else is an oops: the core prints what it can without
// its runtime (registers, CR2, the instruction bytes, the frame-pointer
// chain of return addresses), publishes the same as an OopsRecord for a
// healthy core to decode (instruction via x86asm, symbols via the shared
// text), and halts. Other cores go on.

var excNames = [32]string{
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid TSS", "segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 floating point", "alignment check",
	"machine check", "SIMD floating point", "virtualization", "control protection",
	"reserved", "reserved", "reserved", "reserved", "reserved", "reserved",
	"hypervisor injection", "VMM communication", "security", "reserved",
}

// OopsRecord is what a faulting core leaves for others to decode. It lives
// in the faulting core's slot of the shared area; State is set last.
type OopsRecord struct {
	State   uint32 // 0 none, 1 complete
	Core    uint32
	Vector  uint64
	ErrCode uint64
	CR2     uint64
	Regs    TrapFrame
	Code    [16]byte // bytes at RIP, if readable
	NCode   uint64
	PCs     [32]uint64 // return addresses along the frame-pointer chain
	NPCs    uint64
}

// oopsRec is assembled here rather than on the (small) IST stack.
var oopsRec OopsRecord

// oopsSlot is the address of this core's OopsRecord (0: none yet).
var oopsSlot uintptr

// SetOopsSlot tells this core where to publish its oops.
func SetOopsSlot(va uintptr) { oopsSlot = va }

// trapGo handles an exception on IST1/IST2 (trapEntry).
//
//go:nosplit
func trapGo() {
	tf := (*TrapFrame)(at(trapFramePtr))
	if tf.Vector == 14 {
		cr2 := readCR2()
		// Not-present fault (P bit clear) in ring 0 in the heap window.
		if tf.ErrCode&1 == 0 && tf.CS&3 == 0 && cr2 >= heapBase && cr2 < heapLimit && demandPage(cr2) {
			return
		}
	}
	oops(tf)
}

// oops reports a fatal exception and halts this core.
//
//go:nosplit
func oops(tf *TrapFrame) {
	rec := &oopsRec
	*rec = OopsRecord{}
	rec.Core = uint32(core.Index)
	rec.Vector = tf.Vector
	rec.ErrCode = tf.ErrCode
	rec.Regs = *tf
	if tf.Vector == 14 {
		rec.CR2 = readCR2()
	}
	if readable(tf.IP) && readable(tf.IP+15) {
		for i := uintptr(0); i < 16; i++ {
			rec.Code[i] = *(*byte)(at(uintptr(tf.IP) + i))
		}
		rec.NCode = 16
	}
	rec.PCs[0] = tf.IP
	rec.NPCs = 1
	bp := tf.BP
	for rec.NPCs < uint64(len(rec.PCs)) && bp != 0 && bp&7 == 0 && readable(bp) && readable(bp+8) {
		ret := *u64at(uintptr(bp + 8))
		if ret == 0 {
			break
		}
		rec.PCs[rec.NPCs&31] = ret
		rec.NPCs++
		next := *u64at(uintptr(bp))
		if next <= bp {
			break
		}
		bp = next
	}
	printOops(rec)
	if oopsSlot != 0 {
		dst := (*OopsRecord)(at(oopsSlot))
		*dst = *rec
		atomic.StoreUint32(&dst.State, 1)
	}
	haltForever()
}

// printOops writes the raw oops: core, vector, error code, CR2, registers,
// instruction bytes and return addresses.
//
//go:nosplit
func printOops(r *OopsRecord) {
	consoleLock()
	consoleHeld = true // the whole report is written under one lock
	kprint("oops: core ")
	printDec(uint64(r.Core))
	kprint(": exception ")
	printDec(r.Vector)
	if r.Vector < 32 {
		kprint(" (")
		kprint(excNames[r.Vector&31])
		kprint(")")
	}
	kprint(" error ")
	printHex(r.ErrCode)
	if r.Vector == 14 {
		kprint(" cr2 ")
		printHex(r.CR2)
	}
	t := &r.Regs
	kprint("\noops:  rip ")
	printHex(t.IP)
	kprint(" rsp ")
	printHex(t.SP)
	kprint(" rflags ")
	printHex(t.FLAGS)
	kprint(" cs ")
	printHex(t.CS)
	kprint("\noops:  rax ")
	printHex(t.AX)
	kprint(" rbx ")
	printHex(t.BX)
	kprint(" rcx ")
	printHex(t.CX)
	kprint(" rdx ")
	printHex(t.DX)
	kprint("\noops:  rsi ")
	printHex(t.SI)
	kprint(" rdi ")
	printHex(t.DI)
	kprint(" rbp ")
	printHex(t.BP)
	kprint(" r8  ")
	printHex(t.R8)
	kprint("\noops:  r9  ")
	printHex(t.R9)
	kprint(" r10 ")
	printHex(t.R10)
	kprint(" r11 ")
	printHex(t.R11)
	kprint(" r12 ")
	printHex(t.R12)
	kprint("\noops:  r13 ")
	printHex(t.R13)
	kprint(" r14 ")
	printHex(t.R14)
	kprint(" r15 ")
	printHex(t.R15)
	kprint("\noops:  code")
	for i := uint64(0); i < r.NCode && i < 16; i++ {
		kprint(" ")
		printHex2(r.Code[i])
	}
	kprint("\noops:  stack")
	for i := uint64(0); i < r.NPCs && i < 32; i++ {
		kprint(" ")
		printHex(r.PCs[i])
	}
	kprint("\n")
	consoleHeld = false
	consoleUnlock()
}

// readable reports whether va is mapped (a page-table walk, no access).
//
//go:nosplit
func readable(va uint64) bool {
	if va < DirectMapEnd() && va >= uint64(DirectMap) {
		return true
	}
	return lookupPTE(va)&1 != 0
}

//go:nosplit
func lookupPTE(va uint64) uint64 {
	t := kernCR3 &^ 0xfff
	for l := uint(3); ; l-- {
		e := *u64at(DirectMap + uintptr(t) + uintptr((va>>(12+9*l))&511)*8)
		if e&1 == 0 || l == 0 || e&0x80 != 0 {
			return e
		}
		t = e & 0x000ffffffffff000
	}
}

// physGiB is how much physical memory the direct map covers, in GiB.
var physGiB uint64

// DirectMapEnd is the end of the direct map.
//
//go:nosplit
func DirectMapEnd() uint64 { return uint64(DirectMap) + physGiB<<30 }
