package main

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxBound is the largest array length or string/bytes bound accepted; the
// whole message must fit urpc.MaxMessageLimit anyway.
const maxBound = 1 << 24

// parser is a recursive-descent parser over a lexer with one token of
// lookahead. The grammar is in doc.go.
type parser struct {
	lex *lexer
	tok lexeme // the lookahead
}

// parse parses one interface file. file names the source in errors.
func parse(file, src string) (*File, error) {
	p := &parser{lex: newLexer(file, src)}
	if err := p.lex.checkText(); err != nil {
		return nil, err
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	f, err := p.file()
	if err != nil {
		return nil, err
	}
	return f, check(file, f)
}

func (p *parser) advance() error {
	t, err := p.lex.next()
	p.tok = t
	return err
}

func (p *parser) errorf(pos Pos, format string, args ...any) error {
	return p.lex.errorf(pos, format, args...)
}

// expect consumes the lookahead if it is the punctuation or keyword text.
func (p *parser) expect(text string) error {
	if p.tok.text != text || p.tok.kind == tokString {
		return p.errorf(p.tok.pos, "expected %q, found %s", text, p.tok)
	}
	return p.advance()
}

// ident consumes an identifier and returns it with its position.
func (p *parser) ident(what string) (string, Pos, error) {
	t := p.tok
	if t.kind != tokIdent {
		return "", t.pos, p.errorf(t.pos, "expected %s, found %s", what, t)
	}
	return t.text, t.pos, p.advance()
}

// file = "interface" ident [string] "{" { decl } "}" [";"] EOF
func (p *parser) file() (*File, error) {
	if err := p.expect("interface"); err != nil {
		return nil, err
	}
	f := &File{}
	var err error
	if f.Name, f.Pos, err = p.ident("interface name"); err != nil {
		return nil, err
	}
	if p.tok.kind == tokString {
		if f.Doc, err = strconv.Unquote(p.tok.text); err != nil || !utf8.ValidString(f.Doc) || strings.ContainsFunc(f.Doc, unicode.IsControl) {
			return nil, p.errorf(p.tok.pos, "bad string %s: escapes must give printable text", p.tok.text)
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	for p.tok.kind != tokPunct || p.tok.text != "}" {
		d, err := p.decl()
		if err != nil {
			return nil, err
		}
		f.Decls = append(f.Decls, d)
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.text == ";" && p.tok.kind == tokPunct {
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
	if p.tok.kind != tokEOF {
		return nil, p.errorf(p.tok.pos, "expected end of file after the interface, found %s", p.tok)
	}
	return f, nil
}

// decl = ("message" | "rpc") ident "(" [ arg { "," arg } ] ")" ";"
func (p *parser) decl() (*Decl, error) {
	d := &Decl{Pos: p.tok.pos, Doc: p.lex.docAbove(p.tok.pos.Line)}
	switch {
	case p.tok.kind == tokIdent && p.tok.text == "message":
		d.Kind = MessageDecl
	case p.tok.kind == tokIdent && p.tok.text == "rpc":
		d.Kind = RPCDecl
	default:
		return nil, p.errorf(p.tok.pos, `expected "message", "rpc" or "}", found %s`, p.tok)
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	var err error
	if d.Name, d.Pos, err = p.ident("declaration name"); err != nil {
		return nil, err
	}
	if err := p.expect("("); err != nil {
		return nil, err
	}
	for p.tok.text != ")" || p.tok.kind != tokPunct {
		if len(d.Args) > 0 {
			if err := p.expect(","); err != nil {
				return nil, err
			}
		}
		a, err := p.arg(d.Kind)
		if err != nil {
			return nil, err
		}
		d.Args = append(d.Args, a)
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	return d, p.expect(";")
}

// arg = [ "in" | "out" ] type ident; the direction is required in an rpc
// and not allowed in a message.
func (p *parser) arg(kind DeclKind) (*Arg, error) {
	a := &Arg{}
	if p.tok.kind == tokIdent && (p.tok.text == "in" || p.tok.text == "out") {
		if kind == MessageDecl {
			return nil, p.errorf(p.tok.pos, "%q is only allowed in an rpc", p.tok.text)
		}
		a.Dir = map[string]Dir{"in": In, "out": Out}[p.tok.text]
		if err := p.advance(); err != nil {
			return nil, err
		}
	} else if kind == RPCDecl {
		return nil, p.errorf(p.tok.pos, `expected "in" or "out", found %s`, p.tok)
	}
	var err error
	if a.Type, err = p.typ(); err != nil {
		return nil, err
	}
	a.Name, a.Pos, err = p.ident("argument name")
	return a, err
}

// type = scalar [ "[" int "]" ] | ("string" | "bytes") "<" int ">" | "cap"
func (p *parser) typ() (Type, error) {
	name, pos, err := p.ident("type")
	if err != nil {
		return Type{}, err
	}
	t := Type{Pos: pos, Scalar: name}
	switch {
	case name == "cap":
		return t, p.errorf(pos, "type cap is not supported yet (capability transfer needs the monitors)")
	case name == "string" || name == "bytes":
		t.Kind = map[string]TypeKind{"string": String, "bytes": Bytes}[name]
		t.Scalar = ""
		t.N, err = p.bound("<", ">", 0)
		return t, err
	case scalarSizes[name] == 0:
		return t, p.errorf(pos, "unknown type %q", name)
	case p.tok.kind == tokPunct && p.tok.text == "[":
		t.Kind = Array
		t.N, err = p.bound("[", "]", 1)
		return t, err
	}
	return t, nil
}

// bound parses open int close and checks min <= int <= maxBound.
func (p *parser) bound(open, close string, min int) (int, error) {
	if err := p.expect(open); err != nil {
		return 0, err
	}
	t := p.tok
	if t.kind != tokInt {
		return 0, p.errorf(t.pos, "expected a length, found %s", t)
	}
	n, err := strconv.Atoi(t.text)
	if err != nil || n < min || n > maxBound {
		return 0, p.errorf(t.pos, "bad length %s: want a decimal in [%d, %d]", t.text, min, maxBound)
	}
	if err := p.advance(); err != nil {
		return 0, err
	}
	return n, p.expect(close)
}

// describe names a declaration for messages.
func (d *Decl) describe() string {
	return fmt.Sprintf("%s %s", map[DeclKind]string{MessageDecl: "message", RPCDecl: "rpc"}[d.Kind], d.Name)
}
