package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"multikernel/libos/sys"
	"multikernel/skb"
	"multikernel/skb/programs"
	"multikernel/urpc/stub"
)

// The system knowledge base lives in core 0's monitor (docs/skb.md): the
// schema and policies of skb/programs, the facts the CPU driver gathered
// at boot (ACPI, CPUID, PCI), and the round trips the mesh measured.
// Queries come from programs on any core, through their monitor
// (monclient, intermon skb_query); this goroutine runs them one at a time.

const (
	kbSteps      = 10_000_000 // step limit of one query
	maxAnswers   = 16000      // bytes: skb_query's out string
	factsMaxSize = 1 << 20
)

// errNoSKB answers a query that reached a monitor without an SKB.
var errNoSKB = errors.New("the SKB is not up (it starts on core 0 once the mesh is measured)")

// startSKB builds the knowledge base: programs, the CPU driver's facts,
// and message_rtt facts from the round-trip matrix.
func (m *monitor) startSKB(matrix [][64]uint32, members uint64) error {
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
	if err := e.Consult("round trips", rtt.String()); err != nil {
		return err
	}
	m.kb = e
	fmt.Printf("skb: up with %d lines of machine facts and %d round trips (%d ms)\n", strings.Count(facts, "\n"), n, time.Since(start).Milliseconds())
	return nil
}

// skbQuery answers a query: on core 0 from the knowledge base, elsewhere
// by forwarding it to core 0's monitor.
func (m *monitor) skbQuery(goal string) (string, error) {
	if m.core != 0 {
		p := m.peers[0]
		if p == nil || p.dead {
			return "", errNoSKB
		}
		answers, err := p.b.SkbQuery(goal)
		var re *stub.RemoteError
		if errors.As(err, &re) {
			err = errors.New(re.Text) // relayed as core 0 said it
		}
		return answers, err
	}
	if m.kb == nil {
		return "", errNoSKB
	}
	return runQuery(m.kb, goal)
}

// runQuery runs goal and returns what `go run ./tools/skb -q` would
// print: output of the goal's own writes and one line per solution, or
// "false".
func runQuery(e *skb.Engine, goal string) (string, error) {
	var out bytes.Buffer
	e.SetOutput(&out)
	defer e.SetOutput(nil)
	tooLong := false
	found, err := e.Run(goal, func(answer string) bool {
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
