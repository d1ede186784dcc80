package skb

import (
	"cmp"
	"strings"
)

// Standard order of terms (ISO 7.2, as SWI-Prolog 9 orders them): Var <
// Number < String < Atom < Compound; variables by age, numbers by value, atoms and strings by
// character codes, compounds by arity, then name, then arguments left to
// right.

func typeRank(t Term) int {
	switch t.(type) {
	case *Var:
		return 0
	case Int:
		return 1
	case String:
		return 2
	case Atom:
		return 3
	case *Compound:
		return 5
	}
	return 6
}

// compare returns -1, 0 or 1. It loops on the last argument, charges a
// step per compound and returns 0 with m.err set at the limits.
func (m *machine) compare(a, b Term) int {
	m.depth++
	defer func() { m.depth-- }()
	if m.depth > m.maxDepth {
		m.setErr(ErrDepthLimit)
		return 0
	}
	for {
		a, b = deref(a), deref(b)
		ra, rb := typeRank(a), typeRank(b)
		if ra != rb {
			return cmp.Compare(ra, rb)
		}
		switch x := a.(type) {
		case *Var:
			return cmp.Compare(x.id, b.(*Var).id)
		case Int:
			return cmp.Compare(x, b.(Int))
		case Atom:
			return strings.Compare(string(x), string(b.(Atom)))
		case String:
			return strings.Compare(string(x), string(b.(String)))
		case *Compound:
			y := b.(*Compound)
			if x == y {
				return 0
			}
			if len(x.Args) != len(y.Args) {
				return cmp.Compare(len(x.Args), len(y.Args))
			}
			if c := strings.Compare(string(x.Functor), string(y.Functor)); c != 0 {
				return c
			}
			if !m.charge(1) {
				return 0
			}
			n := len(x.Args)
			for i := 0; i < n-1; i++ {
				if c := m.compare(x.Args[i], y.Args[i]); c != 0 || m.err != nil {
					return c
				}
			}
			a, b = x.Args[n-1], y.Args[n-1]
		default:
			return 0
		}
	}
}
