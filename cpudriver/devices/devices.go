// Package devices is the CPU driver's device capabilities
// (docs/capabilities.md, "Devices"). The bootstrap
// core's CPU driver holds three kinds of root capability, in no
// process's CSpace: IO for every I/O port, IRQTable for the vectors of
// the first I/O APIC's pins (vector ring0.DeviceVectorBase+g for global
// system interrupt g), and one PhysAddr for each range of physical
// addresses that is neither memory nor the CPU driver's own devices,
// with the read, write and grant rights (device memory is never
// executable). A program gets parts of them only as the boot
// configuration grants (cpudriver/grant, a module's "caps=" word), retyped from the
// roots (DevFrames from the PhysAddr roots), so that two programs never
// hold the same ports, line or device memory, and none holds a copy of a
// root: a grantee's revoke reaches only what it derived from its own
// grant. It uses them through
// native calls (SysCapIO, SysCapIRQ, SysCapMap of a DevFrame). Nothing
// else in ring 3 reaches a port, an interrupt or device memory.
//
// IO and IRQ capabilities stay on the bootstrap core (they do not
// travel, and only that core programs the I/O APIC); DevFrames travel
// like Frames.
package devices

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"multikernel/cap"
	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/grant"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/notify"
	"multikernel/cpudriver/ring0"
)

// Layout is what the bootstrap core knows of the machine's
// devices, from ACPI's MADT and the firmware's memory map.
type Layout struct {
	IOAPIC     uint64            // physical address of the I/O APIC serving GSI 0; 0 if none
	Pins       int               // its pins that get vectors (at most ring0.DeviceVectors)
	LineFlags  map[uint32]uint16 // MADT interrupt source override flags (MPS INTI), by GSI
	DevRegions [][2]uint64       // device memory: [base, end), page aligned
}

// devCaps is the bootstrap core's device state; guarded by the capability lock.
var devCaps struct {
	layout Layout
	io     cap.ID   // the IO root
	irq    cap.ID   // the IRQTable root
	mem    []cap.ID // the PhysAddr roots of device memory
	lines  [ring0.DeviceVectors]irqLine
}

// irqLine is one GSI's delivery: the process its IRQ capability was
// attached by, and the bell its interrupts ring. level and masked (a
// level-triggered line, masked since it last fired) are guarded by
// ioapicMu.
type irqLine struct {
	owner  Owner
	bell   *notify.Bell
	level  bool
	masked bool
}

// ioapicMu orders this core's accesses to the I/O APIC (an index and a
// window register) and guards the lines' level and masked; taken inside
// the capability lock when both are.
var ioapicMu sync.Mutex

// Init creates the device root capabilities from l. The bootstrap
// core calls it once, after memory.Init.
func Init(l Layout) error {
	capcore.Lock()
	defer capcore.Unlock()
	db := capcore.DB()
	if db == nil {
		return fmt.Errorf("no capability database")
	}
	own := db.Core()
	id, err := db.Create(cap.Cap{Type: cap.IO, Base: 0, Size: 1 << 16, Rights: cap.AllRights, Owner: own})
	if err != nil {
		return err
	}
	devCaps.io = id
	if l.IOAPIC != 0 && l.Pins > 0 {
		l.Pins = min(l.Pins, ring0.DeviceVectors)
		id, err := db.Create(cap.Cap{Type: cap.IRQTable, Base: ring0.DeviceVectorBase, Size: uint64(l.Pins), Rights: cap.AllRights, Owner: own})
		if err != nil {
			return err
		}
		devCaps.irq = id
		for g := 0; g < l.Pins; g++ {
			devCaps.lines[g].bell = notify.NewBell()
		}
	}
	for _, r := range l.DevRegions {
		id, err := db.Create(cap.Cap{Type: cap.PhysAddr, Base: r[0], Size: r[1] - r[0], Rights: devMemRights, Owner: own})
		if err != nil {
			return fmt.Errorf("device memory %#x-%#x: %v", r[0], r[1], err)
		}
		devCaps.mem = append(devCaps.mem, id)
	}
	devCaps.layout = l
	return nil
}

