package modelcheck

import (
	"errors"
	"strings"
	"testing"
)

// counters is a toy model: two counters, each step adds one to one of
// them, up to 3: its states are the 16 pairs.
type counters struct{ a, b uint8 }

func (c *counters) key(b []byte) []byte { return append(b, c.a, c.b) }

func explore(t *testing.T, bad func(c *counters) bool) (*DFS[counters, string], error) {
	t.Helper()
	e := New[counters, string]("toy", (*counters).key)
	var visit func(c *counters) error
	visit = func(c *counters) error {
		if bad != nil && bad(c) {
			return e.Fail(errors.New("bad state"))
		}
		if c.a < 3 {
			next := e.Successor(c)
			next.a++
			if err := e.Step(next, nil, "a", visit); err != nil {
				return err
			}
		}
		if c.b < 3 {
			next := e.Successor(c)
			next.b++
			if err := e.Step(next, nil, "b", visit); err != nil {
				return err
			}
		}
		return nil
	}
	return e, e.Run(counters{}, visit)
}

// TestDFS: every state is visited once, the depth is the longest path,
// and a failure names the model and the steps that led to it.
func TestDFS(t *testing.T) {
	e, err := explore(t, nil)
	if err != nil || e.States() != 16 || e.Deepest != 6 || e.Depth() != 0 {
		t.Fatalf("err %v, %d states, deepest %d, depth %d; want 16 states, deepest 6, back at depth 0", err, e.States(), e.Deepest, e.Depth())
	}
	_, err = explore(t, func(c *counters) bool { return c.a == 2 && c.b == 1 })
	if err == nil || !strings.HasPrefix(err.Error(), "toy: bad state") || strings.Count(err.Error(), "\n") != 3 {
		t.Fatalf("failure %q, want the model's name and three steps", err)
	}
	e = New[counters, string]("step error", (*counters).key)
	err = e.Run(counters{}, func(c *counters) error { return e.Step(e.Successor(c), errors.New("refused"), "x", nil) })
	if err == nil || !strings.Contains(err.Error(), "refused") || !strings.Contains(err.Error(), "after: x") {
		t.Fatalf("a step's own error: %v", err)
	}
}
