package stub

import (
	"encoding/binary"
	"fmt"
)

// Encoder appends arguments to a message in the wire format. The first error
// (a string or slice over its bound) sticks and is returned by Err.
type Encoder struct {
	buf []byte
	err error
}

// Reset empties e, keeping its buffer, and clears its error.
func (e *Encoder) Reset() {
	e.buf = e.buf[:0]
	e.err = nil
}

// Data returns the encoded message.
func (e *Encoder) Data() []byte { return e.buf }

// Err returns the first encoding error.
func (e *Encoder) Err() error { return e.err }

// Uint8 appends v.
func (e *Encoder) Uint8(v uint8) { e.buf = append(e.buf, v) }

// Uint16 appends v.
func (e *Encoder) Uint16(v uint16) { e.buf = binary.LittleEndian.AppendUint16(e.buf, v) }

// Uint32 appends v.
func (e *Encoder) Uint32(v uint32) { e.buf = binary.LittleEndian.AppendUint32(e.buf, v) }

// Uint64 appends v.
func (e *Encoder) Uint64(v uint64) { e.buf = binary.LittleEndian.AppendUint64(e.buf, v) }

// Int8 appends v.
func (e *Encoder) Int8(v int8) { e.Uint8(uint8(v)) }

// Int16 appends v.
func (e *Encoder) Int16(v int16) { e.Uint16(uint16(v)) }

// Int32 appends v.
func (e *Encoder) Int32(v int32) { e.Uint32(uint32(v)) }

// Int64 appends v.
func (e *Encoder) Int64(v int64) { e.Uint64(uint64(v)) }

// Bool appends v as one byte.
func (e *Encoder) Bool(v bool) {
	b := uint8(0)
	if v {
		b = 1
	}
	e.Uint8(b)
}

// String appends s, which may be at most max bytes long.
func (e *Encoder) String(s string, max int) {
	if e.length(len(s), max) {
		e.buf = append(e.buf, s...)
	}
}

// Bytes appends b, which may be at most max bytes long.
func (e *Encoder) Bytes(b []byte, max int) {
	if e.length(len(b), max) {
		e.buf = append(e.buf, b...)
	}
}

// length appends the length prefix of a bounded string or slice and reports
// whether n was within max.
func (e *Encoder) length(n, max int) bool {
	if n > max {
		if e.err == nil {
			e.err = fmt.Errorf("stub: %d bytes exceed the bound of %d", n, max)
		}
		return false
	}
	switch LengthPrefix(max) {
	case 1:
		e.Uint8(uint8(n))
	case 2:
		e.Uint16(uint16(n))
	default:
		e.Uint32(uint32(n))
	}
	return true
}

// LengthPrefix returns the size of the length prefix of a string or byte
// slice bounded by max.
func LengthPrefix(max int) int {
	switch {
	case max < 1<<8:
		return 1
	case max < 1<<16:
		return 2
	}
	return 4
}
