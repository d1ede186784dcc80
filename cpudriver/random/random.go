// Package random is the CPU driver's source of random bytes for
// getrandom and AT_RANDOM (README.md, "Randomness"):
// a ChaCha8 generator per core, keyed from a 32-byte pool into which
// everything gathered is folded, 32 bytes at a time, by keying ChaCha8
// with the pool XOR the block and taking its first 32 bytes as the new
// pool (crypto/sha256 is not used: it brings the FIPS module's 32 MiB
// buffer into every core's writable segment). Gathered: at start, RDRAND words where CPUID has RDRAND (family
// 10h does not), 64 samples of the phase between the TSC and the PIT, the
// TSC, and the CPU driver runtime's own seed; then the TSC of every
// interrupt a program's thread took (time-slice ends, notifications,
// device lines: their arrival against the TSC varies), and RDRAND again
// at each reseed. The generator is keyed anew from the pool whenever
// interrupts arrived since the last time.
package random

import (
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"multikernel/cpudriver/ring0"
)

// samples are the TSC stamps of recent interrupts, written by the core's
// thread loops (AddInterrupt), read when the generator is keyed.
var (
	samples [64]atomic.Uint64
	sampleN atomic.Uint64 // stamps written so far
)

// random is this core's generator; guarded by mu.
var state struct {
	mu   sync.Mutex
	pool [32]byte
	gen  *rand.ChaCha8
	seen uint64 // sampleN when the generator was last keyed
}

// AddInterrupt records the TSC at which an interrupt reached a
// program's thread.
func AddInterrupt(tsc uint64) {
	i := sampleN.Add(1)
	samples[i%uint64(len(samples))].Store(tsc)
}

// rekeyLocked folds what was gathered into the pool and keys the
// generator from it. state.mu is held.
func rekeyLocked() {
	var in []uint64
	if state.gen == nil {
		in = append(in, ring0.PITJitter(64)...)
		in = append(in, rand.Uint64()) // the CPU driver runtime's seed
	}
	for range 4 {
		if v, ok := ring0.Rdrand(); ok {
			in = append(in, v)
		}
	}
	n := sampleN.Load()
	in = append(in, n)
	for i := range samples {
		in = append(in, samples[i].Load())
	}
	in = append(in, ring0.Rdtsc())
	for len(in) > 0 {
		k := state.pool
		for i := 0; i < 4 && i < len(in); i++ {
			binary.LittleEndian.PutUint64(k[8*i:], binary.LittleEndian.Uint64(k[8*i:])^in[i])
		}
		in = in[min(4, len(in)):]
		rand.NewChaCha8(k).Read(state.pool[:])
	}
	state.gen = rand.NewChaCha8(state.pool)
	state.seen = n
}

// Fill fills b from this core's generator.
func Fill(b []byte) {
	state.mu.Lock()
	defer state.mu.Unlock()
	if state.gen == nil || sampleN.Load() != state.seen {
		rekeyLocked()
	}
	state.gen.Read(b)
}
