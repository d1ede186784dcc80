package skb

// Who owns a predicate, as a query sees it: a query on the Engine itself
// (m.scope nil) sees only the system's predicates and may change any
// dynamic one; a query in a client's scope sees the system's predicates
// first and its own after them, and may change only its own (scope.go).

// systemOwns reports whether the system defines name/arity, which makes
// it the system's even for clients.
func (e *Engine) systemOwns(name Atom, arity int) bool {
	p := e.db.lookup(name, arity)
	return p != nil && p.defined()
}

// resolve returns the predicate a call of name/arity runs, or nil (an
// existence error): the system's if it defines one, else the scope's.
func (m *machine) resolve(name Atom, arity int) *pred {
	p := m.e.db.lookup(name, arity)
	if m.scope == nil || (p != nil && p.defined()) {
		return p
	}
	if q := m.scope.db.lookup(name, arity); q != nil {
		return q
	}
	return p
}

// bodyPred returns the predicate a goal of a clause this query asserts
// calls, fixed when the clause is compiled: for the system, its
// predicate (created undefined if need be); for a client, the system's
// if it defines one, else the scope's if it exists, else nil, which
// makes each call resolve the name again.
func (m *machine) bodyPred(name Atom, arity int) *pred {
	if m.scope == nil {
		return m.e.db.ensure(name, arity)
	}
	if m.e.systemOwns(name, arity) {
		return m.e.db.lookup(name, arity)
	}
	return m.scope.db.lookup(name, arity)
}

// modifiable returns the predicate name/arity if this query may change it
// (assert, retract, retractall, dynamic): for the system, a dynamic
// predicate or one that does not exist yet; for a client, one of its own,
// created in its scope if need be.
func (m *machine) modifiable(name Atom, arity int) (*pred, error) {
	if m.scope != nil {
		if m.e.systemOwns(name, arity) {
			return nil, modifyError(name, arity)
		}
		return m.scope.ensure(name, arity)
	}
	p := m.e.db.ensure(name, arity)
	if p.kind != predUser || p.library || (!p.dynamic && len(p.clauses) > 0) {
		return nil, modifyError(name, arity)
	}
	return p, nil
}

// modifyError is permission_error(modify, static_procedure, Name/Arity).
func modifyError(name Atom, arity int) error {
	return permissionError("modify", "static_procedure", NewCompound("/", name, Int(arity)))
}

// ops returns the operator table this query reads and writes with.
func (m *machine) ops() opTable {
	if m.scope != nil && m.scope.ops != nil {
		return m.scope.ops
	}
	return m.e.ops
}

// writableOps returns the operator table op/3 changes: the Engine's for
// the system, the scope's own copy for a client.
func (m *machine) writableOps() (opTable, error) {
	if m.scope != nil {
		return m.scope.writableOps()
	}
	return m.e.ops, nil
}
