package skb

// dbBuiltins change and inspect the database and the operator table.
func dbBuiltins() []builtinDef {
	noop := func(*machine, []Term) (bool, error) { return true, nil }
	return []builtinDef{
		{"assert", 1, func(m *machine, a []Term) (bool, error) { return m.assert(a[0], false) }},
		{"assertz", 1, func(m *machine, a []Term) (bool, error) { return m.assert(a[0], false) }},
		{"asserta", 1, func(m *machine, a []Term) (bool, error) { return m.assert(a[0], true) }},
		{"retract", 1, biRetract},
		{"retractall", 1, biRetractall},
		{"clause", 2, biClause},
		{"dynamic", 1, func(m *machine, a []Term) (bool, error) { return true, m.declareDynamic(a[0]) }},
		{"discontiguous", 1, noop},
		{"ensure_loaded", 1, noop},
		{"use_module", 1, noop},
		{"use_module", 2, noop},
		{"set_prolog_flag", 2, noop},
		{"garbage_collect", 0, noop},
		{"op", 3, biOp},
		{"statistics", 2, biStatistics},
	}
}

// assert compiles clause t and adds it to its (dynamic) predicate. The
// clause's size is walked before it is compiled (storeBytes), so a huge
// or cyclic term ends in the step limit or, in a client's scope, in its
// bound.
func (m *machine) assert(t Term, front bool) (bool, error) {
	_, _, name, arity, err := splitClause(t)
	if err != nil {
		return false, err
	}
	p, err := m.modifiable(name, arity)
	if err != nil {
		return false, err
	}
	limit := int64(noLimit)
	if m.scope != nil {
		limit = m.scope.max - m.scope.used
	}
	size, ok := m.storeBytes(t, limit)
	if !ok {
		return false, m.err
	}
	if size > limit {
		return false, m.scope.fullError() // only a scope has a limit
	}
	cl, _, _, err := compileClause(m.bodyPred, t, m.maxDepth)
	if err != nil {
		return false, err
	}
	if !m.charge(int64(cl.nvars + len(cl.body) + 1)) {
		return false, m.err
	}
	if m.scope != nil {
		if err := m.scope.reserve(size); err != nil {
			return false, err
		}
		cl.size = size
	}
	p.dynamic = true
	m.e.db.add(p, cl, front)
	return true, nil
}

// removeClause drops clause c from p, giving back what it held in the
// client's scope.
func (m *machine) removeClause(p *pred, c *clause) {
	m.e.db.remove(p, c)
	if m.scope != nil {
		m.scope.release(c.size)
	}
}

// splitClause returns the head and body of Head :- Body (body true for a
// fact) and the head's predicate key.
func splitClause(t Term) (Term, Term, Atom, int, error) {
	head, body := deref(t), Term(atomTrue)
	if c, ok := head.(*Compound); ok && c.Functor == ":-" && len(c.Args) == 2 {
		head, body = deref(c.Args[0]), c.Args[1]
	}
	name, args, ok := functorOf(head)
	if !ok {
		if _, isVar := head.(*Var); isVar {
			return nil, nil, "", 0, instantiationError()
		}
		return nil, nil, "", 0, typeError("callable", head)
	}
	return head, body, name, len(args), nil
}

// clauseGen enumerates the clauses of a predicate matching head and body,
// for clause/2 and (with remove set) retract/1.
type clauseGen struct {
	p          *pred
	clauses    []*clause
	head, body Term
	remove     bool
	i          int
}

func (g *clauseGen) next(m *machine) (bool, bool, error) {
	for g.i < len(g.clauses) {
		c := g.clauses[g.i]
		g.i++
		if !m.charge(1) {
			return false, false, m.err
		}
		env := make([]Term, c.nvars)
		mark := len(m.trail)
		if m.unify(g.head, m.build(c.head, env)) && m.unify(g.body, m.clauseBody(c, env)) {
			if g.remove {
				m.removeClause(g.p, c)
			}
			return true, g.i < len(g.clauses), nil
		}
		m.undo(mark)
		if m.err != nil {
			return false, false, m.err
		}
	}
	return false, false, nil
}

// clauseBody rebuilds the body of c as a conjunction.
func (m *machine) clauseBody(c *clause, env []Term) Term {
	if len(c.body) == 0 {
		return atomTrue
	}
	t := m.build(c.body[len(c.body)-1].t, env)
	for k := len(c.body) - 2; k >= 0; k-- {
		t = &Compound{Functor: ",", Args: []Term{m.build(c.body[k].t, env), t}}
	}
	return t
}

