package trace

// Record is one event as a reader sees it.
type Record struct {
	Time  uint64 // ns since boot
	Event Event
	Core  uint8
	A     uint16
	B     uint32
}

// RecordSize is a record's size in bytes in a ring and in a chunk.
const RecordSize = 16

// pack returns word 1 of a record.
func pack(ev Event, core uint8, a uint16, b uint32) uint64 {
	return uint64(ev) | uint64(core)<<8 | uint64(a)<<16 | uint64(b)<<32
}

// unpack decodes a record from its two words.
func unpack(w0, w1 uint64) Record {
	return Record{Time: w0, Event: Event(w1), Core: uint8(w1 >> 8), A: uint16(w1 >> 16), B: uint32(w1 >> 32)}
}

// MsgB packs a mesh message's type and its number on its directed
// channel into URPCSend's and URPCRecv's B.
func MsgB(typ uint8, seq uint32) uint32 { return uint32(typ)<<24 | seq&0xffffff }

// MsgOf splits URPCSend's or URPCRecv's B into type and number.
func MsgOf(b uint32) (typ uint8, seq uint32) { return uint8(b >> 24), b & 0xffffff }
