package kmesh

import "encoding/binary"

// Payloads are little-endian 64-bit words, like the urpc slot that
// carries them: putWords and getWords convert a payload of len(w)*8
// bytes. Decoding never fails on length (dispatch checked it against the
// table); each type's decoder checks the words' values.

// putWords encodes w into b, which has room for them. Encoders fill
// arrays of their type's size, so that sending allocates nothing.
func putWords(b []byte, w ...uint64) {
	for i, v := range w {
		binary.LittleEndian.PutUint64(b[8*i:], v)
	}
}

// getWords decodes len(w) words from b, which holds at least that many.
func getWords(b []byte, w []uint64) {
	for i := range w {
		w[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
}
