package proc

import (
	"encoding/binary"
	"math/rand/v2"
	"sync"

	"multikernel/cpudriver/ring0"
)

var (
	randMu  sync.Mutex
	randGen *rand.ChaCha8
)

// fillRandom fills b from this core's generator (see getrandom).
func fillRandom(b []byte) {
	randMu.Lock()
	defer randMu.Unlock()
	if randGen == nil {
		var seed [32]byte
		binary.LittleEndian.PutUint64(seed[0:], ring0.Rdtsc())
		binary.LittleEndian.PutUint64(seed[8:], rand.Uint64()) // runtime's AT_RANDOM-seeded source
		binary.LittleEndian.PutUint64(seed[16:], rand.Uint64())
		binary.LittleEndian.PutUint64(seed[24:], ring0.Rdtsc())
		randGen = rand.NewChaCha8(seed)
	}
	randGen.Read(b)
}
