package skb

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// atomBuiltins convert between atoms, strings, numbers, codes and chars.
func atomBuiltins() []builtinDef {
	return []builtinDef{
		{"atom_codes", 2, convert(func(s string) Term { return Atom(s) }, codesOf)},
		{"atom_chars", 2, convert(func(s string) Term { return Atom(s) }, charsOf)},
		{"atom_string", 2, convert(func(s string) Term { return Atom(s) }, func(s string) Term { return String(s) })},
		{"string_codes", 2, convert(func(s string) Term { return String(s) }, codesOf)},
		{"string_chars", 2, convert(func(s string) Term { return String(s) }, charsOf)},
		{"string_to_atom", 2, convert(func(s string) Term { return String(s) }, func(s string) Term { return Atom(s) })},
		{"number_codes", 2, convertNumber(codesOf)},
		{"atom_number", 2, biAtomNumber},
		{"char_code", 2, biCharCode},
		{"atom_length", 2, textLength},
		{"string_length", 2, textLength},
		{"atom_concat", 3, func(m *machine, a []Term) (bool, error) { return m.concat(a, func(s string) Term { return Atom(s) }) }},
		{"string_concat", 3, func(m *machine, a []Term) (bool, error) { return m.concat(a, func(s string) Term { return String(s) }) }},
		{"upcase_atom", 2, caseMap(strings.ToUpper)},
		{"downcase_atom", 2, caseMap(strings.ToLower)},
		{"atomic_list_concat", 2, func(m *machine, a []Term) (bool, error) { return m.atomicListConcat(a[0], "", a[1]) }},
		{"atomic_list_concat", 3, biAtomicListConcat3},
		{"term_to_atom", 2, biTermToAtom},
	}
}

// textOf returns the text of an atom, string, integer, or code or char
// list.
func (m *machine) textOf(t Term) (string, bool) {
	switch x := deref(t).(type) {
	case Atom:
		return string(x), true
	case String:
		return string(x), true
	case Int:
		return strconv.FormatInt(int64(x), 10), true
	case *Compound:
		elems, ok := m.properList(x)
		if !ok {
			return "", false
		}
		var b strings.Builder
		for _, e := range elems {
			switch c := deref(e).(type) {
			case Int:
				if c < 0 || c > utf8.MaxRune {
					return "", false
				}
				b.WriteRune(rune(c))
			case Atom:
				if utf8.RuneCountInString(string(c)) != 1 {
					return "", false
				}
				b.WriteString(string(c))
			default:
				return "", false
			}
		}
		return b.String(), true
	}
	return "", false
}

func codesOf(s string) Term { return codeList(s) }

func charsOf(s string) Term {
	var cs []Term
	for _, r := range s {
		cs = append(cs, Atom(string(r)))
	}
	return NewList(cs...)
}

// convert makes a two-way conversion builtin between the text of the first
// argument (built by mk1) and of the second (built by mk2).
func convert(mk1, mk2 func(string) Term) builtinFunc {
	return func(m *machine, a []Term) (bool, error) {
		if _, ok := deref(a[0]).(*Var); !ok {
			s, ok := m.textOf(a[0])
			if !ok {
				return false, typeError("atomic", deref(a[0]))
			}
			return m.chargeText(s) && m.unify(a[1], mk2(s)), m.err
		}
		s, ok := m.textOf(a[1])
		if !ok {
			if _, isVar := deref(a[1]).(*Var); isVar {
				return false, instantiationError()
			}
			return false, typeError("list", deref(a[1]))
		}
		return m.chargeText(s) && m.unify(a[0], mk1(s)), m.err
	}
}

// chargeText charges for building text of len(s) bytes.
func (m *machine) chargeText(s string) bool {
	return m.charge(int64(len(s)/8 + 1))
}

func convertNumber(mk func(string) Term) builtinFunc {
	return func(m *machine, a []Term) (bool, error) {
		if n, ok := deref(a[0]).(Int); ok {
			return m.unify(a[1], mk(strconv.FormatInt(int64(n), 10))), nil
		}
		s, ok := m.textOf(a[1])
		if !ok {
			return false, instantiationError()
		}
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return false, isoError(NewCompound("syntax_error", Atom("illegal_number")))
		}
		return m.unify(a[0], Int(n)), nil
	}
}

func biAtomNumber(m *machine, a []Term) (bool, error) {
	switch x := deref(a[0]).(type) {
	case *Var:
		n, err := intArg(a[1])
		if err != nil {
			return false, err
		}
		return m.unify(x, Atom(strconv.FormatInt(n, 10))), nil
	case Atom:
		n, err := strconv.ParseInt(string(x), 0, 64)
		if err != nil {
			return false, nil
		}
		return m.unify(a[1], Int(n)), nil
	default:
		return false, typeError("atom", x)
	}
}

