package cap

// The mapping database index: a treap ordered by key, each node augmented
// with the largest range end in its subtree so that "does anything in this
// key interval overlap that range" is answered in logarithmic time
// (an interval tree in the manner of CLRS 14.3, and of Barrelfish's
// kernel/mdb, whose nodes keep the same "end" augmentation).

// key is the order of the mapping database: space, base ascending, end
// descending, type depth, type, id. In this order a capability's copies
// follow it directly, then its descendants, up to the first key whose base
// is at or beyond the end of its range.
type key struct {
	space Space
	base  uint64
	end   uint64
	depth int
	typ   Type
	id    ID
}

func keyOf(id ID, c Cap) key {
	return key{space: c.Space(), base: c.Base, end: c.End(), depth: depth[c.Type], typ: c.Type, id: id}
}

// compare returns -1, 0 or +1 as a sorts before, equal to, or after b.
func compare(a, b key) int {
	switch {
	case a.space != b.space:
		return cmp3(a.space < b.space)
	case a.base != b.base:
		return cmp3(a.base < b.base)
	case a.end != b.end:
		return cmp3(a.end > b.end) // larger ranges first
	case a.depth != b.depth:
		return cmp3(a.depth < b.depth)
	case a.typ != b.typ:
		return cmp3(a.typ < b.typ)
	case a.id != b.id:
		return cmp3(a.id < b.id)
	}
	return 0
}

func cmp3(less bool) int {
	if less {
		return -1
	}
	return 1
}

// node is one capability in the treap. cap and key are immutable once the
// node is inserted (a capability's content never changes, apart from its
// remote relations, which are not part of the key).
type node struct {
	key         key
	cap         Cap
	prio        uint64
	maxEnd      uint64 // the largest key.end in this subtree
	left, right *node
	held        bool // a placeholder (placeholder.go); not part of the key
}

func (n *node) fix() {
	n.maxEnd = n.key.end
	if n.left != nil {
		n.maxEnd = max(n.maxEnd, n.left.maxEnd)
	}
	if n.right != nil {
		n.maxEnd = max(n.maxEnd, n.right.maxEnd)
	}
}

// split divides t into the keys before k and the keys at or after k.
func split(t *node, k key) (l, r *node) {
	if t == nil {
		return nil, nil
	}
	if compare(t.key, k) < 0 {
		t.right, r = split(t.right, k)
		t.fix()
		return t, r
	}
	l, t.left = split(t.left, k)
	t.fix()
	return l, t
}

// merge joins l and r, every key of l sorting before every key of r.
func merge(l, r *node) *node {
	switch {
	case l == nil:
		return r
	case r == nil:
		return l
	case l.prio > r.prio:
		l.right = merge(l.right, r)
		l.fix()
		return l
	default:
		r.left = merge(l, r.left)
		r.fix()
		return r
	}
}

func insertNode(t, n *node) *node {
	n.fix()
	l, r := split(t, n.key)
	return merge(merge(l, n), r)
}

func removeKey(t *node, k key) *node {
	if t == nil {
		return nil
	}
	switch c := compare(k, t.key); {
	case c < 0:
		t.left = removeKey(t.left, k)
	case c > 0:
		t.right = removeKey(t.right, k)
	default:
		return merge(t.left, t.right)
	}
	t.fix()
	return t
}

// ascend calls fn on every node with a key at or after from, in order,
// until fn returns false. It reports whether fn never returned false.
func ascend(t *node, from key, fn func(*node) bool) bool {
	if t == nil {
		return true
	}
	c := compare(t.key, from)
	if c >= 0 {
		if !ascend(t.left, from, fn) || !fn(t) {
			return false
		}
	}
	return ascend(t.right, from, fn)
}

// overlapping calls fn on every node with lo <= key < hi whose range ends
// after base, until fn returns false. It reports whether fn never returned
// false. Subtrees whose largest end is at or before base are skipped.
func overlapping(t *node, lo, hi key, base uint64, fn func(*node) bool) bool {
	if t == nil || t.maxEnd <= base {
		return true
	}
	atLo, belowHi := compare(t.key, lo) >= 0, compare(t.key, hi) < 0
	if atLo && !overlapping(t.left, lo, hi, base, fn) {
		return false
	}
	if atLo && belowHi && t.key.end > base && !fn(t) {
		return false
	}
	if belowHi {
		return overlapping(t.right, lo, hi, base, fn)
	}
	return true
}
