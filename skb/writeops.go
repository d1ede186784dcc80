package skb

import (
	"fmt"
	"strings"
	"unicode"
)

// infix writes A op B, bracketed if op's priority exceeds prec.
func (w *writer) infix(c *Compound, op opDef, prec int) {
	left, right := op.argPrios()
	open := op.prio > prec
	if open {
		w.emit("(")
	}
	w.operand(c.Args[0], left)
	if c.Functor == "," || c.Functor == "|" {
		w.buf = append(w.buf, c.Functor[0])
	} else {
		w.atom(c.Functor)
	}
	w.operand(c.Args[1], right)
	if open {
		w.emit(")")
	}
}

// prefix writes op A. A space separates the operator from an opening
// bracket (else it would read as functional notation) and - or + from a
// number (else it would read as a negative number).
func (w *writer) prefix(c *Compound, op opDef, prec int) {
	_, right := op.argPrios()
	open := op.prio > prec
	if open {
		w.emit("(")
	}
	w.atom(c.Functor)
	at := len(w.buf)
	w.operand(c.Args[0], right)
	if at < len(w.buf) {
		next := w.buf[at]
		sign := c.Functor == "-" || c.Functor == "+"
		if next == '(' || (sign && next >= '0' && next <= '9') {
			w.buf = append(w.buf[:at+1], w.buf[at:]...)
			w.buf[at] = ' '
		}
	}
	if open {
		w.emit(")")
	}
}

// postfix writes A op.
func (w *writer) postfix(c *Compound, op opDef, prec int) {
	left, _ := op.argPrios()
	open := op.prio > prec
	if open {
		w.emit("(")
	}
	w.operand(c.Args[0], left)
	w.atom(c.Functor)
	if open {
		w.emit(")")
	}
}

// atomNeedsQuotes reports whether writeq must quote a: it is not a
// letter-digit atom starting with a lower-case letter, not made of symbol
// characters only, and not one of the solo atoms [] ! ; {}.
func atomNeedsQuotes(a Atom) bool {
	s := string(a)
	switch s {
	case "":
		return true
	case "[]", "!", ";", "{}":
		return false
	case ".":
		return true
	}
	if strings.HasPrefix(s, "/*") {
		return true
	}
	first := []rune(s)[0]
	if unicode.IsLower(first) {
		for _, r := range s {
			if !isAlnum(r) {
				return true
			}
		}
		return false
	}
	for _, r := range s {
		if !isSymbolChar(r) {
			return true
		}
	}
	return false
}

// quoteText writes s between q quotes with escapes, as writeq does.
func quoteText(s string, q rune) string {
	var b strings.Builder
	b.WriteRune(q)
	for _, r := range s {
		switch r {
		case q, '\\':
			b.WriteRune('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		case 7:
			b.WriteString(`\a`)
		case 8:
			b.WriteString(`\b`)
		case 11:
			b.WriteString(`\v`)
		case 12:
			b.WriteString(`\f`)
		default:
			if r < ' ' || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteRune(q)
	return b.String()
}
