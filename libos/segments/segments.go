// Package segments gives a program segments, Corey's physical memory
// objects (docs/segments.md): a segment is a Frame capability retyped
// from RAM that the memory service gives the program, of the caller's
// own NUMA node by default or of a chosen one. A segment is mapped
// into address ranges (libos/ranges, Range.MapSegment) at offsets, by
// any core of the program, and passed to other programs by capability
// (Send, Receive): what one core or program writes into it every other
// that maps it reads. Deleting it (Free) or revoking it removes every
// mapping of it, on every core.
//
// Example (apps/segments):
//
//	seg, err := segments.New(1<<20, segments.AnyNode) // this core's node
//	r, err := ranges.New(1 << core)                   // private to core
//	buf, err := r.MapSegment(0, seg, ranges.Read|ranges.Write)
//	buf[0] = 1
//	err = seg.Send(otherCore, endpoint) // another program maps it too
package segments

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"multikernel/cap"
	"multikernel/cpudriver/kpi"
	"multikernel/libos/capability"
	"multikernel/libos/skbclient"
)

// AnyNode asks New for memory of the calling core's own node (or the
// nearest with room).
const AnyNode = kpi.AnyNode

// Segment is one physical memory object the program holds.
type Segment struct {
	frame capability.Slot // the Frame
	ram   capability.Slot // the RAM it was retyped from, 0 if received
	size  uint64
	base  uint64
	node  int // the node asked for, AnyNode if none
}

// New makes a segment of size bytes (a page multiple) of NUMA node node
// (AnyNode: the caller's own). Its contents start as zeros.
func New(size uint64, node int) (*Segment, error) {
	if size == 0 || size%4096 != 0 {
		return nil, fmt.Errorf("segment of %d bytes: not a positive multiple of the page size", size)
	}
	ram, err := capability.AllocRAM(size, node)
	if err != nil {
		return nil, fmt.Errorf("segment of %d bytes of node %d: RAM: %w", size, node, err)
	}
	f, err := capability.Retype(ram, cap.Frame, 0, size, 1)
	if err != nil {
		capability.Delete(ram)
		return nil, fmt.Errorf("segment of %d bytes: retype to a Frame: %w", size, err)
	}
	in, err := capability.Identify(f)
	if err != nil {
		capability.Delete(f)
		capability.Delete(ram)
		return nil, fmt.Errorf("segment of %d bytes: %w", size, err)
	}
	return &Segment{frame: f, ram: ram, size: size, base: in.Base, node: node}, nil
}

// FromSlot returns the segment whose Frame is in slot s (one received
// from another program, or copied).
func FromSlot(s capability.Slot) (*Segment, error) {
	in, err := capability.Identify(s)
	if err != nil {
		return nil, fmt.Errorf("segment in slot %d: %w", s, err)
	}
	if in.Type != cap.Frame {
		return nil, fmt.Errorf("segment in slot %d: a %v, not a Frame", s, in.Type)
	}
	return &Segment{frame: s, size: in.Size, base: in.Base, node: AnyNode}, nil
}

// Receive waits at most timeout (0: no limit) for a segment sent to
// endpoint ep of this core.
func Receive(ep uint32, timeout time.Duration) (*Segment, error) {
	s, err := capability.Receive(ep, timeout)
	if err != nil {
		return nil, fmt.Errorf("segment from endpoint %d: %w", ep, err)
	}
	return FromSlot(s)
}

// Slot returns the segment's Frame capability.
func (s *Segment) Slot() capability.Slot { return s.frame }

// Size returns its size in bytes.
func (s *Segment) Size() uint64 { return s.size }

// Base returns the physical address of its first byte.
func (s *Segment) Base() uint64 { return s.base }

// Node returns the node New was asked for (AnyNode if none was).
func (s *Segment) Node() int { return s.node }

// HomeNode returns the NUMA node the segment's memory is on, as the
// SKB's memory_region facts place it (docs/skb.md); an error if the SKB
// cannot be asked or no one region holds all of it.
func (s *Segment) HomeNode() (int, error) {
	ans, err := skbclient.Query(fmt.Sprintf("memory_region(B, S, N), B =< %d, %d =< B + S", s.base, s.base+s.size))
	if err != nil {
		return 0, fmt.Errorf("segment at %#x: the SKB: %w", s.base, err)
	}
	for _, a := range ans {
		for _, kv := range strings.Split(a, ", ") {
			if v, ok := strings.CutPrefix(kv, "N = "); ok {
				return strconv.Atoi(v)
			}
		}
	}
	return 0, fmt.Errorf("segment at %#x+%#x: no memory region of the SKB holds it (%q)", s.base, s.size, ans)
}

// Send passes a copy of the segment to endpoint ep of core, for the
// program that receives there (Receive).
func (s *Segment) Send(core int, ep uint32) error {
	if err := capability.Send(s.frame, core, ep); err != nil {
		return fmt.Errorf("segment to core %d endpoint %d: %w", core, ep, err)
	}
	return nil
}

// Free deletes the segment's capabilities. One the program made (New)
// is revoked first: every copy of it goes, in this program and in those
// it was passed to, with every mapping of it on every core, and its
// memory returns. One it received (Receive) only goes from this
// program.
func (s *Segment) Free() error {
	if s.ram != 0 {
		if _, err := capability.Revoke(s.frame); err != nil {
			return fmt.Errorf("segment free: revoke: %w", err)
		}
	}
	if err := capability.Delete(s.frame); err != nil {
		return fmt.Errorf("segment free: %w", err)
	}
	if s.ram != 0 {
		if err := capability.Delete(s.ram); err != nil {
			return fmt.Errorf("segment free: its RAM: %w", err)
		}
	}
	return nil
}
