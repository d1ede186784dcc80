package skb

import (
	"fmt"
	"io"
	"strings"
)

// Default limits.
const (
	defaultMaxSteps = 10_000_000
	defaultMaxDepth = 100_000
	answerLimit     = 1 << 20 // cells written per answer
)

// Options configure an Engine. Zero fields take defaults.
type Options struct {
	// MaxSteps bounds the work of one query or directive: calls plus cells
	// unified, copied or compared. Default 10,000,000.
	MaxSteps int64
	// MaxDepth bounds the nesting of terms that unification, comparison
	// and copying recurse into. Default 100,000.
	MaxDepth int
	// Out receives what write/1, print/1, nl/0 and format/1,2 print.
	// Default io.Discard.
	Out io.Writer
}

// Engine is a knowledge base: a database of predicates, an operator table
// and options. It is not safe for concurrent use; one goroutine owns it
// (the SKB service serialises queries). Queries may be interleaved by that
// goroutine: their bindings are separate, and the database follows the
// logical update view. What it holds is the system's; clients query it
// through scopes (NewScope), which read it but cannot change it.
type Engine struct {
	db   *database
	ops  opTable
	opts Options
	out  io.Writer
}

// New returns an Engine with the builtins and the list library loaded.
func New(opts Options) *Engine {
	if opts.MaxSteps <= 0 {
		opts.MaxSteps = defaultMaxSteps
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = defaultMaxDepth
	}
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	e := &Engine{db: newDatabase(), ops: newOpTable(), opts: opts, out: opts.Out}
	registerBuiltins(e.db)
	if err := e.consult("library", libraryText, true); err != nil {
		panic("skb: library does not load: " + err.Error()) // a bug in library.pl
	}
	return e
}

// SetOutput changes where write/1, print/1, nl/0 and format/1,2 print
// (nil discards), as Options.Out does: a service captures each query's
// output this way.
func (e *Engine) SetOutput(w io.Writer) {
	if w == nil {
		w = io.Discard
	}
	e.opts.Out, e.out = w, w
}

// newMachine returns a machine for one query on e.
func (e *Engine) newMachine() *machine {
	return &machine{e: e, maxSteps: e.opts.MaxSteps, maxDepth: e.opts.MaxDepth}
}

// Consult loads Prolog text: clauses are added to the database and
// directives (:- Goal) run as they are read. name labels errors. It stops
// at the first syntax error or failing directive.
func (e *Engine) Consult(name, text string) error {
	return e.consult(name, text, false)
}

func (e *Engine) consult(name, text string, library bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: internal error: %v", name, r)
		}
	}()
	m := e.newMachine()
	r, err := newReader(text, e.ops, m.newVar)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	seen := map[*pred]bool{}
	for {
		t, _, err := r.next()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if t == nil {
			return nil
		}
		if err := e.load(t, library, seen); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
}

// load adds a clause or runs a directive read from a file.
func (e *Engine) load(t Term, library bool, seen map[*pred]bool) error {
	if c, ok := t.(*Compound); ok && len(c.Args) == 1 && (c.Functor == ":-" || c.Functor == "?-") {
		return e.directive(c.Args[0])
	}
	cl, name, arity, err := compileClause(e.db.ensure, t, e.opts.MaxDepth)
	if err != nil {
		return err
	}
	p := e.db.ensure(name, arity)
	if p.kind != predUser {
		return permissionError("modify", "static_procedure", NewCompound("/", name, Int(arity)))
	}
	if p.library && !library && !seen[p] {
		p.clauses, p.library = nil, false // a user definition replaces the library's
	}
	seen[p] = true
	p.library = library
	e.db.add(p, cl, false)
	return nil
}

// directive runs the goal of :- Goal once.
func (e *Engine) directive(g Term) error {
	m := e.newMachine()
	m.goals = &goal{t: g}
	ok, err := m.run()
	if err != nil {
		return err
	}
	if !ok {
		s, _ := writeTerm(g, e.ops, true, 1000)
		return fmt.Errorf("directive failed: %s", s)
	}
	return nil
}

// Assert adds a clause (a fact or Head :- Body) at the end of its
// predicate, which becomes dynamic. The service uses it to load facts.
func (e *Engine) Assert(clause Term) error {
	cl, name, arity, err := compileClause(e.db.ensure, clause, e.opts.MaxDepth)
	if err != nil {
		return err
	}
	p := e.db.ensure(name, arity)
	if p.kind != predUser {
		return permissionError("modify", "static_procedure", NewCompound("/", name, Int(arity)))
	}
	p.dynamic = true
	e.db.add(p, cl, false)
	return nil
}

// Format writes t as print/1 does (quoted, operators, '$VAR' names).
func (e *Engine) Format(t Term) (string, error) {
	return writeTerm(t, e.ops, true, answerLimit)
}

// Parse reads one term (without the final "."); it returns the term and
// its named variables in order of first appearance.
func (e *Engine) Parse(text string) (Term, []string, error) {
	m := e.newMachine()
	t, vars, err := m.parseGoal(text)
	names := make([]string, len(vars))
	for i, v := range vars {
		names[i] = v.Name
	}
	return t, names, err
}

// parseGoal reads the text of a query, with or without its final ".",
// with the query's operators.
func (m *machine) parseGoal(text string) (Term, []varName, error) {
	src := strings.TrimRight(text, " \t\r\n")
	if n := len(src); n == 0 || src[n-1] != '.' || (n > 1 && isSymbolChar(rune(src[n-2]))) {
		src += " ."
	}
	r, err := newReader(src, m.ops(), m.newVar)
	if err != nil {
		return nil, nil, err
	}
	t, vars, err := r.next()
	if err != nil {
		return nil, nil, err
	}
	if t == nil {
		return nil, nil, &SyntaxError{Line: 1, Col: 1, Msg: "empty query"}
	}
	if r.tok.kind != tkEOF {
		return nil, nil, r.errHere("text after the end of the query")
	}
	return t, vars, nil
}
