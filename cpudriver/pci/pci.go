// Package pci enumerates PCI functions through configuration space, as an
// operating system does that assigns nothing itself: it follows the bus
// numbers the firmware gave each PCI-to-PCI bridge, from bus 0 down.
//
// The package is pure Go: the CPU driver supplies configuration space
// (configuration mechanism #1 on I/O ports 0xCF8/0xCFC, ring0.PCIConfig)
// and the tests supply tables. Scan trusts nothing it reads: every bus is
// scanned at most once and a bridge that leads nowhere sensible is
// reported and skipped, so a malformed configuration space costs at most
// MaxReads reads and never hangs the caller.
package pci

import (
	"fmt"
	"sort"
)

// Config is access to PCI configuration space.
type Config interface {
	// Read32 returns the configuration dword at byte offset off (a
	// multiple of 4) of function fn (0-7) of device dev (0-31) on bus bus.
	// An absent function reads as all ones.
	Read32(bus, dev, fn uint8, off uint8) uint32
}

// Function is one PCI function found by Scan.
type Function struct {
	Bus, Dev, Fn uint8
	Vendor       uint16 // vendor ID (offset 0x00)
	Device       uint16 // device ID (offset 0x02)
	// Class is the 24-bit class code: class<<16 | subclass<<8 | prog-if
	// (offsets 0x0B, 0x0A, 0x09).
	Class uint32
	// HeaderType is the header type byte (offset 0x0E) with its
	// multi-function bit 7.
	HeaderType uint8
	// Secondary is the secondary bus number of a PCI-to-PCI bridge
	// (offset 0x19); 0 for anything else.
	Secondary uint8
}

// Configuration space offsets and values (PCI Local Bus 3.0, 6.1; PCI-to-PCI
// Bridge Architecture 1.2, 3.2).
const (
	offID        = 0x00 // vendor ID, device ID
	offClass     = 0x08 // revision, class code
	offHeader    = 0x0C // cache line, latency timer, header type, BIST
	offBusNumber = 0x18 // primary, secondary, subordinate bus, latency

	headerMulti  = 0x80   // header type bit 7: a multi-function device
	headerBridge = 0x01   // header type 1: PCI-to-PCI bridge
	classBridge  = 0x0604 // class 06h subclass 04h: PCI-to-PCI bridge
)

// Limits of the enumeration: bus numbers are 8 bits, so there are at most
// 256 buses, each with 32 devices of up to 8 functions.
const (
	maxBuses   = 256
	devices    = 32
	functions  = 8
	readsPerFn = 4 // identity, class, header type and, for a bridge, bus numbers
)

// MaxReads bounds the configuration reads of one Scan, whatever
// configuration space answers: four for every function of every bus.
const MaxReads = maxBuses * devices * functions * readsPerFn

// IsBridge reports whether f is a PCI-to-PCI bridge: header type 1 or the
// bridge class code.
func (f Function) IsBridge() bool {
	return f.HeaderType&^headerMulti == headerBridge || f.Class>>8 == classBridge
}

// String writes f as "bb:dd.f vvvv:dddd class cccccc", as lspci -nn does.
func (f Function) String() string {
	return fmt.Sprintf("%02x:%02x.%d %04x:%04x class %06x", f.Bus, f.Dev, f.Fn, f.Vendor, f.Device, f.Class)
}

// BridgeError reports a bridge whose secondary bus Scan did not follow.
type BridgeError struct {
	Bridge Function // the bridge, with its Secondary bus
	Reason string   // why the secondary bus was skipped
}

// Error describes the bridge and the reason.
func (e *BridgeError) Error() string {
	b := e.Bridge
	return fmt.Sprintf("bridge %02x:%02x.%d (%04x:%04x) to bus %d: %s; not followed",
		b.Bus, b.Dev, b.Fn, b.Vendor, b.Device, b.Secondary, e.Reason)
}

// Scan enumerates every function reachable from bus 0 and returns them
// sorted by bus, device and function, with a BridgeError for each bridge
// whose secondary bus it did not scan: one numbered 0 (an unconfigured
// bridge), the bridge's own bus, or a bus already scanned or about to be
// (a loop or two bridges claiming one bus). A function whose vendor ID is
// 0xFFFF (nothing there) or 0x0000 (what some broken boards return for an
// empty slot) is absent; function 0's header type bit 7 says whether
// functions 1-7 are worth probing.
func Scan(c Config) ([]Function, []error) {
	var (
		found []Function
		errs  []error
		seen  [maxBuses]bool // scanned or queued
		todo  = []uint8{0}   // depth first, as firmware numbers buses
	)
	seen[0] = true
	for len(todo) > 0 {
		bus := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		var next []uint8 // this bus's bridges, in slot order
		for dev := uint8(0); dev < devices; dev++ {
			for fn := uint8(0); fn < functions; fn++ {
				f, ok := probe(c, bus, dev, fn)
				if !ok {
					if fn == 0 {
						break // no device in this slot
					}
					continue
				}
				if f.IsBridge() {
					f.Secondary = uint8(c.Read32(bus, dev, fn, offBusNumber) >> 8)
					switch s := f.Secondary; {
					case s == 0:
						errs = append(errs, &BridgeError{f, "secondary bus 0 (unconfigured bridge?)"})
					case s == bus:
						errs = append(errs, &BridgeError{f, "secondary bus is the bridge's own bus"})
					case seen[s]:
						errs = append(errs, &BridgeError{f, "bus already scanned or claimed by another bridge"})
					default:
						seen[s] = true
						next = append(next, s)
					}
				}
				found = append(found, f)
				if fn == 0 && f.HeaderType&headerMulti == 0 {
					break // a single-function device
				}
			}
		}
		for i := len(next) - 1; i >= 0; i-- {
			todo = append(todo, next[i]) // the first bridge's bus is scanned first
		}
	}
	sort.Slice(found, func(i, j int) bool { return less(found[i], found[j]) })
	return found, errs
}

// probe reads one function's identity, class and header type; ok is false
// if no function answers there.
func probe(c Config, bus, dev, fn uint8) (Function, bool) {
	id := c.Read32(bus, dev, fn, offID)
	vendor := uint16(id)
	if vendor == 0xFFFF || vendor == 0 {
		return Function{}, false
	}
	return Function{
		Bus: bus, Dev: dev, Fn: fn,
		Vendor:     vendor,
		Device:     uint16(id >> 16),
		Class:      c.Read32(bus, dev, fn, offClass) >> 8,
		HeaderType: uint8(c.Read32(bus, dev, fn, offHeader) >> 16),
	}, true
}

// less orders functions by bus, device and function.
func less(a, b Function) bool {
	if a.Bus != b.Bus {
		return a.Bus < b.Bus
	}
	if a.Dev != b.Dev {
		return a.Dev < b.Dev
	}
	return a.Fn < b.Fn
}
