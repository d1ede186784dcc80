package skb

// termBuiltins construct and take apart terms, and raise exceptions.
func termBuiltins() []builtinDef {
	return []builtinDef{
		{"functor", 3, biFunctor},
		{"arg", 3, biArg},
		{"=..", 2, biUniv},
		{"copy_term", 2, func(m *machine, a []Term) (bool, error) {
			c, ok := m.copy(a[0])
			if !ok {
				return false, m.err
			}
			return m.unify(a[1], c), nil
		}},
		{"term_variables", 2, func(m *machine, a []Term) (bool, error) {
			vs, ok := m.termVars(a[0], nil, map[*Var]bool{})
			if !ok {
				return false, m.err
			}
			ts := make([]Term, len(vs))
			for i, v := range vs {
				ts[i] = v
			}
			return m.unify(a[1], NewList(ts...)), nil
		}},
		{"throw", 1, func(m *machine, a []Term) (bool, error) {
			if _, ok := deref(a[0]).(*Var); ok {
				return false, instantiationError()
			}
			c, ok := m.copy(a[0])
			if !ok {
				return false, m.err
			}
			return false, throwTerm(c)
		}},
	}
}

func biFunctor(m *machine, a []Term) (bool, error) {
	switch t := deref(a[0]).(type) {
	case *Var:
		n, err := intArg(a[2])
		if err != nil {
			return false, err
		}
		name := deref(a[1])
		if n == 0 {
			return m.unify(t, name), nil
		}
		f, ok := name.(Atom)
		switch {
		case n < 0:
			return false, domainError("not_less_than_zero", Int(n))
		case !ok:
			if _, isVar := name.(*Var); isVar {
				return false, instantiationError()
			}
			return false, typeError("atomic", name)
		case !m.charge(n):
			return false, m.err
		}
		args := make([]Term, n)
		for i := range args {
			args[i] = m.newVar()
		}
		return m.unify(t, &Compound{Functor: f, Args: args}), nil
	case *Compound:
		return m.unify(a[1], t.Functor) && m.unify(a[2], Int(len(t.Args))), nil
	default:
		return m.unify(a[1], t) && m.unify(a[2], Int(0)), nil
	}
}

func biArg(m *machine, a []Term) (bool, error) {
	c, ok := deref(a[1]).(*Compound)
	if !ok {
		return false, typeError("compound", deref(a[1]))
	}
	switch n := deref(a[0]).(type) {
	case Int:
		if n < 1 || int(n) > len(c.Args) {
			return false, nil
		}
		return m.unify(a[2], c.Args[n-1]), nil
	case *Var:
		return m.solveGen(&argGen{n: n, c: c, val: a[2]})
	default:
		return false, typeError("integer", n)
	}
}

// argGen enumerates arg(N, T, A) for unbound N.
type argGen struct {
	n   *Var
	c   *Compound
	val Term
	i   int
}

func (g *argGen) next(m *machine) (bool, bool, error) {
	for g.i < len(g.c.Args) {
		g.i++
		mark := len(m.trail)
		if m.unify(g.n, Int(g.i)) && m.unify(g.val, g.c.Args[g.i-1]) {
			return true, g.i < len(g.c.Args), nil
		}
		m.undo(mark)
	}
	return false, false, nil
}

func biUniv(m *machine, a []Term) (bool, error) {
	switch t := deref(a[0]).(type) {
	case *Var:
		elems, err := m.listArg(a[1])
		if err != nil {
			return false, err
		}
		if len(elems) == 0 {
			return false, domainError("non_empty_list", atomNil)
		}
		head := deref(elems[0])
		if len(elems) == 1 {
			return m.unify(t, head), nil
		}
		f, ok := head.(Atom)
		if !ok {
			if _, isVar := head.(*Var); isVar {
				return false, instantiationError()
			}
			return false, typeError("atom", head)
		}
		return m.unify(t, &Compound{Functor: f, Args: append([]Term(nil), elems[1:]...)}), nil
	case *Compound:
		if !m.charge(int64(len(t.Args))) {
			return false, m.err
		}
		return m.unify(a[1], cons(t.Functor, NewList(t.Args...))), nil
	default:
		return m.unify(a[1], NewList(t)), nil
	}
}

// solveGen runs the first answer of a nondeterministic builtin, leaving a
// choicepoint for the others.
func (m *machine) solveGen(g generator) (bool, error) {
	m.push(choice{kind: cpGen, gen: g, goals: m.goals})
	ok, more, err := g.next(m)
	if err != nil || !ok || !more {
		m.pop()
	}
	return ok && err == nil, err
}
