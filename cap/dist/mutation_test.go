package dist

import (
	"slices"
	"strings"
	"testing"
)

// The world's own breakages, of what the monitor does around the
// protocol.
const (
	// mutDropChild: a core that receives a broadcast along a tree does
	// not pass it on to its children.
	mutDropChild = firstTestMutation + iota
	// mutRetryOvertakes: a retry's Prepare overtakes the Abort that
	// ended the attempt before, as it could without FIFO channels: the
	// monitor's reuse of the id relies on that order.
	mutRetryOvertakes
)

// TestMutationsAreCaught breaks the protocol, or the forwarding around it,
// in one place at a time and checks that the explorer fails, and fails
// for the expected reason: the checks can fail.
func TestMutationsAreCaught(t *testing.T) {
	defer setMaxTries(true)()
	groups := scenarios(true)
	// byName returns the group of that name, with only the scenarios
	// keep accepts (all if keep is nil).
	byName := func(name string, keep func(scenario) bool) []scenarioGroup {
		for _, g := range groups {
			if g.name != name {
				continue
			}
			if keep != nil {
				g.list = slices.DeleteFunc(slices.Clone(g.list), func(s scenario) bool { return !keep(s) })
			}
			return []scenarioGroup{g}
		}
		t.Fatalf("no scenario group %q", name)
		return nil
	}
	// The breakages of delete show in scenarios that delete; a retry
	// that overtakes the abort before it, in those of retypes that can
	// both commit.
	deletes := func(s scenario) bool { return s.ops[0].Kind == Delete || s.ops[1].Kind == Delete }
	disjoint := func(s scenario) bool {
		return s.ops[0].Kind == Retype && s.ops[1].Kind == Retype && !s.ops[0].Range.Overlaps(s.ops[1].Range)
	}
	for _, c := range []struct {
		name  string
		mut   mutation
		group string
		keep  func(scenario) bool // the scenarios of the group to explore; nil: all
		want  string              // part of the explorer's error
	}{
		{"always abort", mutAlwaysAbort, "races", nil, "nothing conflicts with it"},
		{"owner forgets its other copy", mutForgetOther, "copies", deletes, "holders"},
		{"owner hands on ownership though it keeps a copy", mutOwnerMoves, "copies", deletes, "the owner is"},
		{"always wait (no wait-die)", mutAlwaysWait, "races", nil, "deadlock"},
		{"no overlap check", mutSkipOverlap, "races", nil, "retyped"},
		{"lock released after a yes vote", mutReleaseOnYes, "races", nil, "commit of an operation that does not hold the lock"},
		{"forwarder drops its child", mutDropChild, "trees", nil, "deadlock"},
		{"a retry overtakes the abort before it", mutRetryOvertakes, "races", disjoint, "does not hold the lock"},
	} {
		t.Run(c.name, func(t *testing.T) {
			testMutation = c.mut
			defer func() { testMutation = noMutation }()
			_, err := explore(byName(c.group, c.keep))
			if err == nil {
				t.Fatal("the explorer passed the broken protocol")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("the explorer failed, but not with %q: %v", c.want, err)
			}
			first, _, _ := strings.Cut(err.Error(), "\n")
			t.Logf("caught: %s", first)
		})
	}
}
