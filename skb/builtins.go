package skb

// builtinDef names a builtin predicate and its Go implementation.
type builtinDef struct {
	name  Atom
	arity int
	fn    builtinFunc
}

// controlDefs are the control constructs (see control.go).
var controlDefs = []struct {
	name  Atom
	arity int
	k     ctrlKind
}{
	{"true", 0, ctrlTrue}, {"otherwise", 0, ctrlTrue}, {"fail", 0, ctrlFail}, {"false", 0, ctrlFail},
	{"!", 0, ctrlCut}, {",", 2, ctrlConj}, {";", 2, ctrlDisj}, {"|", 2, ctrlDisj},
	{"->", 2, ctrlIfThen}, {"*->", 2, ctrlSoftIf}, {"\\+", 1, ctrlNot},
	{"catch", 3, ctrlCatch}, {"$catch_exit", 1, ctrlCatchExit}, {"$softcut", 0, ctrlSoftCut},
	{"findall", 3, ctrlFindall}, {"$findall_add", 2, ctrlFindallAdd}, {"$findall_end", 2, ctrlFindallEnd},
	{"call", 1, ctrlCall}, {"call", 2, ctrlCall}, {"call", 3, ctrlCall}, {"call", 4, ctrlCall},
	{"call", 5, ctrlCall}, {"call", 6, ctrlCall}, {"call", 7, ctrlCall}, {"call", 8, ctrlCall},
}

// registerBuiltins installs the control constructs and builtins in db.
func registerBuiltins(db *database) {
	for _, c := range controlDefs {
		p := db.ensure(c.name, c.arity)
		p.kind, p.ctrl = predControl, c.k
	}
	groups := [][]builtinDef{typeBuiltins(), arithBuiltins(), termBuiltins(), atomBuiltins(),
		listBuiltins(), dbBuiltins(), ioBuiltins()}
	for _, g := range groups {
		for _, b := range g {
			p := db.ensure(b.name, b.arity)
			p.kind, p.fn = predBuiltin, b.fn
		}
	}
}

// typeBuiltins are the type tests, unification and comparison.
func typeBuiltins() []builtinDef {
	is := func(test func(Term) bool) builtinFunc {
		return func(m *machine, a []Term) (bool, error) { return test(deref(a[0])), nil }
	}
	order := func(want func(int) bool) builtinFunc {
		return func(m *machine, a []Term) (bool, error) { return want(m.compare(a[0], a[1])) && m.err == nil, m.err }
	}
	return []builtinDef{
		{"var", 1, is(func(t Term) bool { _, ok := t.(*Var); return ok })},
		{"nonvar", 1, is(func(t Term) bool { _, ok := t.(*Var); return !ok })},
		// [] is not an atom in SWI-Prolog 7 and later, though it is atomic.
		{"atom", 1, is(func(t Term) bool { a, ok := t.(Atom); return ok && a != atomNil })},
		{"integer", 1, is(func(t Term) bool { _, ok := t.(Int); return ok })},
		{"number", 1, is(func(t Term) bool { _, ok := t.(Int); return ok })},
		{"string", 1, is(func(t Term) bool { _, ok := t.(String); return ok })},
		{"atomic", 1, is(func(t Term) bool {
			switch t.(type) {
			case Atom, Int, String:
				return true
			}
			return false
		})},
		{"compound", 1, is(func(t Term) bool { _, ok := t.(*Compound); return ok })},
		{"callable", 1, is(isCallable)},
		{"is_list", 1, func(m *machine, a []Term) (bool, error) {
			_, ok := m.properList(a[0])
			return ok, m.err
		}},
		{"ground", 1, func(m *machine, a []Term) (bool, error) {
			vs, ok := m.termVars(a[0], nil, map[*Var]bool{})
			return ok && len(vs) == 0, m.err
		}},
		{"=", 2, func(m *machine, a []Term) (bool, error) { return m.unify(a[0], a[1]), m.err }},
		{"\\=", 2, func(m *machine, a []Term) (bool, error) { return !m.unifiable(a[0], a[1]), m.err }},
		{"==", 2, order(func(c int) bool { return c == 0 })},
		{"\\==", 2, order(func(c int) bool { return c != 0 })},
		{"@<", 2, order(func(c int) bool { return c < 0 })},
		{"@>", 2, order(func(c int) bool { return c > 0 })},
		{"@=<", 2, order(func(c int) bool { return c <= 0 })},
		{"@>=", 2, order(func(c int) bool { return c >= 0 })},
		{"compare", 3, biCompare},
	}
}

// unifiable reports whether a and b unify, leaving no bindings.
func (m *machine) unifiable(a, b Term) bool {
	saved := m.varMark
	m.varMark = m.nextVar // trail everything so it can be undone
	mark := len(m.trail)
	ok := m.unify(a, b)
	m.undo(mark)
	m.varMark = saved
	return ok
}

func biCompare(m *machine, a []Term) (bool, error) {
	o := deref(a[0])
	if _, ok := o.(*Var); !ok {
		at, ok := o.(Atom)
		if !ok {
			return false, typeError("atom", o)
		}
		if at != "<" && at != "=" && at != ">" {
			return false, domainError("order", o)
		}
	}
	c := m.compare(a[1], a[2])
	if m.err != nil {
		return false, m.err
	}
	return m.unify(a[0], Atom([]string{"<", "=", ">"}[c+1])), nil
}

// properList returns the elements of a proper list, charging a step per
// cell; ok is false for a partial list or a non-list.
func (m *machine) properList(t Term) ([]Term, bool) {
	var elems []Term
	for {
		switch x := deref(t).(type) {
		case Atom:
			return elems, x == atomNil
		case *Compound:
			if x.Functor != atomDot || len(x.Args) != 2 || !m.charge(1) {
				return nil, false
			}
			elems = append(elems, x.Args[0])
			t = x.Args[1]
		default:
			return nil, false
		}
	}
}

// listArg returns the elements of a list argument, or the ISO error for a
// partial list or a non-list.
func (m *machine) listArg(t Term) ([]Term, error) {
	var elems []Term
	for u := t; ; {
		switch x := deref(u).(type) {
		case *Var:
			return nil, instantiationError()
		case Atom:
			if x == atomNil {
				return elems, nil
			}
			return nil, typeError("list", t)
		case *Compound:
			if x.Functor != atomDot || len(x.Args) != 2 {
				return nil, typeError("list", t)
			}
			if !m.charge(1) {
				return nil, m.err
			}
			elems = append(elems, x.Args[0])
			u = x.Args[1]
		default:
			return nil, typeError("list", t)
		}
	}
}

// intArg returns an integer argument, or the ISO error.
func intArg(t Term) (int64, error) {
	switch x := deref(t).(type) {
	case Int:
		return int64(x), nil
	case *Var:
		return 0, instantiationError()
	default:
		return 0, typeError("integer", x)
	}
}

// callableArg returns a callable argument, or the ISO error.
func callableArg(t Term) (Term, error) {
	t = deref(t)
	switch t.(type) {
	case Atom, *Compound:
		return t, nil
	case *Var:
		return nil, instantiationError()
	}
	return nil, typeError("callable", t)
}
