package skb

import (
	"fmt"
	"strings"
)

// Query is one run of a goal. Next finds the solutions one at a time;
// between calls the goal's variables hold the current solution.
type Query struct {
	m       *machine
	vars    []varName
	started bool
	done    bool
}

// Binding is a variable of the query and its value in the current
// solution.
type Binding struct {
	Name  string
	Value Term
}

// Query parses goal (with or without the final ".") and prepares to run
// it with the system's permissions. Syntax errors carry line and column.
func (e *Engine) Query(goalText string) (*Query, error) {
	return e.newQuery(goalText, nil)
}

// newQuery prepares goal to run in scope s (nil: as the system).
func (e *Engine) newQuery(goalText string, s *Scope) (*Query, error) {
	m := e.newMachine()
	m.scope = s
	t, vars, err := m.parseGoal(goalText)
	if err != nil {
		return nil, err
	}
	m.goals = &goal{t: t}
	return &Query{m: m, vars: vars}, nil
}

// QueryTerm prepares to run a goal built in Go. Its variables are not
// named, so Bindings is empty; read results from the term's variables
// with Engine.Format or Value.
func (e *Engine) QueryTerm(t Term) *Query {
	m := e.newMachine()
	m.goals = &goal{t: t}
	return &Query{m: m}
}

// Next finds the next solution. It returns false with a nil error when
// there are no more, and an error (a *SyntaxError, *Error, ErrStepLimit
// or ErrDepthLimit) that ends the query.
func (q *Query) Next() (ok bool, err error) {
	if q.done {
		return false, nil
	}
	defer func() {
		if r := recover(); r != nil { // an engine bug, reported instead of crashing the service
			q.done, ok, err = true, false, fmt.Errorf("skb: internal error: %v", r)
		}
	}()
	if q.started && !q.m.backtrack() {
		q.done = true
		return false, q.m.err
	}
	q.started = true
	ok, err = q.m.run()
	if !ok {
		q.done = true
	}
	return ok, err
}

// Inferences returns the number of calls the query has made so far.
func (q *Query) Inferences() int64 { return q.m.inferences }

// Bindings returns the goal's named variables that the current solution
// binds, in order of first appearance, leaving out those whose names
// start with "_".
func (q *Query) Bindings() []Binding {
	var out []Binding
	for _, v := range q.vars {
		if strings.HasPrefix(v.Name, "_") {
			continue
		}
		val := deref(v.V)
		if _, unbound := val.(*Var); unbound {
			continue
		}
		out = append(out, Binding{Name: v.Name, Value: val})
	}
	return out
}

// Answer formats the current solution as the host command prints it:
// "X = value, Y = value", or "true" when nothing is bound.
func (q *Query) Answer() (string, error) {
	bs := q.Bindings()
	if len(bs) == 0 {
		return "true", nil
	}
	parts := make([]string, len(bs))
	for i, b := range bs {
		s, err := writeTerm(b.Value, q.m.ops(), true, answerLimit)
		if err != nil {
			return "", err
		}
		parts[i] = b.Name + " = " + s
	}
	return strings.Join(parts, ", "), nil
}

// Value formats t, a term of the query, as print/1 does.
func (q *Query) Value(t Term) (string, error) {
	return writeTerm(t, q.m.ops(), true, answerLimit)
}

// Run runs goal and calls fn with the formatted answer of each solution
// until fn returns false or the solutions end. It reports whether there
// was a solution.
func (e *Engine) Run(goalText string, fn func(answer string) bool) (bool, error) {
	q, err := e.Query(goalText)
	if err != nil {
		return false, err
	}
	return q.each(fn)
}

// each calls fn with each solution's answer until fn returns false or the
// solutions end; it reports whether there was a solution.
func (q *Query) each(fn func(answer string) bool) (bool, error) {
	found := false
	for {
		ok, err := q.Next()
		if err != nil || !ok {
			return found, err
		}
		found = true
		a, err := q.Answer()
		if err != nil {
			return found, err
		}
		if !fn(a) {
			return found, nil
		}
	}
}

// Answers runs goal and returns every solution's answer, one per line, as
// tools/skb prints them, or "false" when there is none.
func (e *Engine) Answers(goalText string) (string, error) {
	return collectAnswers(e.Query(goalText))
}

// collectAnswers is Answers for q, or err.
func collectAnswers(q *Query, err error) (string, error) {
	if err != nil {
		return "", err
	}
	var out []string
	found, err := q.each(func(a string) bool { out = append(out, a); return true })
	if err != nil {
		return "", err
	}
	if !found {
		return "false", nil
	}
	return strings.Join(out, "\n"), nil
}
