package intermon

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"multikernel/urpc"
	"multikernel/urpc/stub"
)

// monitor is a toy monitor: it answers ping with pong, prints into a log,
// fakes measurements, keeps a poll setting, and reports what it received
// on got.
type monitor struct {
	b    *Binding
	got  chan []any
	log  []string
	poll int64
}

func (m *monitor) Hello(core uint16, apic uint32, node uint8) error {
	m.got <- []any{"hello", core, apic, node}
	return nil
}

func (m *monitor) Ping(seq, tsc uint64) error { return m.b.SendPong(seq, tsc) }

func (m *monitor) Pong(seq, tsc uint64) error {
	m.got <- []any{"pong", seq, tsc}
	return nil
}

func (m *monitor) Measure(peers uint64, rounds uint32) ([64]uint32, error) {
	var out [64]uint32
	if rounds == 0 {
		return out, errors.New("no rounds")
	}
	for i := range out {
		if peers&(1<<i) != 0 {
			out[i] = uint32(i) * rounds
		}
	}
	return out, nil
}

func (m *monitor) SkbQuery(goal string) (string, error) {
	if goal == "" {
		return "", errors.New("empty goal")
	}
	return strings.Repeat(goal+"\n", 600), nil // longer than the ring: fragments
}

func (m *monitor) Capop(obj, cores, kind, from, to uint8, stamp uint32, opcore, opkind uint8, base, size uint64, vote uint8, hascopy bool, owner uint8) error {
	m.got <- []any{"capop", obj, cores, kind, from, to, stamp, opcore, opkind, base, size, vote, hascopy, owner}
	return nil
}

func (m *monitor) RaceStart(ops uint32, seed uint64) error {
	m.got <- []any{"race_start", ops, seed}
	return nil
}

func (m *monitor) RaceDone(core uint16, committed, conflicts, retries uint32) error {
	m.got <- []any{"race_done", core, committed, conflicts, retries}
	return nil
}

func (m *monitor) CapState(obj uint8) (uint32, [64]uint64, [64]uint64, error) {
	var bases, sizes [64]uint64
	for i := 0; i < int(obj); i++ {
		bases[i], sizes[i] = uint64(i)<<12, 4096
	}
	return uint32(obj), bases, sizes, nil
}

func (m *monitor) CapTransfer(ep uint32, ctype uint8, base, size uint64, rights uint8, owner uint16) error {
	m.got <- []any{"cap_transfer", ep, ctype, base, size, rights, owner}
	return nil
}

func (m *monitor) MemAlloc(token uint32, from uint16, size uint64) error {
	m.got <- []any{"mem_alloc", token, from, size}
	return nil
}

func (m *monitor) MemGrant(token uint32, base, size uint64) error {
	m.got <- []any{"mem_grant", token, base, size}
	return nil
}

func (m *monitor) MemFree(base, size uint64) error {
	m.got <- []any{"mem_free", base, size}
	return nil
}

func (m *monitor) Capfwd(obj, cores, kind, from uint8, stamp uint32, opcore, opkind uint8, base, size uint64, owner uint8, parent [64]uint8) error {
	m.got <- []any{"capfwd", obj, cores, kind, from, stamp, opcore, opkind, base, size, owner, parent[1], parent[63]}
	return nil
}

func (m *monitor) Realop(ctype uint8, obase, osize, members uint64, kind, from, to uint8, stamp uint32, opcore, opkind, vote uint8, hascopy bool, owner uint8, holders, rbase, rsize uint64) error {
	m.got <- []any{"realop", ctype, obase, osize, members, kind, from, to, stamp, opcore, opkind, vote, hascopy, owner, holders, rbase, rsize}
	return nil
}

func (m *monitor) SetPoll(ns int64) (int64, error) {
	prev := m.poll
	m.poll = ns
	return prev, nil
}

func (m *monitor) Print(text string) (uint32, error) {
	m.log = append(m.log, text)
	return uint32(len(text)), nil
}

