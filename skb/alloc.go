package skb

// Allocation helpers for the hot path. Variables and goal-list entries are
// carved out of small slabs, and compounds of arity up to 4 carry their
// arguments in the same allocation, which roughly halves the number of
// allocations per inference. A slab stays alive while any entry in it is
// reachable, so slabs are kept small.

const slabSize = 64

// newVar returns a fresh unbound variable.
func (m *machine) newVar() *Var {
	if len(m.varSlab) == 0 {
		m.varSlab = make([]Var, slabSize)
	}
	v := &m.varSlab[0]
	m.varSlab = m.varSlab[1:]
	v.id = m.nextVar
	m.nextVar++
	return v
}

// newGoal returns a goal-list entry.
func (m *machine) newGoal(t Term, p *pred, cutB int, next *goal) *goal {
	if len(m.goalSlab) == 0 {
		m.goalSlab = make([]goal, slabSize)
	}
	g := &m.goalSlab[0]
	m.goalSlab = m.goalSlab[1:]
	g.t, g.pred, g.cutB, g.next = t, p, cutB, next
	return g
}

// newCompound returns f with n unset arguments; up to arity 4 the
// arguments live in the same allocation as the structure.
func newCompound(f Atom, n int) *Compound {
	switch n {
	case 1:
		x := &struct {
			c Compound
			a [1]Term
		}{}
		x.c.Functor, x.c.Args = f, x.a[:]
		return &x.c
	case 2:
		x := &struct {
			c Compound
			a [2]Term
		}{}
		x.c.Functor, x.c.Args = f, x.a[:]
		return &x.c
	case 3:
		x := &struct {
			c Compound
			a [3]Term
		}{}
		x.c.Functor, x.c.Args = f, x.a[:]
		return &x.c
	case 4:
		x := &struct {
			c Compound
			a [4]Term
		}{}
		x.c.Functor, x.c.Args = f, x.a[:]
		return &x.c
	}
	return &Compound{Functor: f, Args: make([]Term, n)}
}

// scratchEnv returns a cleared environment of n slots. It is reused by
// every call: an environment is needed only while a clause head is
// unified and its body built, which ends before the next call starts.
func (m *machine) scratchEnv(n int) []Term {
	if cap(m.env) < n {
		m.env = make([]Term, n, max(n, 16))
	}
	env := m.env[:n]
	clear(env)
	return env
}
