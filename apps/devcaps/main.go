// Command devcaps is a small driver that works only through the device
// capabilities the boot configuration grants it (docs/capabilities.md,
// "Devices"). Run it on the bootstrap core as
//
//	devcaps @0 caps=io:0x70-0x71,io:0xcf8-0xcff,irq:8,devmem
//
// It reads the CMOS clock through the IO capability for ports 0x70-0x71,
// takes the RTC's periodic interrupt (GSI 8) through the IRQ capability,
// finds QEMU's standard VGA through PCI configuration space (ports
// 0xcf8-0xcff) and reads its Bochs display id through a DevFrame
// retyped from the device memory it holds, mapped uncached. It also
// checks the refusals: a port outside the capability, a write through a
// read-only copy, a bad width, an interrupt wait through an IO
// capability. It prints "devcaps: NAME: ok" for each check and exits 0 if
// all held, 1 otherwise.
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"syscall"
	"time"
	"unsafe"

	"multikernel/cap"
	"multikernel/cpudriver/kpi"
	"multikernel/libos/capability"
	"multikernel/libos/probe"
)

// devVA is where the check maps the display's registers.
const devVA = 0x500000000000

var checks = probe.Checks{Program: "devcaps"}

func check(name string, ok bool, detail string) { checks.Check(name, ok, detail) }

// held is what the program found in its CSpace.
type held struct {
	rtc, pci, irq capability.Slot
	pciLines      []capability.Slot // IRQ capabilities of GSIs 16 and up
	mem           []capability.Slot
	infos         map[capability.Slot]capability.Info
}

func main() {
	debug.SetPanicOnFault(true)
	h := findCaps()
	if h.rtc == 0 || h.pci == 0 || h.irq == 0 {
		fmt.Println("devcaps: run me with caps=io:0x70-0x71,io:0xcf8-0xcff,irq:8,devmem")
		os.Exit(1)
	}
	checkClock(h)
	checkRefusals(h)
	checkInterrupts(h)
	checkDisplay(h)
	checkEdu(h)
	if checks.Failed > 0 {
		fmt.Printf("devcaps: %d checks failed\n", checks.Failed)
		os.Exit(1)
	}
	fmt.Println("devcaps: all checks passed")
}

// findCaps identifies slots 2 onwards until the first empty one.
func findCaps() held {
	h := held{infos: map[capability.Slot]capability.Info{}}
	for s := capability.Slot(2); s < 64; s++ {
		in, err := capability.Identify(s)
		if err != nil {
			break
		}
		h.infos[s] = in
		switch {
		case in.Type == cap.IO && in.Base == 0x70:
			h.rtc = s
		case in.Type == cap.IO && in.Base == 0xcf8:
			h.pci = s
		case in.Type == cap.IRQ && in.Base == 0x30+8:
			h.irq = s
		case in.Type == cap.IRQ && in.Base >= 0x30+16:
			h.pciLines = append(h.pciLines, s)
		case in.Type == cap.DevFrame:
			h.mem = append(h.mem, s)
		}
		fmt.Printf("devcaps: slot %d: %v %#x+%#x rights %v\n", s, in.Type, in.Base, in.Size, in.Rights)
	}
	return h
}

// cmos reads CMOS register reg.
func cmos(h held, reg uint8) (uint8, error) {
	if err := capability.Out(h.rtc, 0x70, 1, uint32(reg)); err != nil {
		return 0, err
	}
	v, err := capability.In(h.rtc, 0x71, 1)
	return uint8(v), err
}

// setCMOS writes CMOS register reg.
func setCMOS(h held, reg, v uint8) error {
	if err := capability.Out(h.rtc, 0x70, 1, uint32(reg)); err != nil {
		return err
	}
	return capability.Out(h.rtc, 0x71, 1, uint32(v))
}

