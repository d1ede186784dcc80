package kmesh

import (
	"testing"
	"time"

	"multikernel/urpc"
)

func TestTableIsValid(t *testing.T) {
	if err := checkTable(table[:]); err != nil {
		t.Fatal(err)
	}
	for ty := Type(1); ty < numTypes; ty++ {
		if _, ok := Lookup(ty); !ok {
			t.Errorf("%d is not declared", ty)
		}
	}
	for _, ty := range []Type{0, numTypes, 0xffff} {
		if _, ok := Lookup(ty); ok {
			t.Errorf("%d is declared", ty)
		}
	}
}

func TestCheckTableRefuses(t *testing.T) {
	for name, tbl := range map[string][]Spec{
		"type 0":     {{"zero", 8}},
		"too big":    {{}, {"big", urpc.PayloadSize + 1}},
		"negative":   {{}, {"neg", -1}},
		"twice":      {{}, {"a", 8}, {"a", 8}},
		"size alone": {{}, {"", 8}},
	} {
		if checkTable(tbl) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		m    urpc.Message
		want reason
	}{
		{urpc.Message{Type: uint16(Ping), Data: make([]byte, pingSize)}, fine},
		{urpc.Message{Type: uint16(Pong), Data: make([]byte, pongSize)}, fine},
		{urpc.Message{Type: uint16(Pong), Data: make([]byte, pingSize)}, badLength},
		{urpc.Message{Type: 0}, badType},
		{urpc.Message{Type: uint16(numTypes)}, badType},
	} {
		if got := check(c.m); got != c.want {
			t.Errorf("%v with %d bytes: %v, want %v", Type(c.m.Type), len(c.m.Data), got, c.want)
		}
	}
}

func TestPingPayload(t *testing.T) {
	p := ping{seq: 1<<63 | 5, tsc: 0xdeadbeef, poll: -time.Millisecond}
	b := p.encode()
	q, err := decodePing(b[:])
	if err != nil || q != p {
		t.Errorf("decoded %+v, %v; want %+v", q, err, p)
	}
	for _, poll := range []time.Duration{maxPingPoll + 1, -maxPingPoll - 1} {
		if _, err := decodePing(bytesOf(ping{poll: poll}.encode())); err == nil {
			t.Errorf("poll %v accepted", poll)
		}
	}
	pong := encodePong(3, 4)
	if s, tsc := decodePong(pong[:]); s != 3 || tsc != 4 {
		t.Errorf("pong %d %d", s, tsc)
	}
}
