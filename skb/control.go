package skb

// ctrlKind names the control constructs the machine runs itself, because
// they change the goal list or the choicepoints (ISO 7.8).
type ctrlKind uint8

const (
	ctrlNone       ctrlKind = iota
	ctrlTrue                // true
	ctrlFail                // fail, false
	ctrlCut                 // !
	ctrlConj                // ','/2
	ctrlDisj                // ;/2, including if-then-else
	ctrlIfThen              // ->/2
	ctrlSoftIf              // *->/2
	ctrlNot                 // \+/1
	ctrlCall                // call/1..8
	ctrlCatch               // catch/3
	ctrlCatchExit           // '$catch_exit'/1, marks a catch/3 goal as exited
	ctrlSoftCut             // '$softcut'/0, disables the else branch of *->
	ctrlFindall             // findall/3
	ctrlFindallAdd          // '$findall_add'/2
	ctrlFindallEnd          // '$findall_end'/2
)

// step runs one goal. It returns false to backtrack.
func (m *machine) step(g *goal) (bool, error) {
	var name Atom
	var args []Term
	switch x := deref(g.t).(type) {
	case *Compound:
		name, args = x.Functor, x.Args
	case Atom:
		name = x
	case *Var:
		return false, instantiationError()
	default:
		return false, typeError("callable", x)
	}
	p := g.pred
	if p == nil {
		if p = m.resolve(name, len(args)); p == nil {
			return false, existenceError(name, len(args))
		}
	}
	if p.kind == predControl {
		return m.control(p.ctrl, g, args)
	}
	m.inferences++
	if !m.charge(1) {
		return false, m.err
	}
	if p.kind == predBuiltin {
		return p.fn(m, args)
	}
	if !p.defined() {
		return false, existenceError(name, len(args))
	}
	var key indexKey
	if len(args) > 0 {
		key = termKey(args[0])
	}
	return m.tryClauses(args, key, p.candidates(key), 0, m.goals), nil
}

// tryClauses tries clauses[i:] for a call with args and continuation
// cont. A choicepoint is left only if another clause may match.
func (m *machine) tryClauses(args []Term, key indexKey, clauses []*clause, i int, cont *goal) bool {
	h := len(m.choices)
	for i = nextCandidate(clauses, i, key); i < len(clauses); {
		c := clauses[i]
		j := nextCandidate(clauses, i+1, key)
		if j < len(clauses) {
			m.push(choice{kind: cpClauses, goals: cont, args: args, clauses: clauses, next: j})
		}
		mark := len(m.trail)
		env := m.scratchEnv(c.nvars)
		if m.unifyArgs(c.args, args, env) {
			m.goals = m.body(c, env, h, cont)
			return true
		}
		if j < len(clauses) {
			m.undo(mark)
			m.pop()
		}
		if m.err != nil {
			return false
		}
		i = j
	}
	return false
}

func (m *machine) unifyArgs(ps, ts []Term, env []Term) bool {
	for k, p := range ps {
		if !m.unifyHead(p, ts[k], env) {
			return false
		}
	}
	return true
}

// body pushes the goals of clause c onto cont; a cut in them cuts to h.
func (m *machine) body(c *clause, env []Term, h int, cont *goal) *goal {
	for k := len(c.body) - 1; k >= 0; k-- {
		b := &c.body[k]
		cont = m.newGoal(m.build(b.t, env), b.pred, h, cont)
	}
	return cont
}

// control runs a control construct.
func (m *machine) control(k ctrlKind, g *goal, args []Term) (bool, error) {
	switch k {
	case ctrlTrue:
		return true, nil
	case ctrlFail:
		return false, nil
	case ctrlCut:
		m.cutTo(g.cutB)
		return true, nil
	case ctrlConj:
		m.goals = &goal{t: args[0], cutB: g.cutB, next: &goal{t: args[1], cutB: g.cutB, next: m.goals}}
		return true, nil
	case ctrlDisj:
		return m.disjunction(g, args)
	case ctrlIfThen:
		m.ifThenElse(g, args[0], args[1], atomFail)
		return true, nil
	case ctrlSoftIf:
		m.softIf(g, args[0], args[1], atomFail)
		return true, nil
	case ctrlNot:
		h := len(m.choices)
		m.push(choice{kind: cpGoals, goals: m.goals})
		m.goals = &goal{t: args[0], cutB: h + 1, next: &goal{t: atomCut, cutB: h, next: &goal{t: atomFail}}}
		return true, nil
	case ctrlCall:
		return m.call(args)
	case ctrlCatch:
		m.catch(args)
		return true, nil
	case ctrlCatchExit:
		return m.unify(args[0], atomTrue), nil
	case ctrlSoftCut:
		if g.cutB < len(m.choices) {
			m.choices[g.cutB].kind = cpDead
		}
		return true, nil
	case ctrlFindall:
		return m.findall(args)
	case ctrlFindallAdd:
		return m.findallAdd(args)
	case ctrlFindallEnd:
		return m.findallEnd(args)
	}
	return false, nil
}

