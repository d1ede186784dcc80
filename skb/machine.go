package skb

// goal is one entry of a continuation: a goal to run, the predicate it
// calls if known, and the choicepoint height a cut in it cuts back to.
// Continuations are immutable and share their tails.
type goal struct {
	t    Term
	pred *pred
	cutB int
	next *goal
}

// choiceKind says what a choicepoint resumes.
type choiceKind uint8

const (
	cpGoals   choiceKind = iota // run the saved goal list
	cpClauses                   // try the next clause of a call
	cpGen                       // ask a builtin's generator for its next answer
	cpCatch                     // a catch/3 frame; fails through on backtracking
	cpDead                      // removed by a soft cut; fails through
)

// choice is a choicepoint: the state to return to on backtracking.
type choice struct {
	kind    choiceKind
	trail   int   // trail height when it was made
	varMark int64 // variables older than this were made before it
	goals   *goal // the continuation to resume
	args    []Term
	clauses []*clause
	next    int
	gen     generator
	catch   *catchFrame
}

// generator yields the answers of a nondeterministic builtin one at a time.
// next is called with the bindings of the call restored; more is false
// when the answer it gives is the last one.
type generator interface {
	next(m *machine) (ok, more bool, err error)
}

// catchFrame is the state of one catch/3 call. exited is bound when the
// goal exits and unbound again when backtracking re-enters it, so the
// frame catches only errors raised inside the goal.
type catchFrame struct {
	catcher, recovery Term
	exited            *Var
}

// machine runs one query. It belongs to the goroutine that runs the query.
type machine struct {
	e          *Engine
	scope      *Scope // the client's scope the query runs in; nil for the system
	goals      *goal
	choices    []choice
	trail      []*Var
	varMark    int64 // bindings of variables older than this are trailed
	nextVar    int64
	steps      int64 // budget used: calls plus cells touched
	maxSteps   int64
	inferences int64 // calls, as SWI-Prolog's statistics(inferences) counts them
	depth      int
	maxDepth   int
	err        error  // a resource error that ends the query
	env        []Term // scratch environment, see scratchEnv
	varSlab    []Var
	goalSlab   []goal
}

// bind binds v to t, trailing it if a choicepoint may need to undo it.
func (m *machine) bind(v *Var, t Term) {
	v.ref = t
	if v.id < m.varMark {
		m.trail = append(m.trail, v)
	}
}

// undo unbinds the variables trailed since mark.
func (m *machine) undo(mark int) {
	for i := len(m.trail) - 1; i >= mark; i-- {
		m.trail[i].ref = nil
		m.trail[i] = nil
	}
	m.trail = m.trail[:mark]
}

// charge spends n steps; it reports false (and sets m.err) when the budget
// is gone.
func (m *machine) charge(n int64) bool {
	m.steps += n
	if m.steps > m.maxSteps {
		if m.err == nil {
			m.err = ErrStepLimit
		}
		return false
	}
	return true
}

// push adds a choicepoint resuming at goals.
func (m *machine) push(cp choice) {
	cp.trail = len(m.trail)
	cp.varMark = m.nextVar
	m.varMark = m.nextVar
	m.choices = append(m.choices, cp)
}

// cutTo removes the choicepoints from height h up.
func (m *machine) cutTo(h int) {
	if h < len(m.choices) {
		for i := h; i < len(m.choices); i++ {
			m.choices[i] = choice{}
		}
		m.choices = m.choices[:h]
		m.resetVarMark()
	}
}

// pop removes the newest choicepoint.
func (m *machine) pop() {
	m.cutTo(len(m.choices) - 1)
}

func (m *machine) resetVarMark() {
	if n := len(m.choices); n > 0 {
		m.varMark = m.choices[n-1].varMark
	} else {
		m.varMark = 0
	}
}

// run executes goals until the goal list is empty (a solution, true) or no
// choicepoint is left (false). An error that no catch/3 catches ends it.
func (m *machine) run() (bool, error) {
	for {
		if m.err != nil {
			return false, m.err
		}
		g := m.goals
		if g == nil {
			return true, nil
		}
		m.goals = g.next
		ok, err := m.step(g)
		if err != nil {
			if m.recover(err) {
				continue
			}
			return false, m.finish(err)
		}
		if !ok && !m.backtrack() {
			return false, m.err
		}
	}
}

// finish prepares an error to leave the engine.
func (m *machine) finish(err error) error {
	if e, ok := err.(*Error); ok && e.msg == "" {
		e.msg = describe(e.Term, m.ops())
	}
	return err
}

// backtrack resumes the newest choicepoint that has an alternative. It
// returns false when none is left.
func (m *machine) backtrack() bool {
	for len(m.choices) > 0 && m.charge(1) {
		h := len(m.choices) - 1
		cp := m.choices[h]
		m.undo(cp.trail)
		m.pop()
		switch cp.kind {
		case cpGoals:
			m.goals = cp.goals
			return true
		case cpClauses:
			var key indexKey
			if len(cp.args) > 0 {
				key = termKey(cp.args[0])
			}
			if m.tryClauses(cp.args, key, cp.clauses, cp.next, cp.goals) {
				return true
			}
		case cpGen:
			if m.resumeGen(cp.gen, cp.goals) {
				return true
			}
		}
	}
	return false
}

// resumeGen asks gen for an answer with a choicepoint in place for the
// next one; it reports whether there was an answer.
func (m *machine) resumeGen(gen generator, cont *goal) bool {
	m.push(choice{kind: cpGen, gen: gen, goals: cont})
	ok, more, err := gen.next(m)
	if err != nil {
		m.pop()
		if !m.recover(err) && m.err == nil {
			m.err = m.finish(err)
		}
		return m.err == nil
	}
	if !ok || !more {
		m.pop()
	}
	if ok {
		m.goals = cont
	}
	return ok
}

// recover handles an exception: it unwinds to the newest active catch/3
// whose catcher unifies with the ball and runs its recovery goal. It
// reports false if no catch/3 takes it.
func (m *machine) recover(err error) bool {
	e, ok := err.(*Error)
	if !ok {
		return false
	}
	for i := len(m.choices) - 1; i >= 0; i-- {
		cp := m.choices[i]
		if cp.kind != cpCatch || cp.catch.exited.ref != nil {
			continue
		}
		m.undo(cp.trail)
		m.cutTo(i)
		mark := len(m.trail)
		if m.unify(cp.catch.catcher, e.Term) {
			m.goals = &goal{t: cp.catch.recovery, cutB: i, next: cp.goals}
			return true
		}
		m.undo(mark)
	}
	return false
}