func checkClock(h held) {
	b, err1 := cmos(h, 0x0B)
	sec, err2 := cmos(h, 0x00)
	if b&4 == 0 { // BCD
		sec = sec>>4*10 + sec&15
	}
	check("read the CMOS clock", err1 == nil && err2 == nil && sec < 60, fmt.Sprintf("seconds %d, %v %v", sec, err1, err2))
}

func checkRefusals(h held) {
	_, err := capability.In(h.rtc, 0x72, 1)
	check("a port outside the capability", errors.Is(err, syscall.EPERM), fmt.Sprint(err))
	_, err = capability.In(h.rtc, 0x71, 2)
	check("a read running past the capability", errors.Is(err, syscall.EPERM), fmt.Sprint(err))
	_, err = capability.In(h.rtc, 0x70, 3)
	check("a width of 3", errors.Is(err, syscall.EINVAL), fmt.Sprint(err))
	_, _, e := syscall.RawSyscall6(kpi.SysCapIO, uintptr(h.rtc), kpi.IORead|4, ^uintptr(1), 0, 0, 0)
	check("a port number that wraps around", e == syscall.EPERM, fmt.Sprint(e))
	ro, err := capability.Mint(h.rtc, cap.RightRead)
	if err == nil {
		err = capability.Out(ro, 0x70, 1, 0x0B)
		capability.Delete(ro)
	}
	check("a write through a read-only copy", errors.Is(err, syscall.EPERM), fmt.Sprint(err))
	_, err = capability.WaitIRQ(h.rtc, 0, -1)
	check("an interrupt through an IO capability", errors.Is(err, syscall.EINVAL), fmt.Sprint(err))
	_, err = capability.Retype(h.rtc, cap.IO, 0, 1, 1)
	ok := err == nil
	if ok {
		_, err = capability.Retype(h.rtc, cap.IO, 0, 1, 1)
		ok = errors.Is(err, syscall.EBUSY)
	}
	check("ports retyped only once", ok, fmt.Sprint(err))
}

// checkInterrupts runs the RTC's periodic interrupt at 1024 Hz and takes
// 20 of them, acknowledging each by reading register C.
func checkInterrupts(h held) {
	seen, err := capability.WaitIRQ(h.irq, 0, -1) // attach, read the count
	if err != nil {
		check("attach the RTC's line", false, err.Error())
		return
	}
	a, _ := cmos(h, 0x0A)
	b, _ := cmos(h, 0x0B)
	setCMOS(h, 0x0A, a&0xF0|6) // 1024 Hz
	setCMOS(h, 0x0B, b|0x40)   // periodic interrupt on
	cmos(h, 0x0C)
	start := time.Now()
	n, flags := 0, uint8(0)
	for n < 20 {
		c, err := capability.WaitIRQ(h.irq, seen, time.Second)
		if err != nil || c == seen {
			break // a timeout or an error
		}
		seen = c
		r, _ := cmos(h, 0x0C) // acknowledge: the RTC raises the line again only after
		flags |= r
		n++
	}
	took := time.Since(start)
	// An interrupt that arrives while the driver computes (in ring 3)
	// counts too.
	cmos(h, 0x0C)
	c0, _ := capability.WaitIRQ(h.irq, 0, -1)
	for spin := time.Now(); time.Since(spin) < 20*time.Millisecond; {
	}
	c1, _ := capability.WaitIRQ(h.irq, 0, -1)
	check("an interrupt while computing", c1 > c0, fmt.Sprintf("count %d before, %d after", c0, c1))
	setCMOS(h, 0x0B, b&^0x40)
	cmos(h, 0x0C)
	check("take 20 RTC interrupts", n == 20 && flags&0x40 != 0, fmt.Sprintf("%d interrupts, register C %#x", n, flags))
	fmt.Printf("devcaps: 20 RTC interrupts in %v\n", took.Round(time.Millisecond))
}