func biCharCode(m *machine, a []Term) (bool, error) {
	if c, ok := deref(a[0]).(Atom); ok {
		r, size := utf8.DecodeRuneInString(string(c))
		if size == 0 || size != len(c) {
			return false, typeError("character", c)
		}
		return m.unify(a[1], Int(r)), nil
	}
	n, err := intArg(a[1])
	if err != nil {
		return false, err
	}
	if n < 0 || n > utf8.MaxRune {
		return false, representationError("character_code")
	}
	return m.unify(a[0], Atom(string(rune(n)))), nil
}

func textLength(m *machine, a []Term) (bool, error) {
	t := deref(a[0])
	if _, ok := t.(*Var); ok {
		return false, instantiationError()
	}
	if _, ok := t.(*Compound); ok {
		return false, typeError("text", t)
	}
	s, _ := m.textOf(t)
	return m.unify(a[1], Int(utf8.RuneCountInString(s))), nil
}

func caseMap(f func(string) string) builtinFunc {
	return func(m *machine, a []Term) (bool, error) {
		s, ok := m.textOf(a[0])
		if !ok {
			return false, instantiationError()
		}
		return m.unify(a[1], Atom(f(s))), nil
	}
}

// concat runs atom_concat/3 and string_concat/3: joining when the first two
// arguments are known, else enumerating the splits of the third.
func (m *machine) concat(a []Term, mk func(string) Term) (bool, error) {
	x, xok := m.textOf(a[0])
	y, yok := m.textOf(a[1])
	if xok && yok {
		return m.chargeText(x+y) && m.unify(a[2], mk(x+y)), m.err
	}
	whole, ok := m.textOf(a[2])
	if !ok {
		return false, instantiationError()
	}
	return m.solveGen(&splitGen{s: whole, a: a[0], b: a[1], mk: mk})
}

// splitGen enumerates the ways to split s into two.
type splitGen struct {
	s    string
	a, b Term
	mk   func(string) Term
	i    int
}

func (g *splitGen) next(m *machine) (bool, bool, error) {
	for g.i <= len(g.s) {
		i := g.i
		if g.i < len(g.s) {
			_, size := utf8.DecodeRuneInString(g.s[g.i:])
			g.i += size
		} else {
			g.i++
		}
		mark := len(m.trail)
		if m.unify(g.a, g.mk(g.s[:i])) && m.unify(g.b, g.mk(g.s[i:])) {
			return true, g.i <= len(g.s), nil
		}
		m.undo(mark)
	}
	return false, false, nil
}

func (m *machine) atomicListConcat(list Term, sep string, out Term) (bool, error) {
	elems, err := m.listArg(list)
	if err != nil {
		return false, err
	}
	parts := make([]string, len(elems))
	for i, e := range elems {
		s, ok := m.textOf(e)
		if !ok {
			return false, instantiationError()
		}
		if _, isList := deref(e).(*Compound); isList {
			return false, typeError("atomic", deref(e))
		}
		parts[i] = s
	}
	joined := strings.Join(parts, sep)
	return m.chargeText(joined) && m.unify(out, Atom(joined)), m.err
}

// biAtomicListConcat3 joins with a separator, or splits an atom at it.
func biAtomicListConcat3(m *machine, a []Term) (bool, error) {
	sep, ok := m.textOf(a[1])
	if !ok {
		return false, instantiationError()
	}
	if _, err := m.listArg(a[0]); err == nil {
		return m.atomicListConcat(a[0], sep, a[2])
	}
	whole, ok := m.textOf(a[2])
	if !ok || sep == "" {
		return false, instantiationError()
	}
	var parts []Term
	for _, p := range strings.Split(whole, sep) {
		parts = append(parts, Atom(p))
	}
	return m.chargeText(whole) && m.unify(a[0], NewList(parts...)), m.err
}

func biTermToAtom(m *machine, a []Term) (bool, error) {
	if _, ok := deref(a[0]).(*Var); !ok {
		s, err := writeTerm(a[0], m.ops(), true, int(min(m.maxSteps-m.steps, answerLimit)))
		if err != nil {
			return false, err
		}
		return m.chargeText(s) && m.unify(a[1], Atom(s)), m.err
	}
	s, ok := m.textOf(a[1])
	if !ok {
		return false, instantiationError()
	}
	t, _, err := m.parseGoal(s)
	if err != nil {
		return false, isoError(NewCompound("syntax_error", Atom(err.Error())))
	}
	return m.unify(a[0], t), nil
}
