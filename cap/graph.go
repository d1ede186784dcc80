package cap

// The retype graph, derived from typeTable once at start-up.

var (
	// canRetype[a][b] holds when a capability of type a may be retyped
	// directly into type b.
	canRetype [numTypes][numTypes]bool

	// below[a][b] holds when type b lies strictly below type a in the
	// retype graph: b is reachable from a by one or more retypes into a
	// different type.
	below [numTypes][numTypes]bool

	// depth is the length of the longest path of retypes into different
	// types that ends at the type. An ancestor type always has a smaller
	// depth than its descendant types, which the mapping database order
	// relies on.
	depth [numTypes]int
)

func init() {
	for a := range typeTable {
		for _, b := range typeTable[a].RetypeTo {
			canRetype[a][b] = true
		}
	}
	for a := Type(0); a < numTypes; a++ {
		markBelow(a, a)
	}
	for t := Type(0); t < numTypes; t++ {
		depth[t] = longestPathTo(t)
	}
}

// markBelow records every type reachable from t by retypes into other
// types as lying below root. The graph is acyclic apart from self-loops
// (checked by TestTypeGraphIsAcyclic), so the recursion ends.
func markBelow(root, t Type) {
	for _, b := range typeTable[t].RetypeTo {
		if b == t || below[root][b] {
			continue
		}
		below[root][b] = true
		markBelow(root, b)
	}
}

func longestPathTo(t Type) int {
	d := 0
	for a := Type(0); a < numTypes; a++ {
		if a != t && canRetype[a][t] {
			d = max(d, longestPathTo(a)+1)
		}
	}
	return d
}

// CanRetype reports whether a capability of type from may be retyped
// directly into type to.
func CanRetype(from, to Type) bool {
	return from < numTypes && to < numTypes && canRetype[from][to]
}

// Below reports whether type d lies strictly below type a in the retype
// graph, so that a capability of type d may descend from one of type a
// through retypes into other types.
func Below(a, d Type) bool {
	return a < numTypes && d < numTypes && below[a][d]
}
