package stub

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestCodecRoundTrip encodes one value of every kind and decodes it back.
func TestCodecRoundTrip(t *testing.T) {
	var e Encoder
	e.Uint8(0xab)
	e.Uint16(0xabcd)
	e.Uint32(0xabcdef01)
	e.Uint64(0xabcdef0123456789)
	e.Int8(-1)
	e.Int16(-2)
	e.Int32(-3)
	e.Int64(-4)
	e.Bool(true)
	e.Bool(false)
	e.String("short", 255)
	e.String(strings.Repeat("m", 300), 65535)
	e.Bytes([]byte{1, 2, 3}, 1<<16)
	e.Bytes(nil, 4)
	if e.Err() != nil {
		t.Fatal(e.Err())
	}
	if n := len(e.Data()); n != 1+2+4+8+1+2+4+8+1+1+(1+5)+(2+300)+(4+3)+1 {
		t.Fatalf("encoded %d bytes", n)
	}
	d := NewDecoder(e.Data())
	got := []any{d.Uint8(), d.Uint16(), d.Uint32(), d.Uint64(), d.Int8(), d.Int16(), d.Int32(), d.Int64(),
		d.Bool(), d.Bool(), d.String(255), d.String(65535)}
	want := []any{uint8(0xab), uint16(0xabcd), uint32(0xabcdef01), uint64(0xabcdef0123456789),
		int8(-1), int16(-2), int32(-3), int64(-4), true, false, "short", strings.Repeat("m", 300)}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("value %d: %v, want %v", i, got[i], want[i])
		}
	}
	if b := d.Bytes(1 << 16); !bytes.Equal(b, []byte{1, 2, 3}) {
		t.Errorf("bytes: %v", b)
	}
	if b := d.Bytes(4); b != nil {
		t.Errorf("empty bytes decoded as %v", b)
	}
	if err := d.Finish(); err != nil {
		t.Fatal(err)
	}
}

// TestEncoderBound checks that an over-long string sticks as an error.
func TestEncoderBound(t *testing.T) {
	var e Encoder
	e.String("toolong", 3)
	e.Bytes([]byte("ok"), 3)
	if e.Err() == nil {
		t.Fatal("no error for 7 bytes in a string<3>")
	}
	e.Reset()
	if e.Err() != nil || len(e.Data()) != 0 {
		t.Fatal("Reset kept state")
	}
}

// TestDecoderRejects checks every way a message can fail to decode.
func TestDecoderRejects(t *testing.T) {
	for name, tc := range map[string]struct {
		data []byte
		read func(*Decoder)
	}{
		"short":            {[]byte{1, 2, 3}, func(d *Decoder) { d.Uint32() }},
		"trailing":         {[]byte{1, 2}, func(d *Decoder) { d.Uint8() }},
		"bool":             {[]byte{2}, func(d *Decoder) { d.Bool() }},
		"bound":            {[]byte{5, 'a', 'b', 'c', 'd', 'e'}, func(d *Decoder) { d.String(4) }},
		"truncated string": {[]byte{5, 'a'}, func(d *Decoder) { d.Bytes(9) }},
	} {
		d := NewDecoder(tc.data)
		tc.read(&d)
		var de *DecodeError
		if err := d.Finish(); !errors.As(err, &de) {
			t.Errorf("%s: %v, want a DecodeError", name, err)
		}
	}
}

// TestLengthPrefix checks the prefix widths the wire format documents.
func TestLengthPrefix(t *testing.T) {
	for max, want := range map[int]int{1: 1, 255: 1, 256: 2, 65535: 2, 65536: 4, 1 << 24: 4} {
		if got := LengthPrefix(max); got != want {
			t.Errorf("LengthPrefix(%d) = %d, want %d", max, got, want)
		}
	}
}
