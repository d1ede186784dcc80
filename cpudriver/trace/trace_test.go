package trace

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

func TestParseClasses(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Mask
		err  string
	}{
		{"", DefaultClasses(), ""},
		{"all", ClassMask(Classes()...), ""},
		{"urpc", 1<<URPCSend | 1<<URPCRecv, ""},
		{"sys,ipi", 1<<SysEnter | 1<<SysExit | 1<<IPISend | 1<<IPIRecv, ""},
		{"urpc,bogus", 0, `trace class "bogus" unknown`},
		{",", 0, `trace class "" unknown`},
	} {
		got, err := ParseClasses(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseClasses(%q) error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseClasses(%q) = %#x, %v; want %#x", tc.in, got, err, tc.want)
		}
	}
	if DefaultClasses()&(1<<SysEnter) != 0 {
		t.Error("the default classes record system calls")
	}
	for e := Event(1); e < numEvents; e++ {
		if eventInfo[e].name == "" {
			t.Errorf("event %d has no name", e)
		}
	}
}

func TestRecordPacking(t *testing.T) {
	r := unpack(42, pack(URPCSend, 15, 0xbeef, MsgB(7, 0x123456)))
	if r != (Record{Time: 42, Event: URPCSend, Core: 15, A: 0xbeef, B: 7<<24 | 0x123456}) {
		t.Fatalf("unpack = %+v", r)
	}
	if typ, seq := MsgOf(r.B); typ != 7 || seq != 0x123456 {
		t.Errorf("MsgOf = %d, %#x", typ, seq)
	}
	if _, seq := MsgOf(MsgB(1, 0x1000001)); seq != 1 {
		t.Errorf("the message number does not wrap at 24 bits: %#x", seq)
	}
}

// newTestRing returns a ring of n records on the heap.
func newTestRing(n int, core uint8) *Ring {
	return NewRing(make([]uint64, RingWords(n)), core)
}

func drainAll(r *Ring) []Record {
	var out []Record
	r.Drain(0, func(w0, w1 uint64) { out = append(out, unpack(w0, w1)) })
	return out
}

// TestRingModel checks a ring against a bounded FIFO queue that counts
// what did not fit, over random interleavings of adds and partial drains.
func TestRingModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(9)
		r := newTestRing(n, 3)
		var model []uint64
		dropped := uint64(0)
		now := uint64(0)
		for step := 0; step < 100; step++ {
			if rng.IntN(3) > 0 {
				now++
				r.Add(now, Fault, 1, uint32(now))
				if len(model) < n {
					model = append(model, now)
				} else {
					dropped++
				}
				continue
			}
			max := rng.IntN(n + 1)
			var got []Record
			took := r.Drain(max, func(w0, w1 uint64) { got = append(got, unpack(w0, w1)) })
			want := len(model)
			if max > 0 {
				want = min(want, max)
			}
			if took != want || len(got) != want {
				t.Fatalf("trial %d step %d: drained %d (%d), want %d", trial, step, took, len(got), want)
			}
			for i, rec := range got {
				if rec.Time != model[i] || rec.B != uint32(model[i]) || rec.Core != 3 || rec.Event != Fault {
					t.Fatalf("trial %d: record %d = %+v, want time %d", trial, i, rec, model[i])
				}
			}
			model = model[want:]
		}
		if r.Dropped() != dropped {
			t.Fatalf("trial %d: dropped %d, want %d", trial, r.Dropped(), dropped)
		}
	}
}

// TestRingConcurrent: goroutines of the owner add while a drainer
// drains; every event is drained exactly once or counted dropped, and
// each producer's events come out in its order.
func TestRingConcurrent(t *testing.T) {
	const producers, each = 4, 5000
	r := newTestRing(64, 0)
	var wg sync.WaitGroup
	for p := 0; p < producers; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1; i <= each; i++ {
				r.Add(uint64(i), Switch, uint16(p), uint32(i))
			}
		}()
	}
	done := make(chan struct{})
	var got []Record
	go func() {
		defer close(done)
		for {
			select {
			case <-done:
				return
			default:
			}
			got = append(got, drainAll(r)...)
		}
	}()
	wg.Wait()
	done <- struct{}{}
	<-done
	got = append(got, drainAll(r)...)
	last := make([]uint32, producers)
	for _, rec := range got {
		if rec.B <= last[rec.A] {
			t.Fatalf("producer %d: event %d after %d", rec.A, rec.B, last[rec.A])
		}
		last[rec.A] = rec.B
	}
	if uint64(len(got))+r.Dropped() != producers*each {
		t.Fatalf("%d drained + %d dropped != %d added", len(got), r.Dropped(), producers*each)
	}
}

func TestOpenRing(t *testing.T) {
	w := make([]uint64, RingWords(8))
	if _, ok := OpenRing(w); ok {
		t.Error("a zeroed page opened as a ring")
	}
	NewRing(w, 9).Add(1, IPIRecv, 0, 0)
	r, ok := OpenRing(w)
	if !ok || r.Core() != 9 || r.Cap() != 8 || len(drainAll(r)) != 1 {
		t.Fatalf("OpenRing = %v, %v", r, ok)
	}
	w[wCap] = 1 << 40
	if _, ok := OpenRing(w); ok {
		t.Error("a ring claiming more records than its memory holds opened")
	}
}

