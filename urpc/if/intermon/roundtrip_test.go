package intermon

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"multikernel/urpc"
	"multikernel/urpc/stub"
)

// monitor is a toy monitor: it answers ping with pong, prints into a log,
// serves a one-entry name table, and reports what it received on got.
type monitor struct {
	b   *Binding
	got chan []any
	log []string
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

func (m *monitor) RttRow(core uint16, cycles [16]uint32) error {
	m.got <- []any{"rtt_row", core, cycles}
	return nil
}

func (m *monitor) Print(text string) (uint32, error) {
	m.log = append(m.log, text)
	return uint32(len(text)), nil
}

func (m *monitor) Lookup(name string) (bool, uint64, error) {
	if name == "skb" {
		return true, 0x5b, nil
	}
	if name == "" {
		return false, 0, errors.New("empty name")
	}
	return false, 0, nil
}

// TestRoundTrip sends every intermon message and calls every RPC between
// two monitors over a real urpc channel.
func TestRoundTrip(t *testing.T) {
	ea, eb, err := urpc.NewPair(31, urpc.Config{MaxMessage: MaxMessage}) // a 4 KiB frame
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
	var row [16]uint32
	for i := range row {
		row[i] = uint32(100 * i)
	}
	if err := m0.b.SendRttRow(0, row); err != nil {
		t.Fatal(err)
	}
	if got := <-m1.got; !reflect.DeepEqual(got, []any{"rtt_row", uint16(0), row}) {
		t.Errorf("rtt_row arrived as %v", got)
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
	if found, iref, err := m0.b.Lookup("skb"); err != nil || !found || iref != 0x5b {
		t.Errorf("Lookup(skb): %v %#x %v", found, iref, err)
	}
	if found, _, err := m0.b.Lookup("nothing"); err != nil || found {
		t.Errorf("Lookup(nothing): %v %v", found, err)
	}
	var re *stub.RemoteError
	if _, _, err := m0.b.Lookup(""); !errors.As(err, &re) {
		t.Errorf("Lookup(\"\"): %v, want a RemoteError", err)
	}
	if len(m1.log) != 3 {
		t.Errorf("the peer printed %q", m1.log)
	}
}
