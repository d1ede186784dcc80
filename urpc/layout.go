package urpc

import (
	"encoding/binary"
	"unsafe"
)

// LineSize is the size of a slot and of a control line: one cache line.
const LineSize = 64

// PayloadSize is the number of payload bytes a slot carries (words 0-6).
const PayloadSize = 56

// MaxMessageLimit is the largest message length the header can describe
// (24 bits of length).
const MaxMessageLimit = 1<<24 - 1

// controlLines is the number of lines in front of the two rings: two per
// party.
const controlLines = 4

// slot is one ring entry: words 0-6 payload, word 7 header.
type slot [8]uint64

// payload returns words 0-6 of s as bytes.
func (s *slot) payload() *[PayloadSize]byte {
	return (*[PayloadSize]byte)(unsafe.Pointer(s))
}

// fill stores data into the payload of s a word at a time, little-endian
// like the rest of the slot; the bytes of the last word past the end of
// data become zero. For the short messages of the fast path this is a few
// moves where a copy would be a call. The caller guarantees len(data) <=
// PayloadSize (beyond it fill would reach the header word).
func (s *slot) fill(data []byte) {
	i := 0
	for len(data) >= 8 {
		s[i&7] = binary.LittleEndian.Uint64(data)
		data = data[8:]
		i++
	}
	if len(data) > 0 {
		var w uint64
		for j := len(data) - 1; j >= 0; j-- {
			w = w<<8 | uint64(data[j])
		}
		s[i&7] = w
	}
}

// control is one party's pair of control lines. Every word is written only
// by the party that owns it, with atomic stores, and read by its peer with
// atomic loads. The ack word has a line of its own: the receiver stores it
// every few messages, while the peer's sender loads the waiting words on
// every Flush, and on a shared line each ack would take that line away from
// the sender (and the sender's next Flush would fetch it back).
type control struct {
	ack       uint64 // slots the owner consumed from its receive ring
	_         [7]uint64
	rxWaiting uint64 // 1 while the owner may sleep waiting for a message
	txWaiting uint64 // 1 while the owner may sleep waiting for credit
	_         [6]uint64
}

// RegionSize returns the size in bytes of a region with slots slots per ring.
func RegionSize(slots int) int {
	return (controlLines + 2*slots) * LineSize
}

// NewRegion returns zeroed, 64-byte aligned host memory for a channel with
// slots slots per ring. The guest instead hands New a shared frame.
func NewRegion(slots int) []byte {
	size := RegionSize(slots)
	raw := make([]byte, size+LineSize-1)
	off := (LineSize - int(uintptr(unsafe.Pointer(&raw[0]))%LineSize)) % LineSize
	return raw[off : off+size : off+size]
}

// ringSlots returns how many slots per ring a region of size bytes holds.
func ringSlots(size int) int {
	return (size/LineSize - controlLines) / 2
}

// lines views mem, already checked for size and alignment, as slots.
func lines(mem []byte) []slot {
	return unsafe.Slice((*slot)(unsafe.Pointer(&mem[0])), len(mem)/LineSize)
}