// traceFile drains rings of the given cores, each with n events (times
// interleaved across cores), into one file as the bootstrap core does.
func traceFile(cores []uint8, n int) []byte {
	var file []byte
	d := &Drainer{Write: func(c []byte) { file = append(file, c...) }}
	rings := make([]*Ring, len(cores))
	for i, c := range cores {
		rings[i] = newTestRing(n, c)
		for j := 0; j < n; j++ {
			rings[i].Add(uint64(j*len(cores)+i), ProgStart, 0, uint32(j))
		}
	}
	for _, r := range rings {
		d.Drain(r, true)
	}
	return file
}

func TestChunksRoundTrip(t *testing.T) {
	file := traceFile([]uint8{0, 1, 15}, 3*MaxChunk+5)
	tr := Decode(file)
	if len(tr.Problems) != 0 {
		t.Fatalf("problems: %q", tr.Problems)
	}
	if len(tr.Records) != 3*(3*MaxChunk+5) || len(tr.Cores) != 3 || !tr.Complete[15] {
		t.Fatalf("%d records, cores %v, complete %v", len(tr.Records), tr.Cores, tr.Complete)
	}
	for i, rec := range tr.Records {
		if rec.Time != uint64(i) {
			t.Fatalf("record %d at time %d: not sorted", i, rec.Time)
		}
	}
	// An exact multiple of MaxChunk still ends with a last chunk.
	if tr := Decode(traceFile([]uint8{2}, MaxChunk)); len(tr.Problems) != 0 || !tr.Complete[2] || len(tr.Records) != MaxChunk {
		t.Fatalf("a full chunk: problems %q, complete %v, %d records", tr.Problems, tr.Complete, len(tr.Records))
	}
}

func TestDecodeReportsDamage(t *testing.T) {
	file := traceFile([]uint8{0, 1}, 2*MaxChunk)
	chunk := HeaderSize + MaxChunk*RecordSize
	for _, tc := range []struct {
		name    string
		damage  func([]byte) []byte
		problem string
		records int
	}{
		{"a flipped bit", func(b []byte) []byte { b[HeaderSize+100] ^= 4; return b }, "core 0's chunk of 256 records fails its checksum", 3 * MaxChunk},
		{"a chunk lost", func(b []byte) []byte { return append(b[:chunk:chunk], b[2*chunk:]...) }, "core 0: chunks 1 to 1 are missing", 3 * MaxChunk},
		{"cut short", func(b []byte) []byte { return b[:len(b)-HeaderSize] }, "core 1: no last chunk", 4 * MaxChunk},
		{"cut in a chunk", func(b []byte) []byte { return b[:3*chunk+100] }, "the file ends inside core 1's chunk", 3 * MaxChunk},
		{"noise between chunks", func(b []byte) []byte {
			return append(append(b[:chunk:chunk], "garbage"...), b[chunk:]...)
		}, "offset 4128: 7 bytes that are no chunk", 4 * MaxChunk},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := Decode(tc.damage(bytes.Clone(file)))
			if len(tr.Records) != tc.records {
				t.Errorf("%d records, want %d", len(tr.Records), tc.records)
			}
			if !strings.Contains(strings.Join(tr.Problems, "\n"), tc.problem) {
				t.Errorf("problems %q, want one with %q", tr.Problems, tc.problem)
			}
		})
	}
}

func TestDecodeReportsDropped(t *testing.T) {
	r := newTestRing(4, 5)
	for i := 0; i < 10; i++ {
		r.Add(uint64(i), Fault, 0, 0)
	}
	var file []byte
	(&Drainer{Write: func(c []byte) { file = append(file, c...) }}).Drain(r, true)
	tr := Decode(file)
	if tr.Dropped[5] != 6 || len(tr.Records) != 4 || !strings.Contains(strings.Join(tr.Problems, "\n"), "core 5: 6 events not recorded") {
		t.Fatalf("dropped %v, %d records, problems %q", tr.Dropped, len(tr.Records), tr.Problems)
	}
}

// FuzzDecode: no input makes Decode panic or return a record of an
// unknown event or of a core other than its chunk's.
func FuzzDecode(f *testing.F) {
	f.Add(traceFile([]uint8{0, 3}, 10))
	f.Add([]byte("MKTRACE\x01"))
	f.Add(append(chunkMagic[:], make([]byte, 40)...))
	big := append(chunkMagic[:], make([]byte, HeaderSize)...)
	binary.LittleEndian.PutUint32(big[offCount:], 1<<31)
	f.Add(big)
	f.Fuzz(func(t *testing.T, data []byte) {
		tr := Decode(data)
		for _, r := range tr.Records {
			if !r.Event.Valid() {
				t.Fatalf("record of event %d", r.Event)
			}
		}
	})
}

// TestCRC: the table-driven CRC-32 is IEEE's, in one piece or several.
func TestCRC(t *testing.T) {
	b := []byte("multikernel trace chunk")
	if got, want := crcUpdate(0, b), crc32.ChecksumIEEE(b); got != want {
		t.Fatalf("crc %#x, want %#x", got, want)
	}
	if got := crcUpdate(crcUpdate(0, b[:5]), b[5:]); got != crc32.ChecksumIEEE(b) {
		t.Fatalf("crc in two pieces %#x", got)
	}
}
