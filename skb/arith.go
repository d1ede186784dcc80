package skb

import (
	"math"
	"math/bits"
)

// Integer arithmetic (ISO 9): every result is checked for 64-bit overflow,
// which is an evaluation error (SWI-Prolog would switch to big integers).

func arithBuiltins() []builtinDef {
	cmpOp := func(want func(a, b int64) bool) builtinFunc {
		return func(m *machine, a []Term) (bool, error) {
			x, err := m.eval(a[0])
			if err != nil {
				return false, err
			}
			y, err := m.eval(a[1])
			if err != nil {
				return false, err
			}
			return want(x, y), nil
		}
	}
	return []builtinDef{
		{"is", 2, func(m *machine, a []Term) (bool, error) {
			v, err := m.eval(a[1])
			if err != nil {
				return false, err
			}
			return m.unify(a[0], Int(v)), nil
		}},
		{"=:=", 2, cmpOp(func(a, b int64) bool { return a == b })},
		{"=\\=", 2, cmpOp(func(a, b int64) bool { return a != b })},
		{"<", 2, cmpOp(func(a, b int64) bool { return a < b })},
		{">", 2, cmpOp(func(a, b int64) bool { return a > b })},
		{"=<", 2, cmpOp(func(a, b int64) bool { return a <= b })},
		{">=", 2, cmpOp(func(a, b int64) bool { return a >= b })},
		{"succ", 2, biSucc},
		{"plus", 3, biPlus},
	}
}

// eval evaluates an arithmetic expression.
func (m *machine) eval(t Term) (int64, error) {
	m.depth++
	defer func() { m.depth-- }()
	if m.depth > m.maxDepth {
		return 0, ErrDepthLimit
	}
	switch x := deref(t).(type) {
	case Int:
		return int64(x), nil
	case *Var:
		return 0, instantiationError()
	case Atom:
		switch x {
		case "max_tagged_integer", "max_integer":
			return math.MaxInt64, nil
		case "min_integer":
			return math.MinInt64, nil
		}
		return 0, typeError("evaluable", NewCompound("/", x, Int(0)))
	case String:
		if r := []rune(string(x)); len(r) == 1 {
			return int64(r[0]), nil
		}
		return 0, typeError("evaluable", x)
	case *Compound:
		if !m.charge(1) {
			return 0, m.err
		}
		if c, ok := isCons(x); ok && deref(c.Args[1]) == atomNil {
			return m.eval(c.Args[0]) // "[X]" evaluates X, as in "a" codes
		}
		switch len(x.Args) {
		case 1:
			v, err := m.eval(x.Args[0])
			if err != nil {
				return 0, err
			}
			return unaryOp(x.Functor, v)
		case 2:
			a, err := m.eval(x.Args[0])
			if err != nil {
				return 0, err
			}
			b, err := m.eval(x.Args[1])
			if err != nil {
				return 0, err
			}
			return binaryOp(x.Functor, a, b)
		}
		return 0, typeError("evaluable", NewCompound("/", x.Functor, Int(len(x.Args))))
	}
	return 0, typeError("evaluable", t)
}

