package monlink

// Machine is what the CPU driver knows of the other cores, given to this
// package by package main before it starts the monitor. The monitors'
// native calls for URPC (cpudriver/native) go through it.
type Machine interface {
	// Channel returns the physical address of the frame that the monitors
	// of this core and of peer share as their URPC channel, and its size;
	// false if there is none (no such core, or no memory for it).
	Channel(peer int) (pa uint64, size int, ok bool)
	// Notify raises a notification on core peer and reports whether it
	// could (peer is another core that is up).
	Notify(peer int) bool
	// CoresUp returns the cores whose CPU driver is up, bit i for core i.
	CoresUp() uint64
	// CoreInfo returns core c's local APIC id and NUMA node.
	CoreInfo(c int) (apic uint32, node int, ok bool)
	// BootDone records that this core's monitor finished its boot-time
	// work (the mesh is connected and measured).
	BootDone()
}

// Mach is the running system's Machine; nil until package main sets it.
var Mach Machine
