package skb

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind classifies tokens (ISO 13211-1 section 6.4).
type tokKind uint8

const (
	tkEOF    tokKind = iota
	tkName           // an atom: letters, symbol characters, solo or quoted
	tkVar            // a variable name
	tkInt            // an integer literal
	tkString         // a double-quoted string
	tkBackq          // a back-quoted string (a code list)
	tkPunct          // ( ) [ ] { } , |
	tkEnd            // the end token "."
)

// token is one lexical token with its position (1-based line and column).
type token struct {
	kind   tokKind
	text   string // name, variable name, string contents or punctuation
	val    int64  // value of tkInt
	quoted bool   // the name was written in quotes
	layout bool   // layout (space or comment) came before the token
	line   int
	col    int
}

// SyntaxError is an error in Prolog text, with its 1-based line and column.
type SyntaxError struct {
	Line, Col int
	Msg       string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("syntax error: %d:%d: %s", e.Line, e.Col, e.Msg)
}

// lexer splits Prolog text into tokens.
type lexer struct {
	src       string
	pos       int
	line, col int
}

func newLexer(src string) *lexer {
	return &lexer{src: src, line: 1, col: 1}
}

func (l *lexer) errAt(line, col int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// peekRune returns the rune at the read position, or -1 at the end.
func (l *lexer) peekRune() rune {
	return l.peekAt(0)
}

// peekAt returns the rune n bytes ahead (ASCII look-ahead only) or -1.
func (l *lexer) peekAt(n int) rune {
	if l.pos+n >= len(l.src) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(l.src[l.pos+n:])
	return r
}

func (l *lexer) advance() rune {
	r, size := utf8.DecodeRuneInString(l.src[l.pos:])
	l.pos += size
	if r == '\n' {
		l.line++
		l.col = 1
	} else {
		l.col++
	}
	return r
}

// skipLayout skips white space and comments; it reports whether it skipped
// anything.
func (l *lexer) skipLayout() (bool, error) {
	start := l.pos
	for l.pos < len(l.src) {
		r := l.peekRune()
		switch {
		case unicode.IsSpace(r):
			l.advance()
		case r == '%':
			for l.pos < len(l.src) && l.peekRune() != '\n' {
				l.advance()
			}
		case r == '/' && l.peekAt(1) == '*':
			line, col := l.line, l.col
			l.advance()
			l.advance()
			end := strings.Index(l.src[l.pos:], "*/")
			if end < 0 {
				return false, l.errAt(line, col, "unterminated block comment")
			}
			for stop := l.pos + end + 2; l.pos < stop; {
				l.advance()
			}
		default:
			return l.pos > start, nil
		}
	}
	return l.pos > start, nil
}

const symbolChars = "+-*/\\^<>=~:.?@#&$"

func isSymbolChar(r rune) bool {
	return r >= 0 && r < 128 && strings.ContainsRune(symbolChars, r)
}

func isAlnum(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// next returns the next token.
func (l *lexer) next() (token, error) {
	layout, err := l.skipLayout()
	if err != nil {
		return token{}, err
	}
	t := token{layout: layout, line: l.line, col: l.col}
	if l.pos >= len(l.src) {
		t.kind = tkEOF
		return t, nil
	}
	r := l.peekRune()
	switch {
	case unicode.IsDigit(r):
		return l.number(t)
	case r == '_' || unicode.IsUpper(r):
		t.kind, t.text = tkVar, l.takeWhile(isAlnum)
	case unicode.IsLetter(r):
		t.kind, t.text = tkName, l.takeWhile(isAlnum)
	case r == '\'':
		return l.quoted(t, '\'', tkName)
	case r == '"':
		return l.quoted(t, '"', tkString)
	case r == '`':
		return l.quoted(t, '`', tkBackq)
	case r == '(':
		l.advance()
		t.kind, t.text = tkPunct, "("
	case strings.ContainsRune(")[]{},|", r):
		l.advance()
		t.kind, t.text = tkPunct, string(r)
		if r == '|' && l.peekRune() == '|' {
			l.advance()
			t.kind, t.text = tkName, "||"
		}
	case r == '!' || r == ';':
		l.advance()
		t.kind, t.text = tkName, string(r)
	case r == '.' && l.isEnd():
		l.advance()
		t.kind = tkEnd
	case isSymbolChar(r):
		t.kind, t.text = tkName, l.takeWhile(isSymbolChar)
	default:
		return t, l.errAt(t.line, t.col, "illegal character %q", r)
	}
	return t, nil
}

// isEnd reports whether the '.' at the read position is an end token: it is
// followed by layout, a comment or the end of the text.
func (l *lexer) isEnd() bool {
	r := l.peekAt(1)
	return r == -1 || r == '%' || unicode.IsSpace(r)
}

func (l *lexer) takeWhile(f func(rune) bool) string {
	start := l.pos
	for l.pos < len(l.src) && f(l.peekRune()) {
		l.advance()
	}
	return l.src[start:l.pos]
}
