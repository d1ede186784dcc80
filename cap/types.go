package cap

// Type is the type of a capability. The properties of every type are in
// the table typeTable below, the one place where they are declared.
type Type uint8

// The capability types.
const (
	Null       Type = iota // no capability: the content of an empty slot
	PhysAddr               // physical address range of any kind, not yet typed
	RAM                    // ordinary memory, not yet typed into objects
	Frame                  // memory that may be mapped into an address space
	DevFrame               // device memory that may be mapped, never zeroed
	CNode                  // a table of capability slots
	VNodePML4              // x86-64 page-map level 4 table
	VNodePDPT              // x86-64 page-directory-pointer table
	VNodePD                // x86-64 page directory
	VNodePT                // x86-64 page table
	Dispatcher             // the control block of a dispatcher (a process on one core)
	EndPoint               // a channel endpoint into a dispatcher
	IRQTable               // the authority to allocate interrupt vectors
	IRQ                    // one interrupt vector
	IO                     // a range of I/O ports
	Kernel                 // the authority of the monitor over its CPU driver
	IPI                    // the authority to send inter-processor interrupts
	MemClient              // the authority to ask the memory service for RAM
	numTypes
)

// Space is the kind of resource a capability's range counts in.
type Space uint8

// The resource spaces.
const (
	SpaceNone Space = iota // the capability names no range (Kernel, IPI)
	SpacePhys              // physical memory, in bytes
	SpaceIRQ               // interrupt vectors
	SpaceIO                // I/O ports
	numSpaces
)

// spaceLimit is the end (exclusive) of each resource space. Physical
// addresses are limited to the 52 bits of the x86-64 architecture (Intel
// SDM vol. 3A, 4.1.4, MAXPHYADDR).
var spaceLimit = [numSpaces]uint64{
	SpaceNone: 0,
	SpacePhys: 1 << 52,
	SpaceIRQ:  256,
	SpaceIO:   1 << 16,
}

// pageSize is the x86-64 base page size.
const pageSize = 4096

// TypeInfo describes one capability type.
type TypeInfo struct {
	Name  string // printable name
	Space Space  // the resource space a range of this type counts in

	// Size rules for objects of this type made by retype. A type with
	// Fixed > 0 has objects of exactly that size; otherwise the size must
	// be a non-zero multiple of Granule, at least Min, and a power of two
	// where Pow2 is set.
	Fixed   uint64
	Granule uint64
	Min     uint64
	Pow2    bool
	Align   uint64 // the base of every object is a multiple of Align

	Root     bool   // may be created from nothing at boot (DB.Create)
	RetypeTo []Type // the types that a capability of this type may be retyped into
}

// typeTable is the single source of truth for the capability types.
var typeTable = [numTypes]TypeInfo{
	Null: {Name: "Null"},
	PhysAddr: {Name: "PhysAddr", Space: SpacePhys, Granule: pageSize, Min: pageSize, Align: pageSize,
		Root: true, RetypeTo: []Type{PhysAddr, RAM, DevFrame}},
	RAM: {Name: "RAM", Space: SpacePhys, Granule: pageSize, Min: pageSize, Align: pageSize,
		Root: true, RetypeTo: []Type{RAM, Frame, CNode, VNodePML4, VNodePDPT, VNodePD, VNodePT, Dispatcher}},
	Frame: {Name: "Frame", Space: SpacePhys, Granule: pageSize, Min: pageSize, Align: pageSize,
		RetypeTo: []Type{Frame}},
	DevFrame: {Name: "DevFrame", Space: SpacePhys, Granule: pageSize, Min: pageSize, Align: pageSize,
		Root: true, RetypeTo: []Type{DevFrame}},
	// A CNode slot is 64 bytes, as in Barrelfish; the smallest CNode has 64 slots.
	CNode:      {Name: "CNode", Space: SpacePhys, Granule: pageSize, Min: pageSize, Pow2: true, Align: pageSize},
	VNodePML4:  {Name: "VNodePML4", Space: SpacePhys, Fixed: pageSize, Align: pageSize},
	VNodePDPT:  {Name: "VNodePDPT", Space: SpacePhys, Fixed: pageSize, Align: pageSize},
	VNodePD:    {Name: "VNodePD", Space: SpacePhys, Fixed: pageSize, Align: pageSize},
	VNodePT:    {Name: "VNodePT", Space: SpacePhys, Fixed: pageSize, Align: pageSize},
	Dispatcher: {Name: "Dispatcher", Space: SpacePhys, Fixed: 1024, Align: 1024, RetypeTo: []Type{EndPoint}},
	// An endpoint names the dispatcher it delivers to: it covers that
	// dispatcher's memory. More endpoints to one dispatcher are copies.
	EndPoint: {Name: "EndPoint", Space: SpacePhys, Fixed: 1024, Align: 1024},
	IRQTable: {Name: "IRQTable", Space: SpaceIRQ, Granule: 1, Min: 1, Align: 1,
		Root: true, RetypeTo: []Type{IRQ}},
	IRQ: {Name: "IRQ", Space: SpaceIRQ, Fixed: 1, Align: 1},
	IO: {Name: "IO", Space: SpaceIO, Granule: 1, Min: 1, Align: 1,
		Root: true, RetypeTo: []Type{IO}},
	Kernel: {Name: "Kernel", Root: true},
	IPI:    {Name: "IPI", Root: true},
	// Every program holds a copy; what it may take is its process's
	// limit, which the CPU driver keeps (not part of the capability).
	MemClient: {Name: "MemClient", Root: true},
}

// Info returns the table entry of t; the zero TypeInfo if t is not a type.
func (t Type) Info() TypeInfo {
	if !t.Valid() {
		return TypeInfo{}
	}
	return typeTable[t]
}

// Valid reports whether t is a real capability type (not Null).
func (t Type) Valid() bool { return t > Null && t < numTypes }

// String returns the type's name.
func (t Type) String() string {
	if t >= numTypes {
		return "Type(?)"
	}
	return typeTable[t].Name
}

// Types returns every valid type, in declaration order.
func Types() []Type {
	ts := make([]Type, 0, numTypes-1)
	for t := Null + 1; t < numTypes; t++ {
		ts = append(ts, t)
	}
	return ts
}

// String returns the space's name.
func (s Space) String() string {
	switch s {
	case SpaceNone:
		return "none"
	case SpacePhys:
		return "phys"
	case SpaceIRQ:
		return "irq"
	case SpaceIO:
		return "io"
	}
	return "Space(?)"
}

// Limit returns the end (exclusive) of the space.
func (s Space) Limit() uint64 { return spaceLimit[s] }
