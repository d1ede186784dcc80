package linux

import (
	"encoding/binary"

	"multikernel/cpudriver/addrspace"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/memory"
	"multikernel/cpudriver/proc"
)

// NUMA policy. Every program has Linux's default policy: a page comes
// from the node of the core whose thread touched it first (for a
// spanning program, the node of that thread's core; docs/spanning.md,
// "Memory"), falling back to other nodes when it has none.
// get_mempolicy reports that policy and, with MPOL_F_NODE|MPOL_F_ADDR,
// the node a page came from, which is how a program (or a test) checks
// where its memory is. set_mempolicy and mbind are not implemented
// (ENOSYS): no other policy exists.

// get_mempolicy's flags and the default policy (linux/mempolicy.h).
const (
	mpolDefault      = 0
	mpolFNode        = 1 << 0
	mpolFAddr        = 1 << 1
	mpolFMemsAllowed = 1 << 2
)

// getMempolicy is get_mempolicy(mode, nodemask, maxnode, addr, flags), as
// Linux answers it under the default policy: EINVAL for unknown flags,
// MPOL_F_MEMS_ALLOWED with another flag, an addr without MPOL_F_ADDR,
// MPOL_F_NODE without MPOL_F_ADDR (that asks for an interleave policy's
// next node), or a nodemask shorter than the machine's nodes; EFAULT
// for an addr no mapping holds. With MPOL_F_NODE|MPOL_F_ADDR, mode gets
// the node of the page at addr, faulted in first (as Linux does) if no
// page is there yet.
func getMempolicy(t *proc.Thread, a [6]uint64) int64 {
	mode, nmask, maxnode, addr, flags := a[0], a[1], a[2], a[3], a[4]
	nodes := proc.Nodes()
	switch {
	case flags&^(mpolFNode|mpolFAddr|mpolFMemsAllowed) != 0,
		flags&mpolFMemsAllowed != 0 && flags&(mpolFNode|mpolFAddr) != 0,
		flags&mpolFAddr == 0 && addr != 0,
		flags&mpolFNode != 0 && flags&mpolFAddr == 0,
		nmask != 0 && maxnode < uint64(nodes):
		return -kpi.EINVAL
	}
	val := int64(mpolDefault)
	if flags&mpolFAddr != 0 {
		node, e := pageNode(t, addr, flags&mpolFNode != 0)
		if e != 0 {
			return e
		}
		if flags&mpolFNode != 0 {
			val = int64(node)
		}
	}
	if mode != 0 {
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], uint32(val))
		if t.CopyOut(mode, b[:]) != nil {
			return -kpi.EFAULT
		}
	}
	if nmask == 0 {
		return 0
	}
	// Linux writes the mask rounded up to longs from maxnode-1 bits, at
	// most a page of it; under the default policy it is empty, and with
	// MPOL_F_MEMS_ALLOWED it holds every node.
	size := (maxnode - 1 + 63) / 64 * 8
	if size > 4096 {
		return -kpi.EINVAL
	}
	b := make([]byte, size)
	if flags&mpolFMemsAllowed != 0 {
		for n := range nodes {
			b[n/8] |= 1 << (n % 8)
		}
	}
	if t.CopyOut(nmask, b) != nil {
		return -kpi.EFAULT
	}
	return 0
}

// pageNode checks that a mapping holds addr and, if node is set, returns
// the NUMA node of its page, faulting it in (for reading, from the
// calling thread's node) when none is there: EFAULT when no mapping
// holds addr or it cannot be read.
func pageNode(t *proc.Thread, addr uint64, node bool) (int, int64) {
	n := 0
	err := t.Proc().WithSpace(func(s *addrspace.Space) error {
		if _, ok := s.Areas().Find(addr); !ok {
			return addrspace.ErrFault
		}
		if !node {
			return nil
		}
		pa, ok := s.PhysAt(addr)
		if !ok {
			mapped, err := s.FaultOn(addr, false, false, t.Node())
			if err != nil || !mapped {
				return orFault(err)
			}
			pa, _ = s.PhysAt(addr)
		}
		n = max(proc.NodeOfAddr(pa), 0)
		return nil
	})
	switch {
	case err == memory.ErrNoMemory:
		return 0, -kpi.ENOMEM
	case err != nil:
		return 0, -kpi.EFAULT
	}
	return n, 0
}

// orFault is err, or addrspace.ErrFault when it is nil.
func orFault(err error) error {
	if err == nil {
		return addrspace.ErrFault
	}
	return err
}