func unaryOp(f Atom, v int64) (int64, error) {
	switch f {
	case "-":
		if v == math.MinInt64 {
			return 0, evaluationError("int_overflow")
		}
		return -v, nil
	case "+", "integer", "truncate", "round", "ceiling", "floor":
		return v, nil
	case "abs":
		if v == math.MinInt64 {
			return 0, evaluationError("int_overflow")
		}
		if v < 0 {
			return -v, nil
		}
		return v, nil
	case "sign":
		return int64(cmpInt(v, 0)), nil
	case "\\":
		return ^v, nil
	case "msb":
		if v <= 0 {
			return 0, typeError("not_less_than_one", Int(v))
		}
		return int64(63 - bits.LeadingZeros64(uint64(v))), nil
	case "succ":
		return addInt(v, 1)
	}
	return 0, typeError("evaluable", NewCompound("/", f, Int(1)))
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func binaryOp(f Atom, a, b int64) (int64, error) {
	switch f {
	case "+":
		return addInt(a, b)
	case "-":
		if b == math.MinInt64 {
			return 0, evaluationError("int_overflow")
		}
		return addInt(a, -b)
	case "*":
		return mulInt(a, b)
	case "//", "/", "mod", "rem", "div":
		return divide(f, a, b)
	case "min":
		return min(a, b), nil
	case "max":
		return max(a, b), nil
	case ">>":
		return a >> min(uint64(b), 63), nil
	case "<<":
		if b < 0 || b > 62 || (a != 0 && bits.Len64(uint64(abs64(a)))+int(b) > 62) {
			return 0, evaluationError("int_overflow")
		}
		return a << uint(b), nil
	case "/\\":
		return a & b, nil
	case "\\/":
		return a | b, nil
	case "xor":
		return a ^ b, nil
	case "**", "^":
		return powInt(a, b)
	case "gcd":
		for b != 0 {
			a, b = b, a%b
		}
		return abs64(a), nil
	}
	return 0, typeError("evaluable", NewCompound("/", f, Int(2)))
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func addInt(a, b int64) (int64, error) {
	s := a + b
	if (a >= 0) == (b >= 0) && (s >= 0) != (a >= 0) {
		return 0, evaluationError("int_overflow")
	}
	return s, nil
}

func mulInt(a, b int64) (int64, error) {
	if a == 0 || b == 0 {
		return 0, nil
	}
	p := a * b
	if p/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, evaluationError("int_overflow")
	}
	return p, nil
}

// divide implements // (truncating), div (flooring), rem, mod (sign of
// the divisor) and / (exact only: the dialect has no floats).
func divide(f Atom, a, b int64) (int64, error) {
	if b == 0 {
		return 0, evaluationError("zero_divisor")
	}
	if a == math.MinInt64 && b == -1 {
		if f == "mod" || f == "rem" {
			return 0, nil
		}
		return 0, evaluationError("int_overflow")
	}
	q, r := a/b, a%b
	switch f {
	case "//":
		return q, nil
	case "rem":
		return r, nil
	case "mod":
		if r != 0 && (r < 0) != (b < 0) {
			r += b
		}
		return r, nil
	case "div":
		if r != 0 && (r < 0) != (b < 0) {
			q--
		}
		return q, nil
	}
	if r != 0 {
		return 0, evaluationError("undefined") // a float in SWI-Prolog; no floats here
	}
	return q, nil
}

// powInt computes a^b for b >= 0 (an integer result; SWI-Prolog gives a
// float for a negative exponent, which the dialect lacks).
func powInt(a, b int64) (int64, error) {
	switch {
	case a == 1 || b == 0:
		return 1, nil
	case a == 0:
		return 0, nil
	case a == -1:
		return 1 - 2*(b&1), nil
	case b < 0:
		return 0, typeError("float", Int(a))
	}
	r := int64(1)
	for ; b > 0; b-- { // |a| >= 2, so overflow ends this within 63 rounds
		var err error
		if r, err = mulInt(r, a); err != nil {
			return 0, err
		}
	}
	return r, nil
}

func biSucc(m *machine, a []Term) (bool, error) {
	if x, ok := deref(a[0]).(Int); ok {
		if x < 0 {
			return false, typeError("not_less_than_zero", x)
		}
		return m.unify(a[1], x+1), nil
	}
	y, err := intArg(a[1])
	if err != nil {
		return false, err
	}
	if y <= 0 {
		if y < 0 {
			return false, typeError("not_less_than_zero", Int(y))
		}
		return false, nil
	}
	return m.unify(a[0], Int(y-1)), nil
}

func biPlus(m *machine, a []Term) (bool, error) {
	x, xok := deref(a[0]).(Int)
	y, yok := deref(a[1]).(Int)
	switch {
	case xok && yok:
		s, err := addInt(int64(x), int64(y))
		if err != nil {
			return false, err
		}
		return m.unify(a[2], Int(s)), nil
	case xok:
		z, err := intArg(a[2])
		if err != nil {
			return false, err
		}
		return m.unify(a[1], Int(z-int64(x))), nil
	case yok:
		z, err := intArg(a[2])
		if err != nil {
			return false, err
		}
		return m.unify(a[0], Int(z-int64(y))), nil
	}
	return false, instantiationError()
}
