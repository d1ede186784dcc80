package shootdown

import (
	"encoding/binary"
	"errors"
	"testing"
)

// validMsgs are well-formed messages of every shape.
func validMsgs() []Msg {
	return []Msg{
		{Kind: Request, Proto: Unicast, Op: Op{0, 1, 1}, From: 0, Sub: SetOf(5), Flush: Flush{N: 1, R: [3]Range{pg(3, 4)}}},
		{Kind: Request, Proto: Broadcast, Op: Op{63, ^uint32(0), ^uint64(0)}, From: 63, Sub: SetOf(0), Flush: FullFlush},
		{Kind: Request, Proto: NUMAMulticast, Op: Op{2, 7, 9}, From: 2, Sub: SetOf(12, 13, 14, 15),
			Flush: Flush{N: 3, R: [3]Range{pg(0, 1), pg(5, 6), {UserTop - 2*PageSize, UserTop}}}},
		{Kind: Request, Proto: Multicast, Op: Op{2, 7, 9}, From: 12, Space: 0xbeef, Sub: SetOf(13), Flush: FullFlush},
		{Kind: Ack, Proto: Multicast, Op: Op{2, 7, 9}, From: 12, Space: 1, Sub: SetOf(12, 13, 14, 15)},
		{Kind: Ack, Proto: Unicast, Op: Op{0, 0, 1}, From: 63, Sub: SetOf(63)},
	}
}

// TestWireRoundTrip checks that every valid message decodes as encoded.
func TestWireRoundTrip(t *testing.T) {
	for _, m := range validMsgs() {
		var b [MsgSize]byte
		if err := Encode(&b, &m); err != nil {
			t.Fatalf("%v: %v", &m, err)
		}
		got, err := Decode(b[:])
		if err != nil || got != m {
			t.Errorf("%v: decoded %v (%v)", &m, &got, err)
		}
	}
}

// TestWireMalformed checks that what a buggy peer could write is an
// error: each case spoils one encoded valid message.
func TestWireMalformed(t *testing.T) {
	base := validMsgs()[2] // a multicast request with three ranges
	var good [MsgSize]byte
	if err := Encode(&good, &base); err != nil {
		t.Fatal(err)
	}
	setRange := func(i int, s, e uint64) func(b []byte) {
		return func(b []byte) {
			f := b[offRange+i*rangeSize:]
			binary.LittleEndian.PutUint64(f, s|e<<pageBits)
			f[8] = byte(e >> (64 - pageBits))
		}
	}
	for _, c := range []struct {
		name  string
		spoil func(b []byte)
	}{
		{"bad kind", func(b []byte) { b[offKind] = 3 }},
		{"kind zero", func(b []byte) { b[offKind] = 0 }},
		{"unknown protocol", func(b []byte) { b[offProto] = 4 }},
		{"initiator out of range", func(b []byte) { b[offInitiator] = 64 }},
		{"sender out of range", func(b []byte) { b[offFrom] = 200 }},
		{"reserved flag", func(b []byte) { b[offFlags] |= 2 }},
		{"reserved byte", func(b []byte) { b[MsgSize-1] = 1 }},
		{"last byte", func(b []byte) { b[MsgSize-1] = 1 }},
		{"too many ranges", func(b []byte) { b[offRanges] = 4 }},
		{"no ranges, not full", func(b []byte) { b[offRanges] = 0 }},
		{"full with ranges", func(b []byte) { b[offFlags] = flagFull }},
		{"range past the count", func(b []byte) { b[offRanges] = 2 }},
		{"operation zero", func(b []byte) { binary.LittleEndian.PutUint64(b[offID:], 0) }},
		{"empty subtree", func(b []byte) { binary.LittleEndian.PutUint64(b[offSub:], 0) }},
		{"subtree holds the initiator", func(b []byte) { b[offSub] |= 1 << 2 }},
		{"end before start", setRange(0, 5, 4)},
		{"empty range", setRange(0, 5, 5)},
		{"non-canonical", setRange(2, UserTop/PageSize, UserTop/PageSize+1)},
		{"kernel half", setRange(2, UserTop/PageSize-1, 1<<pageBits-1)},
		{"out of order", setRange(1, 0, 1)},
		{"adjacent", setRange(1, 1, 2)},
		{"unicast from another core", func(b []byte) { b[offProto] = byte(Unicast); b[offFrom] = 12; b[offSub] = 0; b[offSub+1] = 1 << 5 }},
	} {
		b := good
		c.spoil(b[:])
		if _, err := Decode(b[:]); !errors.Is(err, ErrMsg) {
			t.Errorf("%s: %v, want ErrMsg", c.name, err)
		}
	}
	for _, n := range []int{0, 55, 57, 64} {
		if _, err := Decode(make([]byte, n)); !errors.Is(err, ErrMsg) {
			t.Errorf("%d bytes: %v", n, err)
		}
	}
	ack := validMsgs()[4]
	ack.Flush = FullFlush
	var b [MsgSize]byte
	if err := Encode(&b, &ack); err == nil {
		t.Error("an ack with a flush was encoded")
	}
}

// FuzzDecode checks that Decode never panics and that whatever it
// accepts encodes back to the same bytes.
func FuzzDecode(f *testing.F) {
	for _, m := range validMsgs() {
		var b [MsgSize]byte
		if err := Encode(&b, &m); err != nil {
			f.Fatal(err)
		}
		f.Add(b[:])
	}
	f.Add(make([]byte, MsgSize))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data)
		if err != nil {
			return
		}
		var b [MsgSize]byte
		if err := Encode(&b, &m); err != nil {
			t.Fatalf("decoded %v does not encode: %v", &m, err)
		}
		if string(b[:]) != string(data) {
			t.Fatalf("%v re-encodes as %x, was %x", &m, b, data)
		}
	})
}
