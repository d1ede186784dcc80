package skb

// maxReadDepth bounds the nesting of the text the reader accepts, so that
// hostile input cannot exhaust the Go stack.
const maxReadDepth = 10000

// varName is a named variable of a term that was read, in order of first
// appearance.
type varName struct {
	Name string
	V    *Var
}

// reader parses terms with operator precedence (ISO 13211-1 section 6.3).
// It keeps one token of look-ahead in tok.
type reader struct {
	lex    *lexer
	ops    opTable
	newVar func() *Var
	tok    token
	vars   []varName
	depth  int
	// inArg is set while reading an argument or a list element: there a
	// ',' or '|' ends the term, and other operators may go up to 1200, as
	// SWI-Prolog reads f(a:-b). Brackets clear it for what they enclose.
	inArg bool
}

func newReader(src string, ops opTable, newVar func() *Var) (*reader, error) {
	r := &reader{lex: newLexer(src), ops: ops, newVar: newVar}
	return r, r.advance()
}

func (r *reader) advance() error {
	t, err := r.lex.next()
	r.tok = t
	return err
}

func (r *reader) errHere(format string, args ...any) error {
	return r.lex.errAt(r.tok.line, r.tok.col, format, args...)
}

func (r *reader) isPunct(text string) bool {
	return r.tok.kind == tkPunct && r.tok.text == text
}

func (r *reader) expect(text string) error {
	if !r.isPunct(text) {
		return r.errHere("expected %q, found %s", text, r.describe())
	}
	return r.advance()
}

// describe names the current token for error messages.
func (r *reader) describe() string {
	switch r.tok.kind {
	case tkEOF:
		return "end of file"
	case tkEnd:
		return "end of clause"
	case tkInt:
		return "a number"
	case tkString, tkBackq:
		return "a string"
	}
	return "\"" + r.tok.text + "\""
}

// next reads one clause or query ending in ".". At the end of the text it
// returns a nil term.
func (r *reader) next() (Term, []varName, error) {
	r.vars = nil
	if r.tok.kind == tkEOF {
		return nil, nil, nil
	}
	t, _, err := r.parse(1200)
	if err != nil {
		return nil, nil, err
	}
	if r.tok.kind != tkEnd {
		return nil, nil, r.errHere("operator expected, found %s", r.describe())
	}
	return t, r.vars, r.advance()
}

// parse reads a term of priority at most max and returns it with its
// priority.
func (r *reader) parse(max int) (Term, int, error) {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxReadDepth {
		return nil, 0, r.errHere("term nested too deeply")
	}
	left, lp, err := r.primary(max)
	if err != nil {
		return nil, 0, err
	}
	return r.operators(left, lp, max)
}

// operators extends left with infix and postfix operators while their
// priorities allow.
func (r *reader) operators(left Term, lp, max int) (Term, int, error) {
	for {
		name, ok := r.operatorName()
		if !ok {
			return left, lp, nil
		}
		if op, ok := r.ops.infix(name); ok {
			la, ra := op.argPrios()
			if op.prio <= max && lp <= la {
				if err := r.advance(); err != nil {
					return nil, 0, err
				}
				right, _, err := r.parse(ra)
				if err != nil {
					return nil, 0, err
				}
				left, lp = &Compound{Functor: name, Args: []Term{left, right}}, op.prio
				continue
			}
		}
		if op, ok := r.ops.postfix(name); ok {
			la, _ := op.argPrios()
			if op.prio <= max && lp <= la {
				if err := r.advance(); err != nil {
					return nil, 0, err
				}
				left, lp = &Compound{Functor: name, Args: []Term{left}}, op.prio
				continue
			}
		}
		return left, lp, nil
	}
}

// operatorName returns the current token as a possible infix or postfix
// operator name.
func (r *reader) operatorName() (Atom, bool) {
	switch {
	case r.tok.kind == tkName:
		return Atom(r.tok.text), true
	case r.inArg:
		return "", false
	case r.isPunct(","):
		return ",", true
	case r.isPunct("|"):
		return "|", true
	}
	return "", false
}

// primary reads a term that starts at the current token and is not an
// infix or postfix operator application.
func (r *reader) primary(max int) (Term, int, error) {
	t := r.tok
	switch t.kind {
	case tkInt:
		return Int(t.val), 0, r.advance()
	case tkString:
		return String(t.text), 0, r.advance()
	case tkBackq:
		return codeList(t.text), 0, r.advance()
	case tkVar:
		return r.variable(t.text), 0, r.advance()
	case tkName:
		return r.name(max)
	case tkPunct:
		return r.bracketed()
	}
	return nil, 0, r.errHere("unexpected %s", r.describe())
}

// variable returns the variable called name in the current term.
func (r *reader) variable(name string) Term {
	if name == "_" {
		return r.newVar()
	}
	for _, v := range r.vars {
		if v.Name == name {
			return v.V
		}
	}
	v := r.newVar()
	r.vars = append(r.vars, varName{Name: name, V: v})
	return v
}

// codeList returns the list of character codes of s.
func codeList(s string) Term {
	var codes []Term
	for _, c := range s {
		codes = append(codes, Int(c))
	}
	return NewList(codes...)
}
