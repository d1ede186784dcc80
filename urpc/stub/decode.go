package stub

import (
	"encoding/binary"
	"fmt"
)

// DecodeError reports a message that does not match its declaration.
type DecodeError struct {
	Reason string
}

func (e *DecodeError) Error() string { return "stub: malformed message: " + e.Reason }

// Decoder reads arguments from a received message in the wire format. After
// the first error every read returns a zero value; Finish reports the error.
type Decoder struct {
	data []byte
	err  error
}

// NewDecoder returns a Decoder reading data.
func NewDecoder(data []byte) Decoder { return Decoder{data: data} }

// Finish returns the first decoding error, or an error if bytes are left.
func (d *Decoder) Finish() error {
	if d.err == nil && len(d.data) != 0 {
		d.fail(fmt.Sprintf("%d trailing bytes", len(d.data)))
	}
	return d.err
}

func (d *Decoder) fail(reason string) {
	if d.err == nil {
		d.err = &DecodeError{Reason: reason}
	}
	d.data = nil
}

// take returns the next n bytes, or nil after an error.
func (d *Decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if len(d.data) < n {
		d.fail(fmt.Sprintf("%d bytes needed, %d left", n, len(d.data)))
		return nil
	}
	b := d.data[:n]
	d.data = d.data[n:]
	return b
}

// Uint8 reads a uint8.
func (d *Decoder) Uint8() uint8 {
	if b := d.take(1); b != nil {
		return b[0]
	}
	return 0
}

// Uint16 reads a uint16.
func (d *Decoder) Uint16() uint16 {
	if b := d.take(2); b != nil {
		return binary.LittleEndian.Uint16(b)
	}
	return 0
}

// Uint32 reads a uint32.
func (d *Decoder) Uint32() uint32 {
	if b := d.take(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

// Uint64 reads a uint64.
func (d *Decoder) Uint64() uint64 {
	if b := d.take(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

// Int8 reads an int8.
func (d *Decoder) Int8() int8 { return int8(d.Uint8()) }

// Int16 reads an int16.
func (d *Decoder) Int16() int16 { return int16(d.Uint16()) }

// Int32 reads an int32.
func (d *Decoder) Int32() int32 { return int32(d.Uint32()) }

// Int64 reads an int64.
func (d *Decoder) Int64() int64 { return int64(d.Uint64()) }

// Bool reads a bool, rejecting bytes other than 0 and 1.
func (d *Decoder) Bool() bool {
	switch v := d.Uint8(); v {
	case 0:
		return false
	case 1:
		return true
	default:
		d.fail(fmt.Sprintf("bool byte %#x", v))
		return false
	}
}

// String reads a string of at most max bytes.
func (d *Decoder) String(max int) string {
	return string(d.bounded(max))
}

// Bytes reads a byte slice of at most max bytes into new memory; an empty
// slice reads as nil.
func (d *Decoder) Bytes(max int) []byte {
	b := d.bounded(max)
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}

// bounded reads a length prefix and that many bytes, still in the message.
func (d *Decoder) bounded(max int) []byte {
	var n int
	switch LengthPrefix(max) {
	case 1:
		n = int(d.Uint8())
	case 2:
		n = int(d.Uint16())
	default:
		n = int(d.Uint32())
	}
	if n > max {
		d.fail(fmt.Sprintf("length %d over the bound of %d", n, max))
		return nil
	}
	return d.take(n)
}
