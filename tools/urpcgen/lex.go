package main

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// tokKind classifies tokens.
type tokKind int

const (
	tokEOF tokKind = iota
	tokIdent
	tokInt
	tokString
	tokPunct // one of { } ( ) [ ] < > , ;
)

func (k tokKind) String() string {
	return [...]string{"end of file", "identifier", "integer", "string", "punctuation"}[k]
}

// lexeme is one token of an interface file.
type lexeme struct {
	kind tokKind
	text string
	pos  Pos
}

func (t lexeme) String() string {
	if t.kind == tokEOF {
		return "end of file"
	}
	return fmt.Sprintf("%q", t.text)
}

// Error is a diagnostic with a position, printed as file:line:col: msg.
type Error struct {
	File string
	Pos  Pos
	Msg  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
}

// lexer splits an interface file into tokens and remembers its // comments
// that stand alone on their line, for declaration docs.
type lexer struct {
	file     string
	src      string
	off      int
	pos      Pos
	lastLine int            // line of the last token
	comments map[int]string // line → text of a whole-line // comment
}

func newLexer(file, src string) *lexer {
	return &lexer{file: file, src: src, pos: Pos{1, 1}, comments: map[int]string{}}
}

// checkText rejects bytes that could not be copied into Go comments: invalid
// UTF-8 and control characters other than tab, newline and carriage return.
func (l *lexer) checkText() error {
	p := Pos{1, 1}
	for i, r := range l.src {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(l.src[i:], "\uFFFD"):
			return l.errorf(p, "invalid UTF-8")
		case r < ' ' && r != '\t' && r != '\n' && r != '\r', r == 0x7f:
			return l.errorf(p, "control character %U", r)
		case r == '\n':
			p.Line, p.Col = p.Line+1, 1
			continue
		}
		p.Col += utf8.RuneLen(r)
	}
	return nil
}

func (l *lexer) errorf(p Pos, format string, args ...any) error {
	return &Error{File: l.file, Pos: p, Msg: fmt.Sprintf(format, args...)}
}

// advance moves past n bytes, tracking lines and columns.
func (l *lexer) advance(n int) {
	for _, c := range []byte(l.src[l.off : l.off+n]) {
		if c == '\n' {
			l.pos.Line++
			l.pos.Col = 1
		} else {
			l.pos.Col++
		}
	}
	l.off += n
}

// next returns the next token.
func (l *lexer) next() (lexeme, error) {
	if err := l.skipSpace(); err != nil {
		return lexeme{}, err
	}
	start := l.pos
	if l.off == len(l.src) {
		return lexeme{kind: tokEOF, pos: start}, nil
	}
	l.lastLine = start.Line
	c := l.src[l.off]
	n, kind := 1, tokPunct
	switch {
	case isLetter(c):
		n, kind = l.span(func(c byte) bool { return isLetter(c) || isDigit(c) }), tokIdent
	case isDigit(c):
		n, kind = l.span(func(c byte) bool { return isLetter(c) || isDigit(c) }), tokInt
	case c == '"':
		end := strings.IndexAny(l.src[l.off+1:], "\"\n")
		if end < 0 || l.src[l.off+1+end] != '"' {
			return lexeme{}, l.errorf(start, "string not terminated")
		}
		n, kind = end+2, tokString
	case strings.IndexByte("{}()[]<>,;", c) < 0:
		return lexeme{}, l.errorf(start, "unexpected character %q", c)
	}
	t := lexeme{kind: kind, text: l.src[l.off : l.off+n], pos: start}
	l.advance(n)
	return t, nil
}

// span returns the length of the run of bytes matching ok at the offset.
func (l *lexer) span(ok func(byte) bool) int {
	n := 0
	for l.off+n < len(l.src) && ok(l.src[l.off+n]) {
		n++
	}
	return n
}

// skipSpace skips white space and comments.
func (l *lexer) skipSpace() error {
	for l.off < len(l.src) {
		rest := l.src[l.off:]
		switch {
		case rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n' || rest[0] == '\r':
			l.advance(1)
		case strings.HasPrefix(rest, "//"):
			n := strings.IndexByte(rest, '\n')
			if n < 0 {
				n = len(rest)
			}
			if l.lastLine != l.pos.Line {
				l.comments[l.pos.Line] = strings.TrimSpace(rest[2:n])
			}
			l.advance(n)
		case strings.HasPrefix(rest, "/*"):
			n := strings.Index(rest[2:], "*/")
			if n < 0 {
				return l.errorf(l.pos, "comment not terminated")
			}
			l.advance(n + 4)
		default:
			return nil
		}
	}
	return nil
}

// docAbove returns the whole-line // comments on the lines right above line.
func (l *lexer) docAbove(line int) []string {
	first := line
	for {
		if _, ok := l.comments[first-1]; !ok {
			break
		}
		first--
	}
	var doc []string
	for i := first; i < line; i++ {
		doc = append(doc, l.comments[i])
	}
	return doc
}

func isLetter(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
