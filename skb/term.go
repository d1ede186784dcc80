package skb

// Term is a Prolog term: an Atom, an Int, a String, a *Var or a *Compound.
// Terms are immutable except for the binding of a *Var, which only the
// machine that created the variable changes.
type Term interface {
	isTerm()
}

// Atom is a Prolog atom, such as foo, [] or 'hello world'.
type Atom string

// Int is a Prolog integer. Arithmetic that leaves 64 bits is an error.
type Int int64

// String is a Prolog string, written "text".
type String string

// Var is a logic variable. A nil ref means unbound.
type Var struct {
	ref Term  // binding; written by the owning machine, undone on backtracking
	id  int64 // creation order within the owning query: its age
}

// Compound is a structure with a functor and at least one argument.
type Compound struct {
	Functor Atom
	Args    []Term
}

func (Atom) isTerm()      {}
func (Int) isTerm()       {}
func (String) isTerm()    {}
func (*Var) isTerm()      {}
func (*Compound) isTerm() {}

// Common atoms.
const (
	atomNil   Atom = "[]"
	atomTrue  Atom = "true"
	atomFalse Atom = "false"
	atomFail  Atom = "fail"
	atomCut   Atom = "!"
	atomEmpty Atom = ""
	atomCurly Atom = "{}"
	atomMinus Atom = "-"
	atomError Atom = "error"
	atomEnd   Atom = "end_of_file"
	atomDot   Atom = "[|]" // the list constructor, as in SWI-Prolog 7 and later
)

// NewCompound returns name(args...); with no arguments it returns the atom.
func NewCompound(name string, args ...Term) Term {
	if len(args) == 0 {
		return Atom(name)
	}
	return &Compound{Functor: Atom(name), Args: args}
}

// NewList returns the proper list of the given elements.
func NewList(elems ...Term) Term {
	return listWithTail(elems, atomNil)
}

func listWithTail(elems []Term, tail Term) Term {
	l := tail
	for i := len(elems) - 1; i >= 0; i-- {
		l = cons(elems[i], l)
	}
	return l
}

func cons(h, t Term) *Compound {
	return &Compound{Functor: atomDot, Args: []Term{h, t}}
}

// deref follows variable bindings to the term a variable stands for.
func deref(t Term) Term {
	for {
		v, ok := t.(*Var)
		if !ok || v.ref == nil {
			return t
		}
		t = v.ref
	}
}

// isCallable reports whether t is an atom or a compound.
func isCallable(t Term) bool {
	switch t.(type) {
	case Atom, *Compound:
		return true
	}
	return false
}

// functorOf returns the name and arguments of a callable term.
func functorOf(t Term) (Atom, []Term, bool) {
	switch x := t.(type) {
	case Atom:
		return x, nil, true
	case *Compound:
		return x.Functor, x.Args, true
	}
	return "", nil, false
}

// isCons reports whether t is a list cell '[|]'(H, T).
func isCons(t Term) (*Compound, bool) {
	c, ok := t.(*Compound)
	if ok && c.Functor == atomDot && len(c.Args) == 2 {
		return c, true
	}
	return nil, false
}
