package skb

// unify unifies a and b without occurs check (as SWI-Prolog does by
// default). It loops on the last argument so that long lists cost no Go
// stack, charges a step per compound and fails with m.err set when the
// budget or depth limit is reached (which is how cyclic terms end).
func (m *machine) unify(a, b Term) bool {
	if m.depth >= m.maxDepth {
		m.setErr(ErrDepthLimit)
		return false
	}
	m.depth++
	ok := m.unifyLoop(a, b)
	m.depth--
	return ok
}

func (m *machine) unifyLoop(a, b Term) bool {
	for {
		a, b = deref(a), deref(b)
		if va, ok := a.(*Var); ok {
			if vb, ok := b.(*Var); ok {
				if va == vb {
					return true
				}
				if va.id < vb.id { // bind the younger to the older
					va, b = vb, va
				}
			}
			m.bind(va, b)
			return true
		}
		if vb, ok := b.(*Var); ok {
			m.bind(vb, a)
			return true
		}
		ca, ok := a.(*Compound)
		if !ok {
			return a == b
		}
		cb, ok := b.(*Compound)
		if !ok || ca.Functor != cb.Functor || len(ca.Args) != len(cb.Args) {
			return false
		}
		if ca == cb {
			return true
		}
		if !m.charge(1) {
			return false
		}
		n := len(ca.Args)
		for i := 0; i < n-1; i++ {
			if !m.unify(ca.Args[i], cb.Args[i]) {
				return false
			}
		}
		a, b = ca.Args[n-1], cb.Args[n-1]
	}
}

// setErr records a resource error that ends the query.
func (m *machine) setErr(err error) {
	if m.err == nil {
		m.err = err
	}
}

// build instantiates template p in environment env, creating fresh
// variables for unset slots. Ground parts of the template are shared.
func (m *machine) build(p Term, env []Term) Term {
	var root Term
	hole := &root
	for {
		switch x := p.(type) {
		case clauseVar:
			if env[x] == nil {
				env[x] = m.newVar()
			}
			*hole = env[x]
			return root
		case *tmpl:
			n := len(x.args)
			c := newCompound(x.fun, n)
			*hole = c
			for i := 0; i < n-1; i++ {
				switch a := x.args[i].(type) {
				case clauseVar: // inline the commonest case
					if env[a] == nil {
						env[a] = m.newVar()
					}
					c.Args[i] = env[a]
				case *tmpl:
					c.Args[i] = m.build(a, env)
				default:
					c.Args[i] = a
				}
			}
			hole = &c.Args[n-1]
			p = x.args[n-1]
		default:
			*hole = p
			return root
		}
	}
}

// unifyHead unifies template p (a head argument) with the run-time term t,
// filling env. It builds structure only where t is an unbound variable.
func (m *machine) unifyHead(p Term, t Term, env []Term) bool {
	for {
		switch x := p.(type) {
		case clauseVar:
			if env[x] == nil {
				env[x] = deref(t)
				return true
			}
			return m.unify(env[x], t)
		case *tmpl:
			t = deref(t)
			switch y := t.(type) {
			case *Var:
				m.bind(y, m.build(x, env))
				return true
			case *Compound:
				n := len(x.args)
				if y.Functor != x.fun || len(y.Args) != n {
					return false
				}
				for i := 0; i < n-1; i++ {
					if !m.unifyHead(x.args[i], y.Args[i], env) {
						return false
					}
				}
				p, t = x.args[n-1], y.Args[n-1]
			default:
				return false
			}
		case *Compound:
			return m.unify(p, t)
		default: // atomic
			t = deref(t)
			if v, ok := t.(*Var); ok {
				m.bind(v, p)
				return true
			}
			return p == t
		}
	}
}
