package cap

import "testing"

// FuzzOps decodes the fuzzer's bytes into an operation sequence and checks
// the DB against the model after every step.
func FuzzOps(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 15, 0, 3, 0, 1, 0, 0, 1, 4, 2, 0, 0, 1})
	f.Add([]byte{0, 1, 0, 0, 15, 2, 7, 8, 1, 1, 0, 5, 1, 3, 2, 1, 2, 0, 0, 5, 0, 0})
	f.Add([]byte("retype, copy, mint, delete, revoke: everything at once"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h := newHarness(t)
		src := &sliceSource{b: b}
		for steps := 0; !src.done() && steps < 400; steps++ {
			h.step(genOp(src))
		}
	})
}
