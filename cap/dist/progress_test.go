package dist

import (
	"strings"
	"testing"
)

// TestProgressChecks feeds the world results that the progress check
// must accept or refuse: an operation aborts only for a conflict that a
// state it could see has, or as busy while another operation is under
// way.
func TestProgressChecks(t *testing.T) {
	at := func(core uint8, stamp uint32, op Op) Op {
		op.ID = OpID{Stamp: stamp, Core: core}
		return op
	}
	retypes := scenario{ops: [nOps]Op{at(1, 1, retypeLow), at(2, 2, retypeMid)}}
	afterRevoke := scenario{ops: [nOps]Op{at(1, 1, revoke), at(2, 2, retypeHigh)}, pre: true}
	noCopy := scenario{ops: [nOps]Op{at(0, 1, deleteOp), at(0, 2, retypeLow)}}
	for _, c := range []struct {
		name    string
		s       scenario
		why     Reason
		overlap bool  // operation 0 was under way during operation 1's attempt
		order0  uint8 // operation 0 committed (1) or not (0)
		late    bool  // operation 1's attempt started after operation 0 committed
		tries   uint8
		want    string // part of the error; "" for none
	}{
		{"busy alone", retypes, Busy, false, 0, false, 1, "nothing else was under way"},
		{"busy while another runs: retried", retypes, Busy, true, 0, false, 1, ""},
		{"busy after the last attempt", retypes, Busy, true, 0, false, maxTries, ""},
		{"conflict with nothing", retypes, Conflict, true, 0, false, 1, "nothing conflicts"},
		{"conflict with a committed retype", retypes, Conflict, true, 1, false, 1, ""},
		{"conflict with what is there", afterRevoke, Conflict, false, 0, false, 1, ""},
		{"conflict with what a revoke removed before", afterRevoke, Conflict, false, 1, true, 1, "nothing conflicts"},
		{"no copy while there is one", noCopy, NoCopy, true, 0, false, 1, "nothing conflicts"},
		{"no copy after the delete", noCopy, NoCopy, true, 1, false, 1, ""},
		{"aborted for no reason", retypes, OK, true, 0, false, 1, "aborted with reason ok"},
	} {
		w := c.s.initial()
		w.phase[1], w.tries[1], w.overlap[1], w.late[1] = running, c.tries, c.overlap, c.late
		w.phase[0], w.order[0], w.commits = ended, c.order0, c.order0
		w.res[0] = Result{Op: c.s.ops[0], Committed: c.order0 != 0}
		err := w.after(c.s, c.s.ops[1].ID.Core, nil, &Result{Op: c.s.ops[1], Reason: c.why}, false)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
	}
}