// TestRoundTrip sends every intermon message and calls every RPC between
// two monitors over a real urpc channel.
func TestRoundTrip(t *testing.T) {
	ea, eb, err := urpc.NewPair(30, urpc.Config{MaxMessage: MaxMessage}) // a 4 KiB frame
	if err != nil {
		t.Fatal(err)
	}
	m0 := &monitor{got: make(chan []any, 4)}
	m1 := &monitor{got: make(chan []any, 4)}
	m0.b, m1.b = NewBinding(ea, m0), NewBinding(eb, m1)
	go func() {
		for m1.b.Next() == nil {
		}
	}()

	if err := m0.b.SendHello(3, 0x13, 1); err != nil {
		t.Fatal(err)
	}
	if got := <-m1.got; !reflect.DeepEqual(got, []any{"hello", uint16(3), uint32(0x13), uint8(1)}) {
		t.Errorf("hello arrived as %v", got)
	}
	for seq := uint64(0); seq < 100; seq++ {
		if err := m0.b.SendPing(seq, seq*7); err != nil {
			t.Fatal(err)
		}
		if err := m0.b.Next(); err != nil { // the pong
			t.Fatal(err)
		}
		if got := <-m0.got; !reflect.DeepEqual(got, []any{"pong", seq, seq * 7}) {
			t.Fatalf("ping %d answered by %v", seq, got)
		}
	}
	for i := 0; i < 3; i++ {
		text := fmt.Sprintf("line %d from core 0", i)
		if n, err := m0.b.Print(text); err != nil || n != uint32(len(text)) {
			t.Fatalf("Print: %d, %v", n, err)
		}
	}
	rtt, err := m0.b.Measure(0b1010, 5)
	if err != nil || rtt[1] != 5 || rtt[3] != 15 || rtt[0] != 0 || rtt[2] != 0 || rtt[63] != 0 {
		t.Errorf("Measure: %v, %v", rtt, err)
	}
	var re *stub.RemoteError
	if _, err := m0.b.Measure(1, 0); !errors.As(err, &re) {
		t.Errorf("Measure with no rounds: %v, want a RemoteError", err)
	}
	if err := m0.b.SendCapop(1, 16, 2, 3, 0, 77, 3, 1, 0x4000, 0x2000, 2, true, 0xff); err != nil {
		t.Fatal(err)
	}
	if got := <-m1.got; !reflect.DeepEqual(got, []any{"capop", uint8(1), uint8(16), uint8(2), uint8(3), uint8(0), uint32(77), uint8(3), uint8(1), uint64(0x4000), uint64(0x2000), uint8(2), true, uint8(0xff)}) {
		t.Errorf("capop arrived as %v", got)
	}
	if err := m0.b.SendCapTransfer(0xfffffffe, 3, 0x10000, 0x1000, 0xf, 2); err != nil {
		t.Fatal(err)
	}
	if got := <-m1.got; !reflect.DeepEqual(got, []any{"cap_transfer", uint32(0xfffffffe), uint8(3), uint64(0x10000), uint64(0x1000), uint8(0xf), uint16(2)}) {
		t.Errorf("cap_transfer arrived as %v", got)
	}
	if err := m0.b.SendMemAlloc(9, 3, 32<<20); err != nil {
		t.Fatal(err)
	}
	if got := <-m1.got; !reflect.DeepEqual(got, []any{"mem_alloc", uint32(9), uint16(3), uint64(32 << 20)}) {
		t.Errorf("mem_alloc arrived as %v", got)
	}
	if err := m0.b.SendMemGrant(9, 0x40000000, 32<<20); err != nil {
		t.Fatal(err)
	}
	if got := <-m1.got; !reflect.DeepEqual(got, []any{"mem_grant", uint32(9), uint64(0x40000000), uint64(32 << 20)}) {
		t.Errorf("mem_grant arrived as %v", got)
	}
	if err := m0.b.SendMemFree(0x40000000, 32<<20); err != nil {
		t.Fatal(err)
	}
	if got := <-m1.got; !reflect.DeepEqual(got, []any{"mem_free", uint64(0x40000000), uint64(32 << 20)}) {
		t.Errorf("mem_free arrived as %v", got)
	}
	if err := m0.b.SendRealop(3, 0x5000, 0x1000, 1<<63|0xf, 1, 0, 2, 7, 0, 2, 0, true, 0, 1<<40|1, 0x6000, 0x2000); err != nil {
		t.Fatal(err)
	}
	if got := <-m1.got; !reflect.DeepEqual(got, []any{"realop", uint8(3), uint64(0x5000), uint64(0x1000), uint64(1<<63 | 0xf), uint8(1), uint8(0), uint8(2), uint32(7), uint8(0), uint8(2), uint8(0), true, uint8(0), uint64(1<<40 | 1), uint64(0x6000), uint64(0x2000)}) {
		t.Errorf("realop arrived as %v", got)
	}
	var parent [64]uint8
	parent[1], parent[63] = 0, 0xff
	if err := m0.b.SendCapfwd(2, 16, 1, 0, 9, 0, 1, 0x3000, 0x1000, 0, parent); err != nil {
		t.Fatal(err)
	}
	if got := <-m1.got; !reflect.DeepEqual(got, []any{"capfwd", uint8(2), uint8(16), uint8(1), uint8(0), uint32(9), uint8(0), uint8(1), uint64(0x3000), uint64(0x1000), uint8(0), uint8(0), uint8(0xff)}) {
		t.Errorf("capfwd arrived as %v", got)
	}
	if err := m0.b.SendRaceStart(8, 1234); err != nil {
		t.Fatal(err)
	}
	if got := <-m1.got; !reflect.DeepEqual(got, []any{"race_start", uint32(8), uint64(1234)}) {
		t.Errorf("race_start arrived as %v", got)
	}
	if err := m0.b.SendRaceDone(5, 3, 4, 100); err != nil {
		t.Fatal(err)
	}
	if got := <-m1.got; !reflect.DeepEqual(got, []any{"race_done", uint16(5), uint32(3), uint32(4), uint32(100)}) {
		t.Errorf("race_done arrived as %v", got)
	}
	if n, bases, sizes, err := m0.b.CapState(3); err != nil || n != 3 || bases[2] != 0x2000 || sizes[2] != 4096 || sizes[3] != 0 {
		t.Errorf("CapState: %d %v %v %v", n, bases[:4], sizes[:4], err)
	}
	answers, err := m0.b.SkbQuery("core(C, A, N)")
	if err != nil || answers != strings.Repeat("core(C, A, N)\n", 600) {
		t.Errorf("SkbQuery: %d bytes, %v", len(answers), err)
	}
	if _, err := m0.b.SkbQuery(""); !errors.As(err, &re) {
		t.Errorf("SkbQuery(\"\"): %v, want a RemoteError", err)
	}
	want := int64(0)
	for _, ns := range []int64{-1, 5000, 0, 7} {
		if prev, err := m0.b.SetPoll(ns); err != nil || prev != want {
			t.Fatalf("SetPoll(%d) = %d, %v; want the previous %d", ns, prev, err, want)
		}
		want = ns
	}
	if len(m1.log) != 3 {
		t.Errorf("the peer printed %q", m1.log)
	}
}
