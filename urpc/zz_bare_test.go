package urpc_test

import (
	"sync/atomic"
	"testing"
	"unsafe"

	"multikernel/urpc"
)

type bslot [8]uint64

func bareRings() ([]bslot, []bslot) {
	mem := urpc.NewRegion(63)
	ls := unsafe.Slice((*bslot)(unsafe.Pointer(&mem[0])), len(mem)/64)
	return ls[2:65], ls[65:128]
}

func BenchmarkBarePingPong(b *testing.B) {
	ab, ba := bareRings()
	hop := func(tx, rx []bslot, first int) func(from, to int) {
		return func(from, to int) {
			tpos, rpos := 0, 0
			tep, rep := uint64(1), uint64(1)
			for k := from; k < to; k++ {
				if k%2 != first {
					for atomic.LoadUint64(&rx[rpos][7])&1 != rep {
					}
					_ = rx[rpos][0]
					rpos++
					if rpos == len(rx) {
						rpos, rep = 0, rep^1
					}
					continue
				}
				tx[tpos][0] = uint64(k)
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

func BenchmarkBareStream(b *testing.B) {
	ab, _ := bareRings()
	var ack atomic.Uint64
	_ = [64]byte{}
	send := func(from, to int) {
		pos, ep := 0, uint64(1)
		acked := uint64(0)
		for k := from; k < to; k++ {
			for uint64(k)-acked >= uint64(len(ab)) {
				acked = ack.Load()
			}
			ab[pos][0] = uint64(k)
			atomic.StoreUint64(&ab[pos][7], ep|uint64(k)<<56)
			pos++
			if pos == len(ab) {
				pos, ep = 0, ep^1
			}
		}
	}
	recv := func(from, to int) {
		pos, ep := 0, uint64(1)
		for k := from; k < to; k++ {
			for atomic.LoadUint64(&ab[pos][7])&1 != ep {
			}
			_ = ab[pos][0]
			pos++
			if pos == len(ab) {
				pos, ep = 0, ep^1
			}
			if k%15 == 14 {
				ack.Store(uint64(k + 1))
			}
		}
	}
	reportRate(b, runPinned(b, send, recv))
}
