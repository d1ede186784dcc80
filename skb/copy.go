package skb

// copy returns a copy of t with fresh variables (copy_term/2). It charges
// a step per compound; on a deep or cyclic term it returns false with
// m.err set.
func (m *machine) copy(t Term) (Term, bool) {
	vars := map[*Var]*Var{}
	return m.copyIn(t, vars)
}

func (m *machine) copyIn(t Term, vars map[*Var]*Var) (Term, bool) {
	m.depth++
	defer func() { m.depth-- }()
	if m.depth > m.maxDepth {
		m.setErr(ErrDepthLimit)
		return nil, false
	}
	var root Term
	hole := &root
	for {
		switch x := deref(t).(type) {
		case *Var:
			nv, ok := vars[x]
			if !ok {
				nv = m.newVar()
				vars[x] = nv
			}
			*hole = nv
			return root, true
		case *Compound:
			if !m.charge(1) {
				return nil, false
			}
			n := len(x.Args)
			c := &Compound{Functor: x.Functor, Args: make([]Term, n)}
			*hole = c
			for i := 0; i < n-1; i++ {
				a, ok := m.copyIn(x.Args[i], vars)
				if !ok {
					return nil, false
				}
				c.Args[i] = a
			}
			hole = &c.Args[n-1]
			t = x.Args[n-1]
		default:
			*hole = x
			return root, true
		}
	}
}

// termVars appends the distinct unbound variables of t, depth-first left
// to right (term_variables/2).
func (m *machine) termVars(t Term, acc []*Var, seen map[*Var]bool) ([]*Var, bool) {
	m.depth++
	defer func() { m.depth-- }()
	if m.depth > m.maxDepth {
		m.setErr(ErrDepthLimit)
		return nil, false
	}
	for {
		switch x := deref(t).(type) {
		case *Var:
			if !seen[x] {
				seen[x] = true
				acc = append(acc, x)
			}
			return acc, true
		case *Compound:
			if !m.charge(1) {
				return nil, false
			}
			n := len(x.Args)
			for i := 0; i < n-1; i++ {
				var ok bool
				if acc, ok = m.termVars(x.Args[i], acc, seen); !ok {
					return nil, false
				}
			}
			t = x.Args[n-1]
		default:
			return acc, true
		}
	}
}
