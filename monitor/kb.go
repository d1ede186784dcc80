package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"multikernel/libos/sys"
	"multikernel/skb"
	"multikernel/skb/programs"
	"multikernel/urpc/stub"
)

// The system knowledge base lives in core 0's monitor (docs/skb.md): the
// schema and policies of skb/programs, the facts the CPU driver gathered
// at boot (ACPI, CPUID, PCI), and the round trips the mesh measured
// (added once measured; boot.go).
// Queries come from programs on any core, through their monitor
// (monclient, intermon skb_query), and from the monitors; this goroutine
// runs them one at a time, each in the scope of the client that asked
// (kbclients.go): machine facts and policies are read-only to clients.

const (
	kbSteps      = 10_000_000 // step limit of one query
	maxAnswers   = 16000      // bytes: skb_query's out string
	factsMaxSize = 1 << 20
)

// errNoSKB answers a query that reached a monitor without an SKB.
var errNoSKB = errors.New("the SKB is not up (it starts on core 0 before programs do)")

// startSKB builds the knowledge base: programs and the CPU driver's
// facts. The round trips come later (addRoundTrips).
func (m *monitor) startSKB() error {
	start := time.Now()
	e := skb.New(skb.Options{MaxSteps: kbSteps})
	if err := programs.Load(e); err != nil {
		return err
	}
	facts, err := sys.Facts(factsMaxSize)
	if err != nil {
		return fmt.Errorf("the CPU driver's facts: %v", err)
	}
	if err := e.Consult("machine facts", facts); err != nil {
		return fmt.Errorf("the CPU driver's facts: %v", err)
	}
	m.kb = e
	m.kbClients = newKBClients(e, maxScopes)
	fmt.Printf("skb: up with %d lines of machine facts (%d ms)\n", strings.Count(facts, "\n"), time.Since(start).Milliseconds())
	return nil
}

// addRoundTrips adds the measured round trips between members to the
// knowledge base as message_rtt facts, in one consult: a query sees all
// of them or none.
func (m *monitor) addRoundTrips(matrix [][64]uint32, members uint64) {
	if m.kb == nil {
		return
	}
	var rtt strings.Builder
	n := 0
	for i := range matrix {
		for j, c := range matrix[i] {
			if i != j && c != 0 && members&(1<<i) != 0 && members&(1<<j) != 0 {
				fmt.Fprintf(&rtt, "message_rtt(%d, %d, %d).\n", i, j, c)
				n++
			}
		}
	}
	if err := m.kb.Consult("round trips", rtt.String()); err != nil {
		fmt.Fprintln(os.Stderr, "monitor 0: the SKB refuses the round trips:", err)
		return
	}
	fmt.Printf("skb: %d round trips added\n", n)
}

// skbQuery answers a query of this monitor's own.
func (m *monitor) skbQuery(goal string) (string, error) {
	return m.skbQueryFor(skbCaller{core: m.core}, goal)
}

// skbQueryFor answers a query of caller, a client of this core: on core
// 0 from the knowledge base, elsewhere by forwarding it to core 0's
// monitor.
func (m *monitor) skbQueryFor(caller skbCaller, goal string) (string, error) {
	if m.core == 0 {
		return m.serveSKB(caller, goal)
	}
	p := m.peers[0]
	if p == nil || p.dead {
		return "", errNoSKB
	}
	text, err := forwardText(caller, goal)
	if err != nil {
		return "", err
	}
	answers, err := p.b.SkbQuery(text)
	var re *stub.RemoteError
	if errors.As(err, &re) {
		err = errors.New(re.Text) // relayed as core 0 said it
	}
	return answers, err
}

// skbForwarded answers a query the monitor of core from forwarded.
func (m *monitor) skbForwarded(from int, text string) (string, error) {
	if m.core != 0 {
		return "", fmt.Errorf("monitor %d keeps no SKB: queries go to core 0", m.core)
	}
	caller, goal, err := forwardedCaller(from, text)
	if err != nil {
		return "", err
	}
	return m.serveSKB(caller, goal)
}

// serveSKB runs caller's goal in its scope on core 0.
func (m *monitor) serveSKB(caller skbCaller, goal string) (string, error) {
	if m.kb == nil {
		return "", errNoSKB
	}
	s := m.kbClients.scope(caller)
	answers, err := runQuery(m.kb, s, goal)
	if dropped, ok := m.kbClients.done(caller, s); ok {
		fmt.Printf("skb: dropped the facts of %s: %d clients keep facts at most\n", dropped, maxScopes)
	}
	return answers, err
}

// skbClientEnded forgets what a program of this core stored in the SKB.
// Core 0 alone learns this; other cores' programs keep their scopes until
// the least recently used go (kbClients.done).
func (m *monitor) skbClientEnded(channel uint32) {
	if m.kbClients != nil {
		m.kbClients.forget(skbCaller{core: m.core, program: true, channel: channel})
	}
}

// runQuery runs goal in scope s of e and returns what `go run ./tools/skb
// -q` would print: output of the goal's own writes and one line per
// solution, or "false".
func runQuery(e *skb.Engine, s *skb.Scope, goal string) (string, error) {
	var out bytes.Buffer
	e.SetOutput(&out)
	defer e.SetOutput(nil)
	tooLong := false
	found, err := s.Run(goal, func(answer string) bool {
		out.WriteString(answer)
		out.WriteByte('\n')
		tooLong = out.Len() > maxAnswers
		return !tooLong
	})
	switch {
	case err != nil:
		return "", err
	case tooLong || out.Len() > maxAnswers:
		return "", fmt.Errorf("the answers exceed %d bytes", maxAnswers)
	case !found:
		out.WriteString("false\n")
	}
	return out.String(), nil
}
