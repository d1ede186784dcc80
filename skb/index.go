package skb

// First-argument indexing. Each clause has a key for its first head
// argument; a call computes the key of its first argument and tries only
// the clauses whose keys are compatible (equal, or either one a variable).
// Predicates with many clauses get a hash index from key to the list of
// compatible clauses; smaller ones are scanned.

// keyKind is the kind of a first-argument key.
type keyKind uint8

const (
	keyVar keyKind = iota
	keyAtom
	keyInt
	keyString
	keyFunctor
)

// indexKey is the principal functor of a first argument.
type indexKey struct {
	kind keyKind
	name string // atom, string or functor name
	n    int64  // integer value or functor arity
}

// indexThreshold is the clause count from which a predicate gets a hash
// index.
const indexThreshold = 8

// clauseIndex maps keys to the clauses compatible with them, in order.
type clauseIndex struct {
	byKey   map[indexKey][]*clause
	varOnly []*clause // clauses with a variable first argument
}

// termKey returns the key of a run-time term.
func termKey(t Term) indexKey {
	switch x := deref(t).(type) {
	case Atom:
		return indexKey{kind: keyAtom, name: string(x)}
	case Int:
		return indexKey{kind: keyInt, n: int64(x)}
	case String:
		return indexKey{kind: keyString, name: string(x)}
	case *Compound:
		return indexKey{kind: keyFunctor, name: string(x.Functor), n: int64(len(x.Args))}
	}
	return indexKey{}
}

// templateKey returns the key of a compiled head argument.
func templateKey(t Term) indexKey {
	switch x := t.(type) {
	case clauseVar:
		return indexKey{}
	case *tmpl:
		return indexKey{kind: keyFunctor, name: string(x.fun), n: int64(len(x.args))}
	}
	return termKey(t)
}

func (k indexKey) compatible(o indexKey) bool {
	return k.kind == keyVar || o.kind == keyVar || k == o
}

// candidates returns the clauses of p worth trying for a call whose first
// argument has key k.
func (p *pred) candidates(k indexKey) []*clause {
	if k.kind == keyVar || len(p.clauses) < indexThreshold {
		return p.clauses
	}
	if p.index == nil {
		p.index = buildIndex(p.clauses)
	}
	if cs, ok := p.index.byKey[k]; ok {
		return cs
	}
	return p.index.varOnly
}

func buildIndex(clauses []*clause) *clauseIndex {
	ix := &clauseIndex{byKey: map[indexKey][]*clause{}}
	for _, c := range clauses {
		if c.key.kind != keyVar {
			ix.byKey[c.key] = nil
		}
	}
	for _, c := range clauses {
		if c.key.kind == keyVar {
			ix.varOnly = append(ix.varOnly, c)
			for k, cs := range ix.byKey {
				ix.byKey[k] = append(cs, c)
			}
			continue
		}
		ix.byKey[c.key] = append(ix.byKey[c.key], c)
	}
	return ix
}

// nextCandidate returns the index of the first clause at or after i whose
// key is compatible with k, or len(cs).
func nextCandidate(cs []*clause, i int, k indexKey) int {
	for ; i < len(cs); i++ {
		if cs[i].key.compatible(k) {
			return i
		}
	}
	return len(cs)
}
