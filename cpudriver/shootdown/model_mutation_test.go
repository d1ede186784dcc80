package shootdown

import (
	"slices"
	"strings"
	"testing"
)

// TestMutationsAreCaught breaks the protocol in one place at a time and
// checks that the model check fails, and for the expected reason.
func TestMutationsAreCaught(t *testing.T) {
	all := scenarios(true)
	// pick keeps the scenarios keep accepts.
	pick := func(keep func(s scenario) bool) []scenario {
		return slices.DeleteFunc(slices.Clone(all), func(s scenario) bool { return !keep(s) })
	}
	multicast := func(s scenario) bool { return s.proto == Multicast || s.proto == NUMAMulticast }
	for _, c := range []struct {
		name string
		mut  mutation
		keep func(scenario) bool
		want string
	}{
		{"aggregator acks before its children", mutAckEarly, multicast, "holds the translation it removed"},
		{"target acks before invalidating", mutAckFirst, func(scenario) bool { return true }, "holds the translation it removed"},
		{"initiator skips a target", mutSkipTarget, func(s scenario) bool { return s.proto == Unicast }, "holds the translation it removed"},
		{"acks counted, not matched (a duplicate counts twice)", mutCountAcks,
			func(s scenario) bool { return s.dups > 0 }, "holds the translation it removed"},
		{"an ack of an earlier operation counts", mutAnyOp,
			func(s scenario) bool { return s.dups > 0 && s.by[0] == s.by[1] }, "holds the translation it removed"},
		{"a duplicate request handled again", mutNoDedup,
			func(s scenario) bool { return s.dups > 0 && multicast(s) }, "deadlock"},
	} {
		t.Run(c.name, func(t *testing.T) {
			testMutation = c.mut
			defer func() { testMutation = noMutation }()
			_, err := explore(pick(c.keep))
			if err == nil {
				t.Fatal("the model check passed the broken protocol")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("the model check failed, but not with %q: %v", c.want, err)
			}
			first, _, _ := strings.Cut(err.Error(), "\n")
			t.Logf("caught: %s", first)
		})
	}
}
