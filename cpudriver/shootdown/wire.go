package shootdown

import (
	"encoding/binary"
	"fmt"
)

// MsgSize is the size of an encoded message: one URPC slot's payload.
const MsgSize = 56

// The layout of an encoded message (doc.go, "Wire format").
const (
	offKind      = 0
	offProto     = 1
	offInitiator = 2
	offFrom      = 3
	offFlags     = 4
	offRanges    = 5
	offSpace     = 6
	offID        = 8
	offGen       = 16
	offSub       = 20
	offRange     = 28 // MaxRanges fields of rangeSize bytes
	rangeSize    = 9  // start page (bits 0-35), end page (bits 36-71)
	flagFull     = 1
	pageBits     = 36
	pageMask     = 1<<pageBits - 1
)

// Encode writes m into b. It refuses a message that Check refuses, so
// that what it writes always decodes.
func Encode(b *[MsgSize]byte, m *Msg) error {
	if err := m.Check(); err != nil {
		return err
	}
	*b = [MsgSize]byte{}
	b[offKind], b[offProto], b[offInitiator], b[offFrom] = byte(m.Kind), byte(m.Proto), m.Op.Initiator, m.From
	if m.Flush.Full {
		b[offFlags] = flagFull
	}
	b[offRanges] = m.Flush.N
	binary.LittleEndian.PutUint16(b[offSpace:], m.Space)
	binary.LittleEndian.PutUint64(b[offID:], m.Op.ID)
	binary.LittleEndian.PutUint32(b[offGen:], m.Op.Gen)
	binary.LittleEndian.PutUint64(b[offSub:], uint64(m.Sub))
	for i, r := range m.Flush.Ranges() {
		f := b[offRange+i*rangeSize:]
		s, e := r.Start/PageSize, r.End/PageSize
		binary.LittleEndian.PutUint64(f, s|e<<pageBits)
		f[8] = byte(e >> (64 - pageBits))
	}
	return nil
}

// Decode returns the message in b, which must be MsgSize bytes. Anything
// a correct peer's Encode cannot have written is an error wrapping ErrMsg:
// an unknown kind or protocol, a core out of range, set reserved bits or
// bytes, a range that is empty, ends before it starts or leaves the user
// half (a non-canonical or kernel address), ranges out of order.
func Decode(b []byte) (Msg, error) {
	if len(b) != MsgSize {
		return Msg{}, fmt.Errorf("%w: %d bytes, want %d", ErrMsg, len(b), MsgSize)
	}
	if b[MsgSize-1] != 0 || b[offFlags]&^flagFull != 0 {
		return Msg{}, fmt.Errorf("%w: reserved bits set", ErrMsg)
	}
	n := b[offRanges]
	if n > MaxRanges {
		return Msg{}, fmt.Errorf("%w: %d ranges, at most %d", ErrMsg, n, MaxRanges)
	}
	m := Msg{
		Kind:  Kind(b[offKind]),
		Proto: Protocol(b[offProto]),
		Op: Op{
			Initiator: b[offInitiator],
			ID:        binary.LittleEndian.Uint64(b[offID:]),
			Gen:       binary.LittleEndian.Uint32(b[offGen:]),
		},
		From:  b[offFrom],
		Space: binary.LittleEndian.Uint16(b[offSpace:]),
		Sub:   CoreSet(binary.LittleEndian.Uint64(b[offSub:])),
		Flush: Flush{Full: b[offFlags]&flagFull != 0, N: n},
	}
	for i := range MaxRanges {
		f := b[offRange+i*rangeSize:]
		lo, hi := binary.LittleEndian.Uint64(f), uint64(f[8])
		if i >= int(n) {
			if lo != 0 || hi != 0 {
				return Msg{}, fmt.Errorf("%w: a range past the count", ErrMsg)
			}
			continue
		}
		s, e := lo&pageMask, lo>>pageBits|hi<<(64-pageBits)
		m.Flush.R[i] = Range{Start: s * PageSize, End: e * PageSize}
	}
	if err := m.Check(); err != nil {
		return Msg{}, err
	}
	return m, nil
}
