package dist

import (
	"errors"
	"testing"
)

// fifoRun starts the operations, both at once when together is set, else
// each after the one before has ended, and delivers messages round robin.
// An operation refused as busy is retried once nothing is in flight.
func fifoRun(t *testing.T, w *world, s scenario, together bool) {
	t.Helper()
	for i := range nOps {
		if err := w.start(s, i); err != nil {
			t.Fatal(err)
		}
		if !together {
			drain(t, w, s)
		}
	}
	drain(t, w, s)
	for retry := true; retry; {
		retry = false
		for i := range nOps {
			if w.phase[i] == pending {
				retry = true
				if err := w.start(s, i); err != nil {
					t.Fatal(err)
				}
				drain(t, w, s)
			}
		}
	}
	if err := checkEnd(s, w); err != nil {
		t.Fatal(err)
	}
}

func drain(t *testing.T, w *world, s scenario) {
	t.Helper()
	for !w.quiet() {
		for from := range nCores {
			for to := range nCores {
				if w.ch[from][to].n > 0 {
					if err := w.deliver(s, from, to); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
}

func TestSchedules(t *testing.T) {
	retype := func(core uint8, stamp uint32, base, size uint64) Op {
		return Op{ID: OpID{Stamp: stamp, Core: core}, Kind: Retype, Range: Range{base, size}}
	}
	cases := []struct {
		name     string
		together bool
		s        scenario
		want     [nOps]Reason
		owner    uint8
		copies   [nCores]bool
	}{
		{"racing retypes: the older wins, the younger's retry conflicts", true, scenario{ops: [nOps]Op{retype(1, 1, 0, 4), retype(2, 2, 2, 4)}},
			[nOps]Reason{OK, Conflict}, 0, [nCores]bool{true, true, true}},
		{"racing retypes: the younger's retry commits", true, scenario{ops: [nOps]Op{retype(1, 1, 0, 4), retype(2, 2, 4, 4)}},
			[nOps]Reason{OK, OK}, 0, [nCores]bool{true, true, true}},
		{"racing retypes along chains", true, scenario{ops: [nOps]Op{retype(1, 1, 0, 4), retype(2, 2, 4, 4)}, route: [nOps]route{chainUp, chainDown}},
			[nOps]Reason{OK, OK}, 0, [nCores]bool{true, true, true}},
		{"overlapping retypes: the second conflicts", false, scenario{ops: [nOps]Op{retype(1, 1, 0, 4), retype(2, 2, 2, 4)}},
			[nOps]Reason{OK, Conflict}, 0, [nCores]bool{true, true, true}},
		{"disjoint retypes both commit", false, scenario{ops: [nOps]Op{retype(1, 1, 0, 2), retype(2, 2, 2, 4)}},
			[nOps]Reason{OK, OK}, 0, [nCores]bool{true, true, true}},
		{"retype over a remote descendant", false, scenario{ops: [nOps]Op{retype(0, 1, 6, 2), retype(1, 2, 0, 1)}, pre: true},
			[nOps]Reason{Conflict, OK}, 0, [nCores]bool{true, true, true}},
		{"revoke then delete by the old owner", false, scenario{ops: [nOps]Op{
			{ID: OpID{1, 2}, Kind: Revoke}, {ID: OpID{2, 0}, Kind: Delete}}},
			[nOps]Reason{OK, NoCopy}, 2, [nCores]bool{false, false, true}},
		{"the owner deletes: core 1 takes over", false, scenario{ops: [nOps]Op{
			{ID: OpID{1, 0}, Kind: Delete}, retype(2, 2, 0, 8)}},
			[nOps]Reason{OK, OK}, 1, [nCores]bool{false, true, true}},
		{"the owner deletes one of two copies: it stays the owner", false, scenario{ops: [nOps]Op{
			{ID: OpID{1, 1}, Kind: Delete}, {ID: OpID{2, 2}, Kind: Retype, Range: Range{0, 1}}}, hold: 1},
			[nOps]Reason{OK, NoCopy}, 1, [nCores]bool{true, true, false}},
		{"the owner deletes both its copies: core 0 takes over", false, scenario{ops: [nOps]Op{
			{ID: OpID{1, 1}, Kind: Delete}, {ID: OpID{2, 1}, Kind: Delete}}, hold: 1},
			[nOps]Reason{OK, OK}, 0, [nCores]bool{true, false, false}},
		{"the owner deletes its last copy, then core 2, which took over: no owner", false, scenario{ops: [nOps]Op{
			{ID: OpID{1, 0}, Kind: Delete}, {ID: OpID{2, 2}, Kind: Delete}}, hold: 2},
			[nOps]Reason{OK, OK}, NoOwner, [nCores]bool{false, false, false}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := c.s.initial()
			fifoRun(t, &w, c.s, c.together)
			if c.together && w.tries[1] < 2 {
				t.Errorf("the younger operation was not refused as busy and retried (%d attempts)", w.tries[1])
			}
			for i := range nOps {
				if w.res[i].Reason != c.want[i] || w.res[i].Committed != (c.want[i] == OK) {
					t.Errorf("op %d: %+v, want %v", i, w.res[i], c.want[i])
				}
			}
			for core := range nCores {
				if w.mon[core].Owner() != c.owner || w.mon[core].Local().HasCopy() != c.copies[core] {
					t.Errorf("core %d: owner %d copy %v", core, w.mon[core].Owner(), w.mon[core].Local().HasCopy())
				}
			}
		})
	}
}

func TestTooManyOperations(t *testing.T) {
	m := New(0, FirstCores(2), 0, pages{copies: 1})
	for i := range maxCoord {
		if _, res := m.Start(Op{ID: OpID{uint32(i + 1), 0}, Kind: Revoke}); res != nil {
			t.Fatalf("op %d refused: %+v", i, res)
		}
	}
	if _, res := m.Start(Op{ID: OpID{9, 0}, Kind: Revoke}); res == nil || res.Reason != NoSlot {
		t.Fatalf("fifth operation: %+v", res)
	}
	if m.Core() != 0 || m.Idle() {
		t.Error("a coordinating monitor claims to be idle")
	}
}

func TestWaitQueueOrder(t *testing.T) {
	m := New(0, FirstCores(3), 0, pages{copies: 1})
	if out := m.prepare(Op{ID: OpID{9, 1}, Kind: Revoke}); len(out) != 1 || out[0].Vote != OK {
		t.Fatalf("free lock not taken: %+v", out)
	}
	for _, stamp := range []uint32{5, 3, 7} {
		if out := m.prepare(Op{ID: OpID{stamp, 2}, Kind: Revoke}); out != nil {
			t.Fatalf("older op %d did not wait: %+v", stamp, out)
		}
	}
	if out := m.prepare(Op{ID: OpID{10, 2}, Kind: Revoke}); len(out) != 1 || out[0].Vote != Busy {
		t.Fatalf("younger op did not die: %+v", out)
	}
	out := m.abort(OpID{9, 1})
	if len(out) != 3 || out[0].Op.ID.Stamp != 3 || out[0].Vote != OK || out[1].Vote != Busy || out[2].Vote != Busy {
		t.Fatalf("release: %+v", out)
	}
}

func TestNames(t *testing.T) {
	if Retype.String() != "retype" || Kind(9).String() != "Kind(?)" || Busy.String() != "busy" {
		t.Error("names")
	}
	if !(OpID{1, 5}).Older(OpID{2, 0}) || !(OpID{1, 0}).Older(OpID{1, 1}) || (OpID{1, 1}).Older(OpID{1, 1}) {
		t.Error("age order")
	}
	if !(Range{0, 4}).Overlaps(Range{3, 1}) || (Range{0, 4}).Overlaps(Range{4, 4}) {
		t.Error("overlap")
	}
}

// TestHandleRefusesBadMessages: a message that breaks the protocol is an
// error and changes nothing, so a monitor survives a buggy peer.
func TestHandleRefusesBadMessages(t *testing.T) {
	retype := Op{ID: OpID{Stamp: 9, Core: 1}, Kind: Retype, Range: Range{0, 4096}}
	for _, tc := range []struct {
		name string
		msg  Msg
	}{
		{"another core's", Msg{Kind: Prepare, From: 1, To: 2, Op: retype}},
		{"sender outside", Msg{Kind: Prepare, From: 5, To: 0, Op: Op{ID: OpID{Stamp: 9, Core: 5}, Kind: Retype}}},
		{"unknown kind", Msg{Kind: 77, From: 1, To: 0, Op: retype}},
		{"vote for nothing", Msg{Kind: Vote, From: 1, To: 0, Op: Op{ID: OpID{Stamp: 9, Core: 0}}}},
		{"vote for another's", Msg{Kind: Vote, From: 1, To: 0, Op: retype}},
		{"forged coordinator", Msg{Kind: Prepare, From: 2, To: 0, Op: retype}},
		{"unknown operation", Msg{Kind: Prepare, From: 1, To: 0, Op: Op{ID: OpID{Stamp: 9, Core: 1}, Kind: 9}}},
		{"commit without lock", Msg{Kind: Commit, From: 1, To: 0, Op: retype}},
	} {
		m := New(0, FirstCores(3), 0, pages{copies: 1})
		out, res, err := m.Handle(tc.msg)
		var bad *BadMessage
		if !errors.As(err, &bad) || out != nil || res != nil || !m.Idle() {
			t.Errorf("%s: Handle(%+v) = %v, %v, %v; idle %v", tc.name, tc.msg, out, res, err, m.Idle())
		}
	}
}
