package skb

import "fmt"

// Client scopes: what a client of the SKB may do (docs/skb.md, "What
// clients may do"). Everything an Engine holds belongs to the system; a
// Scope is one client's view of it. owner.go resolves names and checks
// permissions for both; store.go estimates what a scope stores.

// defaultScopeBytes is ScopeOptions.MaxBytes when left zero.
const defaultScopeBytes = 64 << 10

// ScopeOptions configure a Scope. Zero fields take defaults.
type ScopeOptions struct {
	// MaxBytes bounds what the scope stores, estimated in bytes. Default
	// 64 KiB.
	MaxBytes int64
}

// Scope is one client's view of an Engine. Everything the Engine holds is
// the system's: the builtins and the library, what its owner loaded with
// Consult and Assert, and what queries run on the Engine itself
// (Engine.Query, Run, Answers) asserted: the schema, the policies, the
// machine's facts. A query run in a scope (Scope.Query, Run, Answers) has
// a client's permissions:
//
//   - A name/arity the system defines (a builtin, a control construct, or
//     a predicate of the Engine that has clauses or is declared dynamic)
//     is the system's. The client calls it, and clause/2 reads it, but
//     assert/1, asserta/1, assertz/1, retract/1, retractall/1 and
//     dynamic/1 raise permission_error(modify, static_procedure, N/A): to
//     a client every system predicate is static. Permissions are the
//     query's, so the same holds through call/N or the client's clauses.
//   - Any other name/arity is the client's own: asserting it creates it in
//     the scope, where the scope's later queries find it and no other
//     scope's, nor the system's.
//   - op/3 changes a copy of the operator table that only the scope's
//     queries read and write with.
//   - What the scope stores (clauses, predicates, operators; an estimate
//     in bytes, see store.go) is bounded by ScopeOptions.MaxBytes; past
//     the bound assert/1 and op/3 raise resource_error(client_database).
//
// A client cannot shadow or extend a system predicate: a call resolves to
// the system's predicate whenever the system defines one, and the system's
// clauses were compiled against the system's predicates, so nothing a
// scope stores changes what the system or another scope computes.
//
// A Scope belongs to the goroutine that owns its Engine.
type Scope struct {
	e    *Engine
	db   *database // the client's own predicates; never builtins or library
	ops  opTable   // the client's operators; nil while they are the Engine's
	max  int64     // bound on used
	used int64     // estimated bytes the scope stores
}

// NewScope returns an empty scope for a client of e.
func (e *Engine) NewScope(opts ScopeOptions) *Scope {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = defaultScopeBytes
	}
	return &Scope{e: e, db: newDatabase(), max: opts.MaxBytes}
}

// Used returns the estimated bytes the scope stores; 0 for a scope that
// never stored anything.
func (s *Scope) Used() int64 { return s.used }

// Query parses goal and prepares to run it with the scope's permissions.
func (s *Scope) Query(goalText string) (*Query, error) {
	return s.e.newQuery(goalText, s)
}

// Run runs goal in the scope as Engine.Run does.
func (s *Scope) Run(goalText string, fn func(answer string) bool) (bool, error) {
	q, err := s.Query(goalText)
	if err != nil {
		return false, err
	}
	return q.each(fn)
}

// Answers runs goal in the scope as Engine.Answers does.
func (s *Scope) Answers(goalText string) (string, error) {
	return collectAnswers(s.Query(goalText))
}

// reserve accounts n more bytes to the scope, or returns the resource
// error that says it is full.
func (s *Scope) reserve(n int64) error {
	if s.used+n > s.max {
		return s.fullError()
	}
	s.used += n
	return nil
}

// release gives back n bytes a removed clause held.
func (s *Scope) release(n int64) {
	s.used = max(s.used-n, 0)
}

// fullError is error(resource_error(client_database), _), with a message
// that names the bound.
func (s *Scope) fullError() error {
	return &Error{
		Term: &Compound{Functor: atomError, Args: []Term{NewCompound("resource_error", Atom("client_database")), &Var{}}},
		msg: fmt.Sprintf("Not enough resources: client_database (a client stores at most %d bytes; %d are used)",
			s.max, s.used),
	}
}

// ensure returns the scope's predicate name/arity, creating it (and
// accounting for it) if there is none.
func (s *Scope) ensure(name Atom, arity int) (*pred, error) {
	if p := s.db.lookup(name, arity); p != nil {
		return p, nil
	}
	if err := s.reserve(predBytes + int64(len(name))); err != nil {
		return nil, err
	}
	return s.db.ensure(name, arity), nil
}

// writableOps returns the scope's own operator table, copying the
// Engine's on first use.
func (s *Scope) writableOps() (opTable, error) {
	if s.ops == nil {
		if err := s.reserve(int64(len(s.e.ops)) * opBytes); err != nil {
			return nil, err
		}
		s.ops = s.e.ops.clone()
	}
	return s.ops, nil
}
