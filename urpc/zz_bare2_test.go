package urpc_test

import (
	"sync/atomic"
	"testing"
)

func benchBareVariant(b *testing.B, slots int, payload bool) {
	ab, ba := bareRings()
	ab, ba = ab[:slots], ba[:slots]
	n := b.N
	hop := func(tx, rx []bslot, first int) func() {
		return func() {
			tpos, rpos := 0, 0
			tep, rep := uint64(1), uint64(1)
			for k := 0; k < n; k++ {
				if k%2 != first {
					for atomic.LoadUint64(&rx[rpos][7])&1 != rep {
					}
					rpos++
					if rpos == len(rx) {
						rpos, rep = 0, rep^1
					}
					continue
				}
				if payload {
					tx[tpos][0] = uint64(k)
				}
				atomic.StoreUint64(&tx[tpos][7], tep|uint64(k)<<56)
				tpos++
				if tpos == len(tx) {
					tpos, tep = 0, tep^1
				}
			}
		}
	}
	runPinned(b, hop(ab, ba, 0), hop(ba, ab, 1))
}

func BenchmarkBareVar(b *testing.B) {
	b.Run("63-payload", func(b *testing.B) { benchBareVariant(b, 63, true) })
	b.Run("63-hdronly", func(b *testing.B) { benchBareVariant(b, 63, false) })
	b.Run("1-payload", func(b *testing.B) { benchBareVariant(b, 1, true) })
	b.Run("1-hdronly", func(b *testing.B) { benchBareVariant(b, 1, false) })
	b.Run("raw", benchRawline)
}
