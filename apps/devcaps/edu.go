package main

import (
	"fmt"
	"sync/atomic"
	"time"
	"unsafe"

	"multikernel/libos/capability"
)

// QEMU's edu device (1234:11e8; QEMU's docs/specs/edu.rst): registers in
// BAR 0; writing a value to intRaise sets those bits of intStatus and
// asserts its PCI interrupt line (INTx A, level-triggered, active low),
// writing them to intAck clears them and, once none is left, deasserts
// the line.
const (
	eduIDs       = 0x11e81234
	eduID        = 0x00 // 0x010000ed
	eduIntStatus = 0x24
	eduIntRaise  = 0x60
	eduIntAck    = 0x64
	eduVA        = devVA + 0x100000
)

// eduReg returns edu register off, mapped at eduVA.
func eduReg(off uintptr) *uint32 {
	va := uintptr(eduVA) + off
	return (*uint32)(*(*unsafe.Pointer)(unsafe.Pointer(&va)))
}

// checkEdu drives the edu device's level-triggered interrupt: it finds
// which of the PCI lines it holds (GSIs 16 and up) the device raises, and
// checks that a line kept asserted fires once and stays masked until the
// driver acknowledges the device and waits again, and that each raise
// then fires once.
func checkEdu(h held) {
	dev, ok := findDevice(h, eduIDs)
	if !ok || len(h.pciLines) == 0 {
		fmt.Println("devcaps: no edu device on bus 0, or no PCI line held: level-triggered check skipped")
		return
	}
	f, err := mapRegisters(h, uint64(pciRead(h, dev, 0x10)&^0xF), eduVA)
	if err != nil {
		check("map the edu device's registers", false, err.Error())
		return
	}
	defer capability.Delete(f)
	defer capability.Unmap(eduVA)
	check("read the edu device's id", atomic.LoadUint32(eduReg(eduID)) == 0x010000ed, fmt.Sprintf("%#x", atomic.LoadUint32(eduReg(eduID))))
	counts := make([]uint64, len(h.pciLines))
	for i, s := range h.pciLines {
		counts[i], _ = capability.WaitIRQ(s, 0, -1) // attach, read the count
	}
	atomic.StoreUint32(eduReg(eduIntRaise), 1)
	line, seen := -1, uint64(0)
	for deadline := time.Now().Add(time.Second); line < 0 && time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		for i, s := range h.pciLines {
			if c, _ := capability.WaitIRQ(s, 0, -1); c != counts[i] {
				line, seen = i, c
			}
		}
	}
	if line < 0 {
		check("the edu device's interrupt arrives", false, "no PCI line fired in 1 s")
		return
	}
	gsi := h.infos[h.pciLines[line]].Base - 0x30
	s := h.pciLines[line]
	time.Sleep(20 * time.Millisecond) // the line stays asserted, and masked
	c, _ := capability.WaitIRQ(s, 0, -1)
	check("a level-triggered line fires once while asserted", c == seen && atomic.LoadUint32(eduReg(eduIntStatus)) == 1,
		fmt.Sprintf("count %d then %d, status %#x", seen, c, atomic.LoadUint32(eduReg(eduIntStatus))))
	atomic.StoreUint32(eduReg(eduIntAck), 1)
	n := 0
	for ; n < 5; n++ {
		atomic.StoreUint32(eduReg(eduIntRaise), 1)
		c, err := capability.WaitIRQ(s, seen, time.Second) // unmasks: the asserted line fires
		if err != nil || c == seen {
			break
		}
		seen = c
		atomic.StoreUint32(eduReg(eduIntAck), 1)
	}
	c, _ = capability.WaitIRQ(s, seen, 50*time.Millisecond) // acknowledged: nothing more
	check("five raises, five interrupts, none after the acknowledgement", n == 5 && c == seen, fmt.Sprintf("%d interrupts, count %d then %d", n, seen, c))
	fmt.Printf("devcaps: edu at 00:%02x.0 interrupts on GSI %d (level-triggered)\n", dev, gsi)
}
