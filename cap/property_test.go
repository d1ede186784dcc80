package cap

import (
	"math/rand/v2"
	"testing"
)

type randSource struct{ r *rand.Rand }

func (s randSource) next() byte { return byte(s.r.Uint32()) }

// TestModelAgreement applies long random operation sequences to the DB and
// to the reference model and checks, after every step, that they agree
// and that the invariants hold.
func TestModelAgreement(t *testing.T) {
	seeds, steps := 40, 3000
	if testing.Short() {
		seeds, steps = 8, 1500
	}
	placeholders := 0
	defer func() {
		if placeholders == 0 {
			t.Errorf("no delete left a placeholder: the sequences miss the remote-descendant case")
		}
	}()
	for seed := range seeds {
		h := newHarness(t)
		src := randSource{rand.New(rand.NewPCG(uint64(seed), 7))}
		// Start from a populated machine: memory, ports, vectors.
		h.step(op{kind: opCreate, c: Cap{Type: RAM, Base: 0, Size: 8 * pageSize, Rights: AllRights}})
		h.step(op{kind: opCreate, c: Cap{Type: PhysAddr, Base: 8 * pageSize, Size: 8 * pageSize, Rights: AllRights}})
		h.step(op{kind: opCreate, c: Cap{Type: IO, Base: 0, Size: 64, Rights: AllRights}})
		h.step(op{kind: opCreate, c: Cap{Type: IRQTable, Base: 0, Size: 16, Rights: AllRights}})
		for range steps {
			h.step(genOp(src))
			if len(h.m.live) > 80 {
				// Keep the state small enough to compare fully; the
				// monitors' revoke also takes what has relatives elsewhere.
				h.step(op{kind: opRevokeAgreed, pick: 0})
			}
		}
		placeholders += h.placeholders
	}
}
