package skb

import (
	"math"
	"slices"
)

// listBuiltins are the list predicates written in Go; the others are in
// library.pl.
func listBuiltins() []builtinDef {
	return []builtinDef{
		{"length", 2, biLength},
		{"msort", 2, func(m *machine, a []Term) (bool, error) { return m.sortList(a[0], a[1], 0, "@=<") }},
		{"sort", 2, func(m *machine, a []Term) (bool, error) { return m.sortList(a[0], a[1], 0, "@<") }},
		{"sort", 4, biSort4},
		{"keysort", 2, biKeysort},
		{"between", 3, biBetween},
		{"repeat", 0, func(m *machine, a []Term) (bool, error) { return m.solveGen(repeatGen{}) }},
	}
}

func biLength(m *machine, a []Term) (bool, error) {
	n := int64(0)
	t := deref(a[0])
	for {
		c, ok := isCons(t)
		if !ok {
			break
		}
		if !m.charge(1) {
			return false, m.err
		}
		n++
		t = deref(c.Args[1])
	}
	switch tail := t.(type) {
	case Atom:
		if tail != atomNil {
			return false, typeError("list", deref(a[0]))
		}
		return m.unify(a[1], Int(n)), nil
	case *Var:
		switch want := deref(a[1]).(type) {
		case Int:
			if int64(want) < n {
				return false, nil
			}
			return m.extend(tail, int64(want)-n), m.err
		case *Var:
			return m.solveGen(&lengthGen{tail: tail, n: want, base: n})
		default:
			return false, typeError("integer", want)
		}
	}
	return false, typeError("list", deref(a[0]))
}

// extend binds v to a list of k fresh variables.
func (m *machine) extend(v *Var, k int64) bool {
	if !m.charge(k) {
		return false
	}
	elems := make([]Term, k)
	for i := range elems {
		elems[i] = m.newVar()
	}
	return m.unify(v, NewList(elems...))
}

// lengthGen enumerates length(L, N) for a partial list and unbound N.
type lengthGen struct {
	tail *Var
	n    *Var
	base int64
	k    int64
}

func (g *lengthGen) next(m *machine) (bool, bool, error) {
	ok := m.extend(g.tail, g.k) && m.unify(g.n, Int(g.base+g.k))
	g.k++
	return ok, m.err == nil, m.err
}

// repeatGen succeeds forever.
type repeatGen struct{}

func (repeatGen) next(*machine) (bool, bool, error) { return true, true, nil }

func biBetween(m *machine, a []Term) (bool, error) {
	lo, err := intArg(a[0])
	if err != nil {
		return false, err
	}
	hi := int64(math.MaxInt64)
	if h := deref(a[1]); h != Atom("inf") && h != Atom("infinite") {
		if hi, err = intArg(h); err != nil {
			return false, err
		}
	}
	switch x := deref(a[2]).(type) {
	case Int:
		return lo <= int64(x) && int64(x) <= hi, nil
	case *Var:
		if lo > hi {
			return false, nil
		}
		return m.solveGen(&betweenGen{v: x, i: lo, hi: hi})
	default:
		return false, typeError("integer", x)
	}
}

// betweenGen enumerates between(Lo, Hi, X).
type betweenGen struct {
	v     *Var
	i, hi int64
}

func (g *betweenGen) next(m *machine) (bool, bool, error) {
	m.bind(g.v, Int(g.i))
	more := g.i < g.hi
	g.i++
	return true, more, nil
}

func biSort4(m *machine, a []Term) (bool, error) {
	key, err := intArg(a[0])
	if err != nil {
		return false, err
	}
	if key < 0 {
		return false, domainError("not_less_than_zero", Int(key))
	}
	order, ok := deref(a[1]).(Atom)
	if !ok || (order != "@<" && order != "@=<" && order != "@>" && order != "@>=") {
		return false, domainError("order", deref(a[1]))
	}
	return m.sortList(a[2], a[3], int(key), order)
}

// sortList sorts list by whole terms (key 0) or by argument key, in order
// @< or @> (dropping duplicate keys) or @=< or @>= (keeping them, stably).
func (m *machine) sortList(list, out Term, key int, order Atom) (bool, error) {
	elems, err := m.listArg(list)
	if err != nil {
		return false, err
	}
	keys := make([]Term, len(elems))
	for i, e := range elems {
		if keys[i], err = sortKey(e, key); err != nil {
			return false, err
		}
	}
	idx := make([]int, len(elems))
	for i := range idx {
		idx[i] = i
	}
	desc := order == "@>" || order == "@>="
	slices.SortStableFunc(idx, func(x, y int) int {
		c := m.compare(keys[x], keys[y])
		if desc {
			return -c
		}
		return c
	})
	if m.err != nil || !m.charge(int64(len(elems))) {
		return false, m.err
	}
	dedup := order == "@<" || order == "@>"
	sorted := make([]Term, 0, len(elems))
	for i, j := range idx {
		if dedup && i > 0 && m.compare(keys[idx[i-1]], keys[j]) == 0 {
			continue
		}
		sorted = append(sorted, elems[j])
	}
	return m.unify(out, NewList(sorted...)), m.err
}

// sortKey returns the sort key of e: e itself, or its argument key.
func sortKey(e Term, key int) (Term, error) {
	if key == 0 {
		return e, nil
	}
	c, ok := deref(e).(*Compound)
	if !ok {
		if _, isVar := deref(e).(*Var); isVar {
			return nil, instantiationError()
		}
		return nil, typeError("compound", deref(e))
	}
	if key > len(c.Args) {
		return nil, typeError("compound", c) // SWI: too few arguments
	}
	return c.Args[key-1], nil
}

func biKeysort(m *machine, a []Term) (bool, error) {
	elems, err := m.listArg(a[0])
	if err != nil {
		return false, err
	}
	for _, e := range elems {
		c, ok := deref(e).(*Compound)
		if !ok || c.Functor != "-" || len(c.Args) != 2 {
			if _, isVar := deref(e).(*Var); isVar {
				return false, instantiationError()
			}
			return false, typeError("pair", deref(e))
		}
	}
	return m.sortList(a[0], a[1], 1, "@=<")
}
