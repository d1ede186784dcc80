package main

import (
	"strings"
	"testing"

	"multikernel/skb"
	"multikernel/skb/programs"
)

// testSKB returns core 0's monitor with an SKB of the programs and a
// two-node machine's facts, keeping at most scopes clients' scopes.
func testSKB(t *testing.T, scopes int) *monitor {
	t.Helper()
	e := skb.New(skb.Options{MaxSteps: kbSteps})
	if err := programs.Load(e); err != nil {
		t.Fatal(err)
	}
	facts := "core(0, 0, 0). core(1, 1, 0). core(2, 2, 1). core(3, 3, 1).\n" +
		"node_distance(0, 0, 10). node_distance(0, 1, 20). node_distance(1, 0, 20). node_distance(1, 1, 10).\n"
	if err := e.Consult("facts", facts); err != nil {
		t.Fatal(err)
	}
	return &monitor{core: 0, kb: e, kbClients: newKBClients(e, scopes)}
}

func TestEnvelope(t *testing.T) {
	for _, c := range []skbCaller{{core: 3}, {core: 3, program: true, channel: 0}, {core: 63, program: true, channel: 1<<32 - 1}} {
		text, err := forwardText(c, "mine(X)")
		if err != nil {
			t.Fatal(err)
		}
		got, goal, err := forwardedCaller(c.core, text)
		if err != nil || got != c || goal != "mine(X)" {
			t.Errorf("%v: forwarded as %q, read back as %v %q %v", c, text, got, goal, err)
		}
	}
	// The core is the channel's, whatever the text says.
	if got, _, _ := forwardedCaller(2, "%program 7\ntrue"); got != (skbCaller{core: 2, program: true, channel: 7}) {
		t.Errorf("got %v", got)
	}
	for _, bad := range []string{"%program x\ntrue", "%program 7", "%program -1\ntrue", "%program 4294967296\ntrue"} {
		if _, _, err := forwardedCaller(2, bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	long := strings.Repeat("a", maxForwarded)
	if _, err := forwardText(skbCaller{core: 1}, long); err != nil {
		t.Errorf("a monitor's %d-byte goal: %v", len(long), err)
	}
	if _, err := forwardText(skbCaller{core: 1, program: true, channel: 12}, long); err == nil ||
		!strings.Contains(err.Error(), "at most 988") {
		t.Errorf("a program's %d-byte goal: %v", len(long), err)
	}
}

// TestSKBClients: queries from programs of core 0 and, forwarded, of
// other cores run in their own scopes; machine facts are read-only to
// all of them.
func TestSKBClients(t *testing.T) {
	m := testSKB(t, maxScopes)
	prog := func(core int, ch uint32) func(string) (string, error) {
		if core == 0 {
			return func(g string) (string, error) {
				return m.skbQueryFor(skbCaller{core: 0, program: true, channel: ch}, g)
			}
		}
		return func(g string) (string, error) {
			text, err := forwardText(skbCaller{core: core, program: true, channel: ch}, g)
			if err != nil {
				return "", err
			}
			return m.skbForwarded(core, text)
		}
	}
	a, b, c := prog(3, 1), prog(3, 2), prog(0, 1)
	own := func(g string) (string, error) { return m.skbForwarded(2, g) } // monitor 2's own query
	steps := []struct {
		run        func(string) (string, error)
		goal, want string
	}{
		{a, "retractall(node_distance(_, _, _))", "error: No permission to modify static procedure `node_distance/3'"},
		{own, "assert(node_distance(0, 1, 99))", "error: No permission to modify static procedure `node_distance/3'"},
		{c, "retract(core(0, _, _))", "error: No permission to modify static procedure `core/3'"},
		{a, "assert(mine(a))", "true\n"},
		{b, "assert(mine(b))", "true\n"},
		{c, "assert(mine(c))", "true\n"},
		{a, "mine(X)", "X = a\n"},
		{b, "mine(X)", "X = b\n"},
		{c, "mine(X)", "X = c\n"},
		{a, "%program 2\nmine(X)", "X = a\n"}, // a program cannot name another
		{c, "%program 2\nmine(X)", "X = c\n"},
		{own, "mine(X)", "error: Unknown procedure: mine/1"},
		{prog(1, 1), "mine(X)", "error: Unknown procedure: mine/1"}, // channel 1 of core 1 is not core 3's
		{a, "node_order(3, Ns)", "Ns = [1,0]\n"},
	}
	for _, s := range steps {
		got, err := s.run(s.goal)
		if err != nil {
			got = "error: " + err.Error()
		}
		if got != s.want {
			t.Errorf("%s: got %q, want %q", s.goal, got, s.want)
		}
	}
	if n := len(m.kbClients.scopes); n != 3 {
		t.Errorf("%d scopes kept, want 3 (those that stored something)", n)
	}
	m.skbClientEnded(1) // core 0's program on channel 1 ends
	if got, err := c("catch(mine(X), _, X = gone)"); err != nil || got != "X = gone\n" {
		t.Errorf("after the program ended: %q, %v", got, err)
	}
	if got, err := m.kb.Answers("findall(A-B-D, node_distance(A, B, D), L)"); err != nil ||
		got != "L = [0-0-10,0-1-20,1-0-20,1-1-10]" {
		t.Errorf("the system's facts: %q, %v", got, err)
	}
}

// TestSKBClientsBound: at most max clients keep scopes; the least
// recently used goes first.
func TestSKBClientsBound(t *testing.T) {
	m := testSKB(t, 2)
	ask := func(ch uint32, g string) string {
		out, err := m.skbQueryFor(skbCaller{core: 0, program: true, channel: ch}, g)
		if err != nil {
			return "error: " + err.Error()
		}
		return out
	}
	ask(1, "assert(mine(1))")
	ask(2, "assert(mine(2))")
	ask(1, "mine(X)") // 2 is now the least recently used
	ask(3, "assert(mine(3))")
	for ch, want := range map[uint32]string{1: "X = 1\n", 2: "error: Unknown procedure: mine/1", 3: "X = 3\n"} {
		if got := ask(ch, "mine(X)"); got != want {
			t.Errorf("channel %d: got %q, want %q", ch, got, want)
		}
	}
	if got := ask(4, "between(1, 100000, N), assert(mine(N)), fail"); !strings.HasPrefix(got, "error: Not enough resources: client_database") {
		t.Errorf("past the bound: %q", got)
	}
}
