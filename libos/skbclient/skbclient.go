// Package skbclient lets any program query the system knowledge base
// (docs/skb.md): the query goes over the program's URPC channel to its
// core's monitor (interface monclient), which forwards it to the monitor of
// core 0, where the SKB lives (docs/urpc.md).
//
// It runs in ring 3 in programs, not in the monitor.
package skbclient

import (
	"errors"
	"strings"
	"sync"

	"multikernel/libos/mesh"
	"multikernel/urpc/if/monclient"
)

// conn is the program's channel to its monitor, opened on first use.
// Queries are serialised: one goroutine at a time uses the channel and its
// sleeper.
var conn struct {
	mu      sync.Mutex
	b       *monclient.Binding
	sleeper mesh.Sleeper
	err     error // why the channel could not be opened
}

// refuse is the program's monclient.Handler: a program serves no calls.
type refuse struct{}

func (refuse) SkbQuery(string) (string, error) {
	return "", errors.New("programs serve no skb_query calls")
}

// Query runs goal on the SKB and returns its answers, one per solution, as
// `go run ./tools/skb -q` prints them: "X = value, Y = value", "true" for
// a solution with nothing to show, or the single answer "false" when there
// is none. Errors in the goal (syntax, unknown predicates, the step limit)
// come back as errors.
//
// The machine facts and policies are read-only: asserting or retracting
// one comes back as the error "No permission to modify static procedure
// `Name/Arity'". Facts the program asserts of predicates of its own are
// kept for its later queries, seen by no other program, up to a bound
// (docs/skb.md, "What clients may do").
func Query(goal string) ([]string, error) {
	conn.mu.Lock()
	defer conn.mu.Unlock()
	if conn.b == nil && conn.err == nil {
		ep, err := mesh.ConnectMonitor(&conn.sleeper, monclient.MaxMessage)
		if err != nil {
			conn.err = errors.New("skbclient: connecting to the monitor: " + err.Error())
		} else {
			conn.b = monclient.NewBinding(ep, refuse{})
		}
	}
	if conn.err != nil {
		return nil, conn.err
	}
	text, err := conn.b.SkbQuery(goal)
	if err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimSuffix(text, "\n"), "\n"), nil
}
