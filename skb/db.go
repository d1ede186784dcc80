package skb

// predKey names a predicate: name/arity.
type predKey struct {
	name  Atom
	arity int
}

// predKind says how a predicate runs.
type predKind uint8

const (
	predUser    predKind = iota // clauses in the database
	predBuiltin                 // a Go function
	predControl                 // a control construct the machine runs itself
)

// builtinFunc runs a builtin with its arguments. It returns false to fail;
// it may push choicepoints (see generator) and change m.goals.
type builtinFunc func(m *machine, args []Term) (bool, error)

// pred is one predicate. Its clause slice is replaced, never changed in
// place, so that a running call keeps the clauses it started with (the
// logical update view, ISO 7.5.4).
type pred struct {
	name    Atom
	arity   int
	kind    predKind
	fn      builtinFunc // predBuiltin
	ctrl    ctrlKind    // predControl
	clauses []*clause
	dynamic bool // declared dynamic or created by assert
	library bool // defined by the built-in library; a user definition replaces it
	index   *clauseIndex
}

// defined reports whether calling p is not an existence error.
func (p *pred) defined() bool {
	return p.kind != predUser || p.dynamic || len(p.clauses) > 0
}

// database holds an Engine's predicates.
type database struct {
	preds map[predKey]*pred
}

func newDatabase() *database {
	return &database{preds: map[predKey]*pred{}}
}

// lookup returns the predicate name/arity, or nil.
func (db *database) lookup(name Atom, arity int) *pred {
	return db.preds[predKey{name, arity}]
}

// ensure returns the predicate name/arity, creating an undefined user
// predicate so that compiled bodies can point at it before it is defined.
func (db *database) ensure(name Atom, arity int) *pred {
	k := predKey{name, arity}
	p := db.preds[k]
	if p == nil {
		p = &pred{name: name, arity: arity}
		db.preds[k] = p
	}
	return p
}

// add stores a clause at the end (or, with front, at the start).
func (db *database) add(p *pred, c *clause, front bool) {
	n := make([]*clause, 0, len(p.clauses)+1)
	if front {
		n = append(append(n, c), p.clauses...)
	} else {
		n = append(append(n, p.clauses...), c)
	}
	p.clauses = n
	p.index = nil
}

// remove drops clause c from p.
func (db *database) remove(p *pred, c *clause) {
	n := make([]*clause, 0, len(p.clauses))
	for _, x := range p.clauses {
		if x != c {
			n = append(n, x)
		}
	}
	p.clauses = n
	p.index = nil
}
