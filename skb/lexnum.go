package skb

import (
	"strings"
	"unicode"
)

// number reads an integer literal: decimal, 0x, 0o, 0b, or 0'c (a
// character code). Digit groups with '_' are not supported; a '.' followed
// by a digit is a float, which the dialect lacks.
func (l *lexer) number(t token) (token, error) {
	t.kind = tkInt
	if l.peekRune() == '0' {
		switch l.peekAt(1) {
		case '\'':
			l.advance()
			l.advance()
			c, err := l.charCode()
			t.val = int64(c)
			return t, err
		case 'x':
			return l.radix(t, 16)
		case 'o':
			return l.radix(t, 8)
		case 'b':
			return l.radix(t, 2)
		}
	}
	var v int64
	for l.pos < len(l.src) && isDigit(l.peekRune()) {
		d := int64(l.advance() - '0')
		if v > (maxInt-d)/10 {
			return t, l.errAt(t.line, t.col, "integer too large")
		}
		v = v*10 + d
	}
	if l.peekRune() == '.' && isDigit(l.peekAt(1)) {
		return t, l.errAt(t.line, t.col, "floating-point numbers are not supported")
	}
	t.val = v
	return t, nil
}

const maxInt = int64(^uint64(0) >> 1)

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// digitVal returns the value of r as a digit in base 16, or 99.
func digitVal(r rune) int64 {
	switch {
	case r >= '0' && r <= '9':
		return int64(r - '0')
	case r >= 'a' && r <= 'f':
		return int64(r-'a') + 10
	case r >= 'A' && r <= 'F':
		return int64(r-'A') + 10
	}
	return 99
}

// radix reads 0x.., 0o.. or 0b..; "0x" with no digit is the integer 0
// followed by the name x.
func (l *lexer) radix(t token, base int64) (token, error) {
	if digitVal(l.peekAt(2)) >= base {
		l.advance()
		return t, nil
	}
	l.advance()
	l.advance()
	var v int64
	for l.pos < len(l.src) && digitVal(l.peekRune()) < base {
		d := digitVal(l.advance())
		if v > (maxInt-d)/base {
			return t, l.errAt(t.line, t.col, "integer too large")
		}
		v = v*base + d
	}
	t.val = v
	return t, nil
}

// charCode reads the character after 0' : an escape, a doubled quote or
// any single character.
func (l *lexer) charCode() (rune, error) {
	line, col := l.line, l.col
	switch r := l.peekRune(); {
	case r == -1:
		return 0, l.errAt(line, col, "end of text in character code")
	case r == '\\':
		c, ok, err := l.escape()
		if err == nil && !ok {
			err = l.errAt(line, col, "bad escape in character code")
		}
		return c, err
	case r == '\'' && l.peekAt(1) == '\'':
		l.advance()
		return l.advance(), nil
	default:
		return l.advance(), nil
	}
}

// quoted reads a quoted atom, string or back-quoted text ending in q.
func (l *lexer) quoted(t token, q rune, kind tokKind) (token, error) {
	l.advance()
	var b strings.Builder
	for {
		r := l.peekRune()
		switch {
		case r == -1:
			return t, l.errAt(t.line, t.col, "unterminated quoted text")
		case r == q:
			l.advance()
			if l.peekRune() != q {
				t.kind, t.text, t.quoted = kind, b.String(), true
				return t, nil
			}
			l.advance()
			b.WriteRune(q)
		case r == '\\':
			c, ok, err := l.escape()
			if err != nil {
				return t, err
			}
			if ok {
				b.WriteRune(c)
			}
		case r == '\n':
			return t, l.errAt(l.line, l.col, "newline in quoted text")
		default:
			b.WriteRune(l.advance())
		}
	}
}

// simpleEscapes maps the letter after a backslash to the character.
var simpleEscapes = map[rune]rune{'n': '\n', 't': '\t', 'r': '\r', 'a': 7, 'b': 8, 'f': 12,
	'v': 11, 'e': 27, 's': ' ', '0': 0, '\\': '\\', '\'': '\'', '"': '"', '`': '`'}

// escape reads a backslash escape sequence (ISO 6.4.2.1 and SWI's \e, \s,
// \uXXXX). ok is false for a line continuation, which stands for nothing.
func (l *lexer) escape() (rune, bool, error) {
	line, col := l.line, l.col
	l.advance() // the backslash
	r := l.peekRune()
	if r == -1 {
		return 0, false, l.errAt(line, col, "end of text in escape")
	}
	l.advance()
	switch {
	case r == '\n':
		return 0, false, nil
	case r == 'x':
		return l.numericEscape(line, col, 16)
	case r == 'u':
		return l.fixedEscape(line, col, 4)
	case r == 'U':
		return l.fixedEscape(line, col, 8)
	case r >= '0' && r <= '7':
		l.pos-- // reread the first octal digit
		l.col--
		return l.numericEscape(line, col, 8)
	}
	if c, ok := simpleEscapes[r]; ok {
		return c, true, nil
	}
	return 0, false, l.errAt(line, col, "undefined escape \\%c", r)
}

// numericEscape reads digits in base up to the closing backslash.
func (l *lexer) numericEscape(line, col int, base int64) (rune, bool, error) {
	var v int64
	n := 0
	for digitVal(l.peekRune()) < base {
		v = v*base + digitVal(l.advance())
		n++
		if v > unicode.MaxRune {
			return 0, false, l.errAt(line, col, "character code too large")
		}
	}
	if n == 0 || l.peekRune() != '\\' {
		return 0, false, l.errAt(line, col, "bad numeric escape")
	}
	l.advance()
	return rune(v), true, nil
}

// fixedEscape reads exactly n hex digits (\uXXXX, \UXXXXXXXX).
func (l *lexer) fixedEscape(line, col, n int) (rune, bool, error) {
	var v int64
	for i := 0; i < n; i++ {
		d := digitVal(l.peekRune())
		if d >= 16 {
			return 0, false, l.errAt(line, col, "bad \\u escape")
		}
		v = v*16 + d
		l.advance()
	}
	if v > unicode.MaxRune {
		return 0, false, l.errAt(line, col, "character code too large")
	}
	return rune(v), true, nil
}
