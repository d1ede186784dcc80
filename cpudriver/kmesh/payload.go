package kmesh

import "encoding/binary"

// Payloads are little-endian 64-bit words, like the urpc slot that
// carries them: putWords and getWords convert a payload of len(w)*8
// bytes. Decoding never fails on length (dispatch checked it against the
// table); each type's decoder checks the words' values.

// putWords encodes w.
func putWords(w ...uint64) []byte {
	b := make([]byte, 8*len(w))
	for i, v := range w {
		binary.LittleEndian.PutUint64(b[8*i:], v)
	}
	return b
}

// getWords decodes len(w) words from b, which holds at least that many.
func getWords(b []byte, w []uint64) {
	for i := range w {
		w[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
}