// Grant puts the capabilities grants name into the CSpace cs, in
// order. It fails, granting nothing, if one cannot be made: no such root
// on this core, a range outside it, or a part another program holds.
// the capability lock is held.
func Grant(cs *capcore.CSpace, grants []grant.Grant) error {
	db := capcore.DB()
	var made []cap.ID
	fail := func(g grant.Grant, err error) error {
		for _, id := range made {
			db.Delete(id)
		}
		return fmt.Errorf("grant %v: %v", g, err)
	}
	for _, g := range grants {
		var ids []cap.ID
		var err error
		switch g.Kind {
		case grant.IO:
			if devCaps.io == 0 {
				return fail(g, fmt.Errorf("this core holds no I/O ports (device capabilities live on the bootstrap core)"))
			}
			ids, err = db.Retype(devCaps.io, cap.RetypeArgs{Type: cap.IO, Offset: g.Base, ObjSize: g.Size, Count: 1})
		case grant.IRQ:
			if devCaps.irq == 0 || g.Base >= uint64(devCaps.layout.Pins) {
				return fail(g, fmt.Errorf("no interrupt line %d on this core", g.Base))
			}
			ids, err = db.Retype(devCaps.irq, cap.RetypeArgs{Type: cap.IRQ, Offset: g.Base, ObjSize: 1, Count: 1})
		case grant.DevMem:
			if len(devCaps.mem) == 0 {
				return fail(g, fmt.Errorf("this core holds no device memory"))
			}
			ids, err = grantDevMem(db, g)
		}
		made = append(made, ids...)
		if err != nil {
			if errors.Is(err, cap.ErrOverlap) {
				err = fmt.Errorf("held by another program")
			}
			return fail(g, err)
		}
	}
	if len(cs.Slots())+len(made) > capcore.MaxSlots {
		return fail(grants[len(grants)-1], fmt.Errorf("capability space full"))
	}
	for _, id := range made {
		cs.Append(id) // from kpi.FirstGrantSlot on, in order
	}
	return nil
}

// devMemRights are the rights of device memory: never executable.
const devMemRights = cap.RightRead | cap.RightWrite | cap.RightGrant

// grantDevMem retypes the DevFrames a devmem grant names from the device
// memory roots: one for each root (every range), or one for the range
// g names, which must lie in one root. the capability lock is held.
func grantDevMem(db *cap.DB, g grant.Grant) ([]cap.ID, error) {
	var ids []cap.ID
	for _, root := range devCaps.mem {
		r, err := db.Identify(root)
		if err != nil {
			return ids, err
		}
		off, size := uint64(0), r.Size
		if g.Size != 0 {
			if g.Base < r.Base || g.Base+g.Size > r.Base+r.Size {
				continue
			}
			off, size = g.Base-r.Base, g.Size
		}
		made, err := db.Retype(root, cap.RetypeArgs{Type: cap.DevFrame, Offset: off, ObjSize: size, Count: 1})
		if err != nil {
			return ids, err
		}
		ids = append(ids, made...)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("no device memory range holds %#x-%#x", g.Base, g.Base+g.Size-1)
	}
	return ids, nil
}

// IO is an IO capability invocation (SysCapIO) in the CSpace cs: op is kpi.IORead or kpi.IOWrite
// plus a width of 1, 2 or 4 bytes; the ports [port, port+width) must lie
// in the capability, which must have the read (in) or write (out) right.
func IO(cs *capcore.CSpace, slot, op, port, value uint64) int64 {
	capcore.Lock()
	defer capcore.Unlock()
	c, errno := cs.SlotCapLocked(slot, cap.IO)
	if errno != 0 {
		return errno
	}
	width := op &^ kpi.IOWrite
	if width != 1 && width != 2 && width != 4 || op&^(kpi.IOWrite|7) != 0 {
		return -kpi.EINVAL
	}
	if port < c.Base || port >= c.Base+c.Size || width > c.Base+c.Size-port {
		return -kpi.EPERM // a port this capability does not hold (no sum that could wrap)
	}
	if op&kpi.IOWrite != 0 {
		if !c.Rights.Has(cap.RightWrite) {
			return -kpi.EPERM
		}
		ring0.PortOut(uint16(port), int(width), uint32(value))
		return 0
	}
	if !c.Rights.Has(cap.RightRead) {
		return -kpi.EPERM
	}
	return int64(ring0.PortIn(uint16(port), int(width)))
}

