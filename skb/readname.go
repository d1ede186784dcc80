package skb

// name reads a term starting with a name token: a compound in functional
// notation, a negative number, a prefix operator application or an atom.
func (r *reader) name(max int) (Term, int, error) {
	t := r.tok
	name := Atom(t.text)
	if err := r.advance(); err != nil {
		return nil, 0, err
	}
	if r.isPunct("(") && !r.tok.layout {
		if err := r.advance(); err != nil {
			return nil, 0, err
		}
		args, err := r.arguments()
		if err != nil {
			return nil, 0, err
		}
		return &Compound{Functor: name, Args: args}, 0, nil
	}
	if name == atomMinus && !t.quoted && r.tok.kind == tkInt && !r.tok.layout {
		v := r.tok.val
		return Int(-v), 0, r.advance()
	}
	op, ok := r.ops.prefix(name)
	if !ok || r.atomFollows() {
		return name, 0, nil
	}
	if op.prio > max {
		return nil, 0, r.lex.errAt(t.line, t.col, "operator priority clash")
	}
	_, argMax := op.argPrios()
	arg, _, err := r.parse(argMax)
	if err != nil {
		return nil, 0, err
	}
	return &Compound{Functor: name, Args: []Term{arg}}, op.prio, nil
}

// atomFollows reports whether the token after a prefix operator ends its
// term, so that the operator stands for itself as an atom: a closing
// bracket, a comma, a bar, the end, or an infix operator that cannot also
// start a term.
func (r *reader) atomFollows() bool {
	switch r.tok.kind {
	case tkEnd, tkEOF:
		return true
	case tkPunct:
		switch r.tok.text {
		case ")", "]", "}", ",", "|":
			return true
		}
	case tkName:
		name := Atom(r.tok.text)
		if _, pre := r.ops.prefix(name); pre {
			return false
		}
		_, in := r.ops.infix(name)
		_, post := r.ops.postfix(name)
		return in || post
	}
	return false
}

// argument reads one argument of a compound or element of a list.
func (r *reader) argument() (Term, error) {
	saved := r.inArg
	r.inArg = true
	t, _, err := r.parse(1200)
	r.inArg = saved
	return t, err
}

// enclosed reads a term of priority up to 1200 inside brackets.
func (r *reader) enclosed() (Term, error) {
	saved := r.inArg
	r.inArg = false
	t, _, err := r.parse(1200)
	r.inArg = saved
	return t, err
}

// arguments reads the arguments of a compound up to the closing ")".
func (r *reader) arguments() ([]Term, error) {
	var args []Term
	for {
		a, err := r.argument()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		if r.isPunct(")") {
			return args, r.advance()
		}
		if err := r.expect(","); err != nil {
			return nil, err
		}
	}
}

// bracketed reads a term starting with "(", "[" or "{".
func (r *reader) bracketed() (Term, int, error) {
	open := r.tok.text
	switch open {
	case "(", "{":
		if err := r.advance(); err != nil {
			return nil, 0, err
		}
		if open == "{" && r.isPunct("}") {
			return r.atomTerm(atomCurly)
		}
		t, err := r.enclosed()
		if err != nil {
			return nil, 0, err
		}
		if open == "(" {
			return t, 0, r.expect(")")
		}
		return &Compound{Functor: atomCurly, Args: []Term{t}}, 0, r.expect("}")
	case "[":
		if err := r.advance(); err != nil {
			return nil, 0, err
		}
		if r.isPunct("]") {
			return r.atomTerm(atomNil)
		}
		l, err := r.list()
		return l, 0, err
	}
	return nil, 0, r.errHere("unexpected %s", r.describe())
}

// atomTerm finishes "[]" or "{}", which may be a functor: [](X), {}(X).
func (r *reader) atomTerm(a Atom) (Term, int, error) {
	if err := r.advance(); err != nil {
		return nil, 0, err
	}
	if r.isPunct("(") && !r.tok.layout {
		if err := r.advance(); err != nil {
			return nil, 0, err
		}
		args, err := r.arguments()
		if err != nil {
			return nil, 0, err
		}
		return &Compound{Functor: a, Args: args}, 0, nil
	}
	return a, 0, nil
}

// list reads the elements and optional tail of a list after "[".
func (r *reader) list() (Term, error) {
	var elems []Term
	for {
		e, err := r.argument()
		if err != nil {
			return nil, err
		}
		elems = append(elems, e)
		if !r.isPunct(",") {
			break
		}
		if err := r.advance(); err != nil {
			return nil, err
		}
	}
	var tail Term = atomNil
	if r.isPunct("|") {
		if err := r.advance(); err != nil {
			return nil, err
		}
		t, err := r.argument()
		if err != nil {
			return nil, err
		}
		tail = t
	}
	return listWithTail(elems, tail), r.expect("]")
}
