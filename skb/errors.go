package skb

import (
	"errors"
	"fmt"
	"strings"
)

// ErrStepLimit ends a query that used up its step budget (Options.MaxSteps).
// catch/3 cannot catch it.
var ErrStepLimit = errors.New("step limit exceeded")

// ErrDepthLimit ends a query that met a term nested deeper than
// Options.MaxDepth, or a cyclic term. catch/3 cannot catch it.
var ErrDepthLimit = errors.New("term nesting limit exceeded (deep or cyclic term)")

// Error is a Prolog exception that no catch/3 caught, such as
// error(type_error(integer, a), _) or a term given to throw/1.
type Error struct {
	Term Term   // the thrown term
	msg  string // its description, set when the error leaves the engine
}

func (e *Error) Error() string {
	if e.msg != "" {
		return e.msg
	}
	s, _ := writeTerm(e.Term, newOpTable(), true, 1000)
	return "unhandled exception: " + s
}

// throwTerm returns an error carrying t.
func throwTerm(t Term) error { return &Error{Term: t} }

func isoError(formal Term) error {
	return throwTerm(&Compound{Functor: atomError, Args: []Term{formal, &Var{}}})
}

func instantiationError() error {
	return isoError(Atom("instantiation_error"))
}

func typeError(kind string, culprit Term) error {
	return isoError(NewCompound("type_error", Atom(kind), culprit))
}

func domainError(kind string, culprit Term) error {
	return isoError(NewCompound("domain_error", Atom(kind), culprit))
}

func existenceError(name Atom, arity int) error {
	pi := NewCompound("/", name, Int(arity))
	return isoError(NewCompound("existence_error", Atom("procedure"), pi))
}

func permissionError(action, kind string, culprit Term) error {
	return isoError(NewCompound("permission_error", Atom(action), Atom(kind), culprit))
}

func evaluationError(what string) error {
	return isoError(NewCompound("evaluation_error", Atom(what)))
}

func representationError(what string) error {
	return isoError(NewCompound("representation_error", Atom(what)))
}

func depthError() error { return ErrDepthLimit }

// describe returns a message for an uncaught exception in the style of
// SWI-Prolog's messages.
func describe(t Term, ops opTable) string {
	show := func(t Term) string {
		s, err := writeTerm(t, ops, true, 10000)
		if err != nil {
			return "..."
		}
		return s
	}
	c, ok := deref(t).(*Compound)
	if !ok || c.Functor != atomError || len(c.Args) != 2 {
		return "Unhandled exception: " + show(t)
	}
	switch f := deref(c.Args[0]).(type) {
	case Atom:
		if f == "instantiation_error" {
			return "Arguments are not sufficiently instantiated"
		}
	case *Compound:
		a := f.Args
		switch {
		case f.Functor == "existence_error" && len(a) == 2 && deref(a[0]) == Atom("procedure"):
			return "Unknown procedure: " + show(a[1])
		case f.Functor == "type_error" && len(a) == 2:
			return fmt.Sprintf("Type error: `%s' expected, found `%s'", show(a[0]), show(a[1]))
		case f.Functor == "domain_error" && len(a) == 2:
			return fmt.Sprintf("Domain error: `%s' expected, found `%s'", show(a[0]), show(a[1]))
		case f.Functor == "evaluation_error" && len(a) == 1:
			return "Arithmetic: evaluation error: " + show(a[0])
		case f.Functor == "permission_error" && len(a) == 3:
			kind := strings.ReplaceAll(show(a[1]), "_", " ") // static_procedure: "static procedure", as SWI-Prolog says
			return fmt.Sprintf("No permission to %s %s `%s'", show(a[0]), kind, show(a[2]))
		case f.Functor == "resource_error" && len(a) == 1:
			return "Not enough resources: " + show(a[0])
		}
	}
	return "Unhandled exception: " + show(c.Args[0])
}