// IRQ is an IRQ capability invocation (SysCapIRQ) by o: the first one attaches the
// line to the calling process (routes it to this core, unmasked); each
// waits like SysWait for the line's interrupt count to differ from seen
// and returns it. The line stays the process's until it ends.
func IRQ(o Owner, slot, seen uint64, timeout time.Duration) int64 {
	capcore.Lock()
	c, errno := o.CSpace().SlotCapLocked(slot, cap.IRQ)
	if errno != 0 {
		capcore.Unlock()
		return errno
	}
	if !c.Rights.Has(cap.RightRead) {
		capcore.Unlock()
		return -kpi.EPERM
	}
	g := int(c.Base - ring0.DeviceVectorBase)
	line := &devCaps.lines[g]
	switch {
	case line.bell == nil:
		capcore.Unlock()
		return -kpi.EINVAL
	case line.owner == nil:
		if errno := attachLine(g); errno != 0 {
			capcore.Unlock()
			return errno
		}
		line.owner = o
	case line.owner != o:
		capcore.Unlock()
		return -kpi.EBUSY
	}
	b := line.bell
	if timeout >= 0 { // the driver is ready for the next interrupt
		ioapicMu.Lock()
		if line.masked {
			ring0.IOAPICUnmask(devCaps.layout.IOAPIC, g)
			line.masked = false
		}
		ioapicMu.Unlock()
	}
	capcore.Unlock()
	return b.Wait(seen, timeout, o.Dying())
}

// attachLine routes GSI g to this core, unmasked, edge- or
// level-triggered and of the polarity the MADT's overrides give (the ISA
// default: edge, active high; PCI lines, GSI 16 and up: level, active
// low). the capability lock is held.
func attachLine(g int) int64 {
	l := devCaps.layout
	level, low := g >= 16, g >= 16 // PCI lines: level, active low
	if f, ok := l.LineFlags[uint32(g)]; ok {
		if p := f & 3; p != 0 {
			low = p == 3
		}
		if tr := f >> 2 & 3; tr != 0 {
			level = tr == 3
		}
	}
	ioapicMu.Lock()
	defer ioapicMu.Unlock()
	devCaps.lines[g].level, devCaps.lines[g].masked = level, false
	ring0.SetDeviceLevel(g, level) // a GSI's trigger mode never changes: no interrupt in flight is misjudged
	ring0.IOAPICRoute(l.IOAPIC, g, uint8(ring0.DeviceVectorBase+g), ring0.Core().APICID, level, low, false)
	return 0
}

// Ended masks the lines p attached. the capability lock is held.
func Ended(p Owner) {
	for g := range devCaps.lines {
		if line := &devCaps.lines[g]; line.owner == p {
			ioapicMu.Lock()
			ring0.IOAPICMask(devCaps.layout.IOAPIC, g)
			line.masked = false
			ioapicMu.Unlock()
			line.owner = nil
		}
	}
}

// RingLines rings the bells of the GSIs in mask (bit g: GSI g).
func RingLines(mask uint32) {
	for g := 0; mask != 0; g, mask = g+1, mask>>1 {
		if mask&1 != 0 {
			RingLine(g)
		}
	}
}

// RingLine takes one interrupt of GSI g: if the line is
// level-triggered it masks the pin (its driver unmasks it by waiting
// again, once it acknowledged the device) and then acknowledges the
// interrupt at the LAPIC, which the entry code left to it; and it rings
// the line's bell, if it has one. The bells are made once at boot and
// never replaced, so no lock is needed to find one.
func RingLine(g int) {
	if g < 0 || g >= len(devCaps.lines) {
		return
	}
	line := &devCaps.lines[g]
	ioapicMu.Lock()
	if line.level {
		if !line.masked {
			ring0.IOAPICMask(devCaps.layout.IOAPIC, g)
			line.masked = true
		}
		ring0.DeviceEOI()
	}
	ioapicMu.Unlock()
	if line.bell != nil {
		line.bell.Ring()
	}
}

// Owner is a process as the device calls see it (proc.Process is one);
// owners are compared by identity.
type Owner interface {
	// CSpace returns the process's slots; guarded by the capability lock.
	CSpace() *capcore.CSpace
	// Dying is closed when the process begins to exit.
	Dying() <-chan struct{}
}
