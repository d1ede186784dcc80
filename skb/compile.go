package skb

// A stored clause is compiled into templates: each variable of the clause
// becomes a clauseVar, an index into an environment that one call of the
// clause fills in; a compound holding variables becomes a *tmpl; a ground
// compound stays a *Compound and is shared by every call, never copied.

// clauseVar is a variable of a stored clause: a slot of the environment.
type clauseVar int

// tmpl is a compound of a stored clause that contains variables.
type tmpl struct {
	fun  Atom
	args []Term
}

func (clauseVar) isTerm() {}
func (*tmpl) isTerm()     {}

// clause is a compiled clause. It is immutable once stored; retract
// replaces the predicate's clause slice instead of changing it.
type clause struct {
	head  Term       // the head template, for clause/2 and retract/1
	args  []Term     // head argument templates
	body  []bodyGoal // the top-level conjunction of the body
	nvars int        // environment size
	key   indexKey   // first-argument key
	size  int64      // estimated bytes, accounted to a client's scope (store.go)
}

// bodyGoal is one goal of a clause body with its predicate resolved when
// the clause was stored (nil: resolved at each call).
type bodyGoal struct {
	t    Term
	pred *pred
}

// compiler maps the variables of one clause to environment slots.
type compiler struct {
	vars     map[*Var]clauseVar
	depth    int
	maxDepth int
}

// term compiles t; it reports false if t is nested too deeply.
func (c *compiler) term(t Term) (Term, bool) {
	switch x := deref(t).(type) {
	case *Var:
		v, ok := c.vars[x]
		if !ok {
			v = clauseVar(len(c.vars))
			c.vars[x] = v
		}
		return v, true
	case *Compound:
		c.depth++
		defer func() { c.depth-- }()
		if c.depth > c.maxDepth {
			return nil, false
		}
		if x.Functor == atomDot && len(x.Args) == 2 {
			return c.list(x)
		}
		args := make([]Term, len(x.Args))
		ground := true
		for i, a := range x.Args {
			ct, ok := c.term(a)
			if !ok {
				return nil, false
			}
			args[i] = ct
			ground = ground && isGroundTemplate(ct)
		}
		return makeTemplate(x.Functor, args, ground), true
	default:
		return x, true
	}
}

// list compiles a list along its spine without recursion on the tail.
func (c *compiler) list(l *Compound) (Term, bool) {
	var elems []Term
	var tail Term = l
	for {
		cell, ok := isCons(deref(tail))
		if !ok {
			break
		}
		e, ok := c.term(cell.Args[0])
		if !ok {
			return nil, false
		}
		elems = append(elems, e)
		tail = cell.Args[1]
	}
	out, ok := c.term(tail)
	if !ok {
		return nil, false
	}
	for i := len(elems) - 1; i >= 0; i-- {
		ground := isGroundTemplate(elems[i]) && isGroundTemplate(out)
		out = makeTemplate(atomDot, []Term{elems[i], out}, ground)
	}
	return out, true
}

func makeTemplate(f Atom, args []Term, ground bool) Term {
	if ground {
		return &Compound{Functor: f, Args: args}
	}
	return &tmpl{fun: f, args: args}
}

func isGroundTemplate(t Term) bool {
	switch t.(type) {
	case clauseVar, *tmpl:
		return false
	}
	return true
}

// bodyResolver returns the predicate a body goal name/arity calls, or nil
// to resolve it at each call.
type bodyResolver func(name Atom, arity int) *pred

// compileClause compiles Head :- Body (or a fact) for the database; body
// goals' predicates are resolved through resolve.
func compileClause(resolve bodyResolver, t Term, maxDepth int) (*clause, Atom, int, error) {
	head, body := deref(t), Term(atomTrue)
	if c, ok := head.(*Compound); ok && c.Functor == ":-" && len(c.Args) == 2 {
		head, body = deref(c.Args[0]), deref(c.Args[1])
	}
	name, args, ok := functorOf(head)
	if !ok {
		if _, isVar := head.(*Var); isVar {
			return nil, "", 0, instantiationError()
		}
		return nil, "", 0, typeError("callable", head)
	}
	comp := &compiler{vars: map[*Var]clauseVar{}, maxDepth: maxDepth}
	cl := &clause{}
	ht, ok := comp.term(head)
	if !ok {
		return nil, "", 0, depthError()
	}
	cl.head = ht
	if x, isT := ht.(*tmpl); isT {
		cl.args = x.args
	} else if x, isC := ht.(*Compound); isC {
		cl.args = x.Args
	}
	if len(cl.args) > 0 {
		cl.key = templateKey(cl.args[0])
	}
	var err error
	if cl.body, err = compileBody(resolve, comp, body); err != nil {
		return nil, "", 0, err
	}
	cl.nvars = len(comp.vars)
	return cl, name, len(args), nil
}

// compileBody flattens the top-level conjunction of a body into goals.
func compileBody(resolve bodyResolver, comp *compiler, body Term) ([]bodyGoal, error) {
	var goals []bodyGoal
	var walk func(t Term) error
	walk = func(t Term) error {
		for {
			t = deref(t)
			c, ok := t.(*Compound)
			if !ok || c.Functor != "," || len(c.Args) != 2 {
				break
			}
			if err := walk(c.Args[0]); err != nil {
				return err
			}
			t = c.Args[1]
		}
		if t == atomTrue {
			return nil
		}
		if _, ok := t.(*Var); ok {
			t = &Compound{Functor: "call", Args: []Term{t}}
		}
		name, args, ok := functorOf(t)
		if !ok {
			return typeError("callable", t)
		}
		ct, ok := comp.term(t)
		if !ok {
			return depthError()
		}
		goals = append(goals, bodyGoal{t: ct, pred: resolve(name, len(args))})
		return nil
	}
	return goals, walk(body)
}