// pciRead returns the configuration dword at off of bus 0, device dev.
func pciRead(h held, dev, off uint32) uint32 {
	if capability.Out(h.pci, 0xcf8, 4, 1<<31|dev<<11|off) != nil {
		return ^uint32(0)
	}
	v, err := capability.In(h.pci, 0xcfc, 4)
	if err != nil {
		return ^uint32(0)
	}
	return v
}

// findDevice returns the device number of the first function 0 on bus 0
// with the given vendor and device ids (config dword 0).
func findDevice(h held, ids uint32) (uint32, bool) {
	for dev := uint32(0); dev < 32; dev++ {
		if pciRead(h, dev, 0) == ids {
			return dev, true
		}
	}
	return 0, false
}

// mapRegisters retypes the page at physical address pa from the device
// memory the program holds into a DevFrame and maps it read-write at va.
func mapRegisters(h held, pa uint64, va uintptr) (capability.Slot, error) {
	for _, s := range h.mem {
		if in := h.infos[s]; pa >= in.Base && pa+4096 <= in.Base+in.Size {
			f, err := capability.Retype(s, cap.DevFrame, pa-in.Base, 4096, 1)
			if err == nil {
				err = capability.Map(f, va, syscall.PROT_READ|syscall.PROT_WRITE)
			}
			return f, err
		}
	}
	return 0, fmt.Errorf("no device memory capability covers %#x", pa)
}

// checkDisplay finds the standard VGA (1234:1111), whose BAR 2 holds the
// Bochs display interface registers, and reads its id register at
// offset 0x500 through a DevFrame.
func checkDisplay(h held) {
	dev, ok := findDevice(h, 0x11111234)
	if !ok {
		fmt.Println("devcaps: no standard VGA on bus 0: display check skipped")
		return
	}
	bar := uint64(pciRead(h, dev, 0x18) &^ 0xF)
	f, err := mapRegisters(h, bar, devVA)
	if err != nil {
		check("map the display's registers", false, err.Error())
		return
	}
	va := uintptr(devVA + 0x500) // the id register: a 16-bit access
	id := *(*uint16)(*(*unsafe.Pointer)(unsafe.Pointer(&va)))
	check("read the Bochs display id through a DevFrame", id >= 0xB0C0 && id <= 0xB0CF, fmt.Sprintf("%#x", id))
	fmt.Printf("devcaps: VGA at 00:%02x.0, registers at %#x, display id %#x\n", dev, bar, id)
	err = capability.Map(f, devVA+0x10000, syscall.PROT_EXEC)
	check("device memory without the execute right", errors.Is(err, syscall.EPERM), fmt.Sprint(err))
	checkOwnDeviceMemory(h, bar, f)
}

// checkOwnDeviceMemory checks that the device memory the program was
// granted is its own, not a copy of the bootstrap core's: revoking the
// grant that holds the display's registers takes the DevFrame f it
// retyped from it, and its mapping, and nothing else (the grant stays,
// and a new DevFrame can be retyped from it again).
func checkOwnDeviceMemory(h held, bar uint64, f capability.Slot) {
	var grant capability.Slot
	for _, s := range h.mem {
		if in := h.infos[s]; bar >= in.Base && bar+4096 <= in.Base+in.Size {
			grant = s
		}
	}
	n, err := capability.Revoke(grant)
	_, gone := capability.Identify(f)
	_, kept := capability.Identify(grant)
	mapped := !probe.Faults(func() { _ = *probe.Word(devVA) })
	check("a revoke of granted device memory takes only what the program made of it",
		err == nil && n == 1 && gone != nil && kept == nil && !mapped,
		fmt.Sprintf("revoked %d (%v); frame %v, grant %v, still mapped %v", n, err, gone, kept, mapped))
	g, err := mapRegisters(h, bar, devVA)
	check("device memory retyped again after the revoke", err == nil, fmt.Sprint(err))
	capability.Unmap(devVA)
	capability.Delete(g)
}
