// Package capability wraps the capability invocations of the CPU driver
// (docs/capabilities.md, "Enforcement"): a program names the capabilities
// it holds by slot number in its own CSpace, and every operation is
// checked against the capability's type, range and rights by its core's
// CPU driver. Types and rights are package cap's.
//
// It runs in ring 3, in any program.
package capability

import (
	"syscall"
	"time"
	"unsafe"

	"multikernel/cap"
	"multikernel/cpudriver/kpi"
)

// Slot names a capability in the calling process's CSpace.
type Slot uint64

// RAMSlot is where a program finds the RAM capability it gets at start
// (if its core had room for one).
const RAMSlot Slot = kpi.RAMSlot

// MemSlot is where a program finds the memory service's client
// capability, which AllocRAM uses: the authority to ask for RAM, up to
// the process's limit (MemLimit).
const MemSlot Slot = kpi.MemSlot

// Info is what Identify returns.
type Info struct {
	Type   cap.Type
	Base   uint64
	Size   uint64
	Rights cap.Rights
	Owner  int           // the core that owns it
	Remote cap.Relations // which relatives live on other cores
}

func call(nr uintptr, args ...uintptr) (uintptr, error) {
	var a [6]uintptr
	copy(a[:], args)
	r, _, e := syscall.RawSyscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5])
	if e != 0 {
		return 0, e
	}
	return r, nil
}

// Identify returns the capability in s.
func Identify(s Slot) (Info, error) {
	var b [6]uint64
	if _, err := call(kpi.SysCapIdentify, uintptr(s), uintptr(unsafe.Pointer(&b[0]))); err != nil {
		return Info{}, err
	}
	return Info{Type: cap.Type(b[0]), Base: b[1], Size: b[2], Rights: cap.Rights(b[3]), Owner: int(b[4]), Remote: cap.Relations(b[5])}, nil
}

// Retype makes count objects of type t, each objSize bytes (0: the type's
// fixed size), from offset into s's range, and returns the slot of the
// first; the others take the next free slots.
func Retype(s Slot, t cap.Type, offset, objSize, count uint64) (Slot, error) {
	r, err := call(kpi.SysCapRetype, uintptr(s), uintptr(t), uintptr(offset), uintptr(objSize), uintptr(count))
	return Slot(r), err
}

// Copy copies s into a new slot.
func Copy(s Slot) (Slot, error) {
	r, err := call(kpi.SysCapCopy, uintptr(s))
	return Slot(r), err
}

// Mint copies s into a new slot with only the rights r.
func Mint(s Slot, r cap.Rights) (Slot, error) {
	n, err := call(kpi.SysCapMint, uintptr(s), uintptr(r))
	return Slot(n), err
}

// Delete deletes the capability in s (and unmaps it).
func Delete(s Slot) error {
	_, err := call(kpi.SysCapDelete, uintptr(s))
	return err
}

// Revoke deletes every copy and descendant of s on this core (and their
// mappings) and returns how many.
func Revoke(s Slot) (int, error) {
	n, err := call(kpi.SysCapRevoke, uintptr(s))
	return int(n), err
}

// Map maps the Frame in s at va with prot (syscall.PROT_READ, _WRITE,
// _EXEC), which s's rights must allow.
func Map(s Slot, va uintptr, prot int) error {
	_, err := call(kpi.SysCapMap, uintptr(s), va, uintptr(prot))
	return err
}

// Unmap removes the mapping Map made at va.
func Unmap(va uintptr) error {
	_, err := call(kpi.SysCapUnmap, va)
	return err
}

// Send sends a copy of the capability in s, which must carry the grant
// right, to endpoint ep of core (through the two cores' monitors): the
// program there that receives on ep takes it. Frames and DevFrames
// travel; RAM stays with its core.
func Send(s Slot, core int, ep uint32) error {
	_, err := call(kpi.SysCapSend, uintptr(s), uintptr(core), uintptr(ep))
	return err
}

// Receive takes the oldest capability sent to endpoint ep of this core
// into a new slot, waiting at most timeout (0: no limit). The first
// program to receive on ep binds it until it ends; another gets EBUSY.
func Receive(ep uint32, timeout time.Duration) (Slot, error) {
	r, _, e := syscall.Syscall(kpi.SysCapReceive, uintptr(ep), uintptr(timeout), 0)
	if e != 0 {
		return 0, e
	}
	return Slot(r), nil
}

// In reads width (1, 2 or 4) bytes from I/O port port through the IO
// capability in s.
func In(s Slot, port uint16, width int) (uint32, error) {
	r, err := call(kpi.SysCapIO, uintptr(s), uintptr(kpi.IORead|width), uintptr(port))
	return uint32(r), err
}

// Out writes the low width (1, 2 or 4) bytes of v to I/O port port
// through the IO capability in s.
func Out(s Slot, port uint16, width int, v uint32) error {
	_, err := call(kpi.SysCapIO, uintptr(s), uintptr(kpi.IOWrite|width), uintptr(port), uintptr(v))
	return err
}

// WaitIRQ waits until the interrupt count of the IRQ capability in s's
// line differs from seen, or timeout passes (0: no limit; negative: only
// read the count), and returns the count. The first call routes the line
// to the calling program. A level-triggered line is masked when it fires
// and unmasked by the next call that waits: acknowledge the device
// before it.
func WaitIRQ(s Slot, seen uint64, timeout time.Duration) (uint64, error) {
	r, err := call(kpi.SysCapIRQ, uintptr(s), uintptr(seen), uintptr(timeout))
	return uint64(r), err
}

// VNodes returns the calling program's page tables in use by level (0
// PT, 1 PD, 2 PDPT, 3 PML4), and how many of each are VNode capabilities.
func VNodes() (inUse, vnodes [4]uint64, err error) {
	var b [8]uint64
	_, err = call(kpi.SysCapVNodes, uintptr(unsafe.Pointer(&b[0])))
	copy(inUse[:], b[:4])
	copy(vnodes[:], b[4:])
	return inUse, vnodes, err
}

// AllocRAM returns a new RAM capability of size bytes (a page multiple)
// of NUMA node node (kpi.AnyNode: the caller's own, or the nearest with
// room), from the memory service when the core has none of that node,
// through the client capability in MemSlot. It fails with ENOMEM past the
// process's limit.
func AllocRAM(size uint64, node int) (Slot, error) {
	return AllocRAMWith(MemSlot, size, node)
}

// AllocRAMWith is AllocRAM through the client capability in slot s.
func AllocRAMWith(s Slot, size uint64, node int) (Slot, error) {
	r, err := call(kpi.SysMemAlloc, uintptr(s), uintptr(size), uintptr(node))
	return Slot(r), err
}

// MemLimit returns the calling process's limit on RAM from AllocRAM and
// how much of it it holds (RAM it took and has not deleted, or still
// uses through what it retyped from it).
func MemLimit() (limit, used uint64, err error) {
	var q [2]uint64
	_, err = call(kpi.SysMemInfo, 0, 0, uintptr(unsafe.Pointer(&q[0])))
	return q[0], q[1], err
}

// MemInfo returns the bytes of the calling core's RAM capabilities by
// node (nodes 0 to n-1), and how many grants of the memory service it
// received.
func MemInfo(n int) (byNode []uint64, grants int, err error) {
	byNode = make([]uint64, n)
	var p *uint64
	if n > 0 {
		p = &byNode[0]
	}
	r, err := call(kpi.SysMemInfo, uintptr(unsafe.Pointer(p)), uintptr(n))
	return byNode, int(r), err
}
