package kpi

// Where a program finds the capabilities it starts with, by slot number
// in its CSpace (docs/capabilities.md). Slot 0 is never a capability.
const (
	// RAMSlot holds the program's RAM, if its core had room.
	RAMSlot = 1
	// MemSlot holds the memory service's client capability, which
	// SysMemAlloc needs.
	MemSlot = 2
	// FirstGrantSlot holds the first capability the boot configuration
	// grants (caps=...), or the monitor's Kernel capability; the rest
	// follow in order.
	FirstGrantSlot = 3
)
