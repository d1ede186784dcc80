package skb

import (
	"errors"
	"strconv"
)

// errWriteLimit is returned when a term is too large or too deep to write,
// which is also how a cyclic term ends.
var errWriteLimit = errors.New("term too large or cyclic to write")

// writer prints terms in Prolog syntax the way SWI-Prolog's write/1
// (quoted false) and print/1 and writeq/1 (quoted true) do: operators in
// operator notation with the fewest brackets, lists as [a,b|T], '$VAR'(N)
// as a variable name, and a space between two tokens only where they would
// otherwise read as one.
type writer struct {
	buf    []byte
	ops    opTable
	quoted bool
	budget int // cells still allowed
	depth  int
	err    error
}

// writeTerm returns the text of t; quoted selects writeq/print style.
// limit bounds the number of cells written.
func writeTerm(t Term, ops opTable, quoted bool, limit int) (string, error) {
	w := &writer{ops: ops, quoted: quoted, budget: limit}
	w.term(t, 1200)
	return string(w.buf), w.err
}

// emit appends s, with a space first if the last character and the first
// of s would glue into one token (two alphanumerics, two symbol chars, or
// a digit and a quote, which would read as 0'c).
func (w *writer) emit(s string) {
	if len(s) == 0 {
		return
	}
	if n := len(w.buf); n > 0 {
		a, b := rune(w.buf[n-1]), rune(s[0])
		if (isAlnumByte(a) && isAlnumByte(b)) || (isSymbolChar(a) && isSymbolChar(b)) ||
			(a >= '0' && a <= '9' && (b == '\'' || b == '(')) {
			w.buf = append(w.buf, ' ')
		}
	}
	w.buf = append(w.buf, s...)
}

func isAlnumByte(r rune) bool {
	return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r >= 0x80
}

// spend charges one cell and reports whether writing may go on.
func (w *writer) spend() bool {
	if w.err != nil {
		return false
	}
	w.budget--
	if w.budget < 0 || w.depth > defaultMaxDepth {
		w.err = errWriteLimit
		return false
	}
	return true
}

// term writes t in a context that allows priority prec.
func (w *writer) term(t Term, prec int) {
	if !w.spend() {
		return
	}
	switch x := deref(t).(type) {
	case *Var:
		w.emit("_G" + strconv.FormatInt(x.id, 10))
	case Int:
		w.emit(strconv.FormatInt(int64(x), 10))
	case Atom:
		w.atom(x)
	case String:
		if w.quoted {
			w.emit(quoteText(string(x), '"'))
		} else {
			w.emit(string(x))
		}
	case *Compound:
		w.depth++
		w.compound(x, prec)
		w.depth--
	}
}

// atom writes an atom, quoted if needed.
func (w *writer) atom(a Atom) {
	if w.quoted && atomNeedsQuotes(a) {
		w.emit(quoteText(string(a), '\''))
		return
	}
	w.emit(string(a))
}

// operand writes an argument of an operator: an atom that is itself an
// operator goes in brackets, as SWI-Prolog writes a-(-).
func (w *writer) operand(t Term, prec int) {
	if a, ok := deref(t).(Atom); ok && w.ops.isOp(a) {
		w.emit("(")
		w.atom(a)
		w.emit(")")
		return
	}
	w.term(t, prec)
}

// compound writes a compound term in list, curly, operator, '$VAR' or
// canonical notation.
func (w *writer) compound(c *Compound, prec int) {
	switch {
	case c.Functor == atomDot && len(c.Args) == 2:
		w.list(c)
		return
	case c.Functor == atomCurly && len(c.Args) == 1:
		w.emit("{")
		w.term(c.Args[0], 1200)
		w.emit("}")
		return
	case c.Functor == "$VAR" && len(c.Args) == 1 && w.varName(c.Args[0]):
		return
	case len(c.Args) == 2:
		if op, ok := w.ops.infix(c.Functor); ok {
			w.infix(c, op, prec)
			return
		}
	case len(c.Args) == 1:
		if op, ok := w.ops.prefix(c.Functor); ok {
			w.prefix(c, op, prec)
			return
		}
		if op, ok := w.ops.postfix(c.Functor); ok {
			w.postfix(c, op, prec)
			return
		}
	}
	w.canonical(c)
}

// canonical writes f(A1,...,An).
func (w *writer) canonical(c *Compound) {
	w.atom(c.Functor)
	w.buf = append(w.buf, '(')
	for i, a := range c.Args {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.argument(a)
	}
	w.buf = append(w.buf, ')')
}

// argument writes an argument of a compound or an element of a list, at
// priority 999, where ',' and '|' need quotes even in write/1.
func (w *writer) argument(t Term) {
	if a, ok := deref(t).(Atom); ok && (a == "," || a == "|") {
		w.emit("'" + string(a) + "'")
		return
	}
	w.term(t, 999)
}

// list writes [E1,...,En|Tail], iterating along the tail.
func (w *writer) list(c *Compound) {
	w.emit("[")
	for {
		w.argument(c.Args[0])
		tail := deref(c.Args[1])
		if next, ok := isCons(tail); ok {
			if !w.spend() {
				return
			}
			w.buf = append(w.buf, ',')
			c = next
			continue
		}
		if tail != atomNil {
			w.buf = append(w.buf, '|')
			w.argument(tail)
		}
		w.buf = append(w.buf, ']')
		return
	}
}

// varName writes '$VAR'(N) as a variable name (A..Z, then A1...), as
// print/1 does with numbervars(true).
func (w *writer) varName(arg Term) bool {
	switch n := deref(arg).(type) {
	case Int:
		if n < 0 {
			return false
		}
		s := string(rune('A' + n%26))
		if n >= 26 {
			s += strconv.FormatInt(int64(n/26), 10)
		}
		w.emit(s)
		return true
	case Atom:
		w.emit(string(n))
		return true
	}
	return false
}