// disjunction runs A;B, or the if-then-else forms (C->T;E) and (C*->T;E).
func (m *machine) disjunction(g *goal, args []Term) (bool, error) {
	if c, ok := deref(args[0]).(*Compound); ok && len(c.Args) == 2 {
		switch c.Functor {
		case "->":
			m.ifThenElse(g, c.Args[0], c.Args[1], args[1])
			return true, nil
		case "*->":
			m.softIf(g, c.Args[0], c.Args[1], args[1])
			return true, nil
		}
	}
	m.push(choice{kind: cpGoals, goals: &goal{t: args[1], cutB: g.cutB, next: m.goals}})
	m.goals = &goal{t: args[0], cutB: g.cutB, next: m.goals}
	return true, nil
}

// ifThenElse runs (C->T;E): a choicepoint for E, then C with a cut local
// to it, then a cut back below E's choicepoint, then T.
func (m *machine) ifThenElse(g *goal, c, t, e Term) {
	h := len(m.choices)
	m.push(choice{kind: cpGoals, goals: &goal{t: e, cutB: g.cutB, next: m.goals}})
	then := &goal{t: t, cutB: g.cutB, next: m.goals}
	m.goals = &goal{t: c, cutB: h + 1, next: &goal{t: atomCut, cutB: h, next: then}}
}

// softIf runs (C*->T;E): like if-then-else, but C keeps its choicepoints;
// only E's choicepoint is disabled once C succeeds.
func (m *machine) softIf(g *goal, c, t, e Term) {
	h := len(m.choices)
	m.push(choice{kind: cpGoals, goals: &goal{t: e, cutB: g.cutB, next: m.goals}})
	then := &goal{t: t, cutB: g.cutB, next: m.goals}
	m.goals = &goal{t: c, cutB: h + 1, next: &goal{t: Atom("$softcut"), cutB: h, next: then}}
}

// call runs call/N: the goal with extra arguments, opaque to cut.
func (m *machine) call(args []Term) (bool, error) {
	m.inferences++
	if !m.charge(1) {
		return false, m.err
	}
	t := deref(args[0])
	if len(args) > 1 {
		name, old, ok := functorOf(t)
		if !ok {
			if _, isVar := t.(*Var); isVar {
				return false, instantiationError()
			}
			return false, typeError("callable", t)
		}
		all := append(append(make([]Term, 0, len(old)+len(args)-1), old...), args[1:]...)
		t = &Compound{Functor: name, Args: all}
	}
	if err := checkBody(t); err != nil {
		return false, err
	}
	m.goals = &goal{t: t, cutB: len(m.choices), next: m.goals}
	return true, nil
}

// checkBody raises type_error(callable, G) if a control construct in goal
// G has a part that can never be called (a number or string), before any
// of G runs, as SWI-Prolog does when it compiles the goal of call/1.
func checkBody(g Term) error {
	var bad func(t Term, depth int) bool
	bad = func(t Term, depth int) bool {
		switch x := deref(t).(type) {
		case Int, String:
			return true
		case *Compound:
			if depth > 1000 || len(x.Args) != 2 {
				return false
			}
			switch x.Functor {
			case ",", ";", "->", "*->":
				return bad(x.Args[0], depth+1) || bad(x.Args[1], depth+1)
			}
		}
		return false
	}
	if _, isCompound := deref(g).(*Compound); isCompound && bad(g, 0) {
		return typeError("callable", deref(g))
	}
	return nil
}

// catch runs catch(G, C, R): a catch frame, then G, then the exit mark.
func (m *machine) catch(args []Term) {
	f := &catchFrame{catcher: args[1], recovery: args[2], exited: m.newVar()}
	h := len(m.choices)
	m.push(choice{kind: cpCatch, goals: m.goals, catch: f})
	exit := &goal{t: &Compound{Functor: "$catch_exit", Args: []Term{f.exited}}, next: m.goals}
	m.goals = &goal{t: args[0], cutB: h + 1, next: exit}
}
