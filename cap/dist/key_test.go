package dist

import (
	"encoding/binary"
	"reflect"
	"testing"
)

// key appends a canonical encoding of w to b: two worlds have the same
// key exactly when they are equal, but for the monitors' immutable core
// and members, which a scenario fixes. (Every field has a fixed length or
// is a uvarint, and what is left out is marked: the encoding is
// injective.) The explorer hashes the key to
// recognise states it has seen: one contiguous hash is several times
// cheaper than hashing the world field by field (its structs have
// padding), and hashing is most of the explorer's work.
// TestKeyCoversWorld fails when a field is added that key does not know.
func (w *world) key(b []byte) []byte {
	for c := range w.mon {
		b = keyMonitor(b, &w.mon[c])
	}
	for from := range w.ch {
		for to := range w.ch[from] {
			q := &w.ch[from][to]
			b = append(b, q.n)
			for _, m := range q.msg[:q.n] {
				b = keyMsg(b, m)
			}
		}
	}
	for i := range nOps {
		b = append(b, byte(w.phase[i]), w.tries[i], keyBool(w.late[i]), keyBool(w.overlap[i]), w.order[i])
		if w.res[i] != (Result{}) {
			b = append(b, 1, keyBool(w.res[i].Committed), byte(w.res[i].Reason))
			b = keyOp(b, w.res[i].Op)
		} else {
			b = append(b, 0)
		}
	}
	return append(b, w.commits)
}

func keyMonitor(b []byte, m *Monitor[pages]) []byte {
	l := m.local
	b = append(b, l.copies, keyBool(l.double), keyBool(l.lost), m.owner)
	b = append(b, l.by[:]...)
	b = binary.AppendUvarint(b, l.holders)
	b = keyOp(b, m.held)
	// The queue and the coordinator slots are mostly empty: a mask of
	// the slots in use, then those.
	var queued, coords byte
	for i := range m.waiting {
		if !m.waiting[i].ID.IsZero() {
			queued |= 1 << i
		}
	}
	for i := range m.coord {
		if m.coord[i] != (coordinator{}) {
			coords |= 1 << i
		}
	}
	b = append(b, queued, coords)
	for i, op := range m.waiting {
		if queued&(1<<i) != 0 {
			b = keyOp(b, op)
		}
	}
	for i, c := range m.coord {
		if coords&(1<<i) != 0 {
			b = keyOp(b, c.op)
			b = binary.AppendUvarint(b, c.voted)
			b = binary.AppendUvarint(b, c.copies)
			b = append(b, byte(c.refusal))
		}
	}
	return b
}

func keyMsg(b []byte, m Msg) []byte {
	b = append(b, byte(m.Kind), m.From, m.To, byte(m.Vote), keyBool(m.HasCopy), m.Owner)
	b = binary.AppendUvarint(b, m.Holders)
	return keyOp(b, m.Op)
}

func keyOp(b []byte, op Op) []byte {
	b = binary.AppendUvarint(b, uint64(op.ID.Stamp))
	b = append(b, op.ID.Core, byte(op.Kind))
	b = binary.AppendUvarint(b, op.Range.Base)
	return binary.AppendUvarint(b, op.Range.Size)
}

func keyBool(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// TestKeyCoversWorld counts the fields key encodes, so that a field added
// to the world or to the protocol's state fails here instead of making the
// explorer merge states that differ.
func TestKeyCoversWorld(t *testing.T) {
	for _, c := range []struct {
		t      reflect.Type
		fields int
	}{
		{reflect.TypeFor[world](), 9},
		{reflect.TypeFor[Monitor[pages]](), 7}, // core and members are immutable
		{reflect.TypeFor[coordinator](), 4},
		{reflect.TypeFor[pages](), 5},
		{reflect.TypeFor[fifo](), 2},
		{reflect.TypeFor[Msg](), 8},
		{reflect.TypeFor[Op](), 3},
		{reflect.TypeFor[OpID](), 2},
		{reflect.TypeFor[Range](), 2},
		{reflect.TypeFor[Result](), 3},
	} {
		if n := c.t.NumField(); n != c.fields {
			t.Errorf("%v has %d fields, world.key encodes %d: update key", c.t, n, c.fields)
		}
	}
}