func biRetract(m *machine, a []Term) (bool, error) {
	head, body, name, arity, err := splitClause(a[0])
	if err != nil {
		return false, err
	}
	p, err := m.modifiable(name, arity)
	if err != nil {
		return false, err
	}
	return m.solveGen(&clauseGen{p: p, clauses: p.clauses, head: head, body: body, remove: true})
}

func biRetractall(m *machine, a []Term) (bool, error) {
	head, _, name, arity, err := splitClause(a[0])
	if err != nil {
		return false, err
	}
	p, err := m.modifiable(name, arity)
	if err != nil {
		return false, err
	}
	p.dynamic = true
	for _, c := range p.clauses {
		if !m.charge(1) {
			return false, m.err
		}
		env := make([]Term, c.nvars)
		if m.unifiable(head, m.build(c.head, env)) {
			m.removeClause(p, c)
		}
	}
	return true, m.err
}

func biClause(m *machine, a []Term) (bool, error) {
	head := deref(a[0])
	name, args, ok := functorOf(head)
	if !ok {
		if _, isVar := head.(*Var); isVar {
			return false, instantiationError()
		}
		return false, typeError("callable", head)
	}
	p := m.resolve(name, len(args))
	if p == nil {
		return false, nil
	}
	if p.kind != predUser {
		return false, permissionError("access", "private_procedure", NewCompound("/", name, Int(len(args))))
	}
	return m.solveGen(&clauseGen{p: p, clauses: p.clauses, head: head, body: a[1]})
}

// dynamicPred returns the predicate dynamic/1 declares: for the system
// any user predicate, for a client one of its own.
func (m *machine) dynamicPred(name Atom, arity int) (*pred, error) {
	if m.scope != nil {
		return m.modifiable(name, arity)
	}
	p := m.e.db.ensure(name, arity)
	if p.kind != predUser || p.library {
		return nil, modifyError(name, arity)
	}
	return p, nil
}

// declareDynamic handles dynamic/1: Name/Arity, a conjunction or a list
// of them.
func (m *machine) declareDynamic(spec Term) error {
	switch x := deref(spec).(type) {
	case *Var:
		return instantiationError()
	case Atom:
		if x == atomNil {
			return nil
		}
	case *Compound:
		if (x.Functor == "," || x.Functor == atomDot) && len(x.Args) == 2 {
			if err := m.declareDynamic(x.Args[0]); err != nil {
				return err
			}
			return m.declareDynamic(x.Args[1])
		}
		if x.Functor == "/" && len(x.Args) == 2 {
			name, nok := deref(x.Args[0]).(Atom)
			arity, aok := deref(x.Args[1]).(Int)
			if nok && aok && arity >= 0 {
				p, err := m.dynamicPred(name, int(arity))
				if err != nil {
					return err
				}
				p.dynamic = true
				return nil
			}
		}
	}
	return typeError("predicate_indicator", deref(spec))
}

func biOp(m *machine, a []Term) (bool, error) {
	prio, err := intArg(a[0])
	if err != nil {
		return false, err
	}
	if prio < 0 || prio > 1200 {
		return false, domainError("operator_priority", Int(prio))
	}
	ta, ok := deref(a[1]).(Atom)
	typ, known := opTypeNames[ta]
	if !ok || !known {
		return false, domainError("operator_specifier", deref(a[1]))
	}
	ops, err := m.writableOps()
	if err != nil {
		return false, err
	}
	names := []Term{a[2]}
	if _, isList := deref(a[2]).(*Compound); isList {
		if names, err = m.listArg(a[2]); err != nil {
			return false, err
		}
	}
	for _, n := range names {
		name, ok := deref(n).(Atom)
		if !ok {
			return false, typeError("atom", deref(n))
		}
		if name == "," || name == "[]" || name == "{}" || name == "|" && prio > 0 && prio < 1001 {
			return false, permissionError("modify", "operator", name)
		}
		if m.scope != nil && ops[name] == nil {
			if err := m.scope.reserve(opBytes + int64(len(name))); err != nil {
				return false, err
			}
		}
		ops.add(int(prio), typ, name)
	}
	return true, nil
}

func biStatistics(m *machine, a []Term) (bool, error) {
	switch k := deref(a[0]); k {
	case Atom("inferences"):
		return m.unify(a[1], Int(m.inferences)), nil
	case Atom("steps"):
		return m.unify(a[1], Int(m.steps)), nil
	default:
		return false, domainError("statistics_key", k)
	}
}
