package skb

// findall/3 runs its goal under a choicepoint whose continuation collects
// the answers: Goal, '$findall_add'(Bag, Template), fail. When the goal has
// no more answers, backtracking reaches the choicepoint, which runs
// '$findall_end'(Bag, Result). No Go recursion is involved, so findall
// nests freely and cut, catch and the step budget work inside it.

// bag holds the copies of findall/3 answers. It is a Term only so that it
// can travel inside the internal goals; user code never sees it.
type bag struct {
	items []Term
}

func (*bag) isTerm() {}

func (m *machine) findall(args []Term) (bool, error) {
	m.inferences++
	if !m.charge(1) {
		return false, m.err
	}
	b := &bag{}
	h := len(m.choices)
	end := &goal{t: &Compound{Functor: "$findall_end", Args: []Term{b, args[2]}}, next: m.goals}
	m.push(choice{kind: cpGoals, goals: end})
	add := &goal{t: &Compound{Functor: "$findall_add", Args: []Term{b, args[0]}}, next: &goal{t: atomFail}}
	m.goals = &goal{t: args[1], cutB: h + 1, next: add}
	return true, nil
}

func (m *machine) findallAdd(args []Term) (bool, error) {
	b, ok := args[0].(*bag)
	if !ok {
		return false, typeError("bag", args[0])
	}
	c, ok := m.copy(args[1])
	if !ok {
		return false, m.err
	}
	b.items = append(b.items, c)
	return true, nil
}

func (m *machine) findallEnd(args []Term) (bool, error) {
	b, ok := args[0].(*bag)
	if !ok {
		return false, typeError("bag", args[0])
	}
	return m.unify(args[1], NewList(b.items...)), nil
}
