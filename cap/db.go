package cap

import "math"

// DB is the mapping database of one core: every capability that lives on
// the core, ordered so that relatives are found by search, not by scan.
// It is owned by that core and is not safe for concurrent use.
type DB struct {
	core Core         // immutable: the core that owns this DB
	root *node        // the treap of all capabilities
	byID map[ID]*node // the same nodes, by ID
	last ID           // the last ID handed out
	gen  uint64       // bumped by every change; plans check it
	rng  uint64       // xorshift state for treap priorities
}

// NewDB returns an empty mapping database for the given core.
func NewDB(core Core) *DB {
	return &DB{core: core, byID: make(map[ID]*node), rng: 0x9e3779b97f4a7c15 ^ uint64(core)}
}

// Core returns the core that owns the database.
func (db *DB) Core() Core { return db.core }

// Len returns the number of capabilities in the database.
func (db *DB) Len() int { return len(db.byID) }

// Identify returns the content of the capability id.
func (db *DB) Identify(id ID) (Cap, error) {
	n, ok := db.byID[id]
	if !ok {
		return Cap{}, fail("identify", id, ErrNoCap, "")
	}
	return n.cap, nil
}

// IDs returns the IDs of every capability in mapping-database order.
func (db *DB) IDs() []ID {
	ids := make([]ID, 0, len(db.byID))
	ascend(db.root, key{}, func(n *node) bool {
		ids = append(ids, n.key.id)
		return true
	})
	return ids
}

// Copies returns the IDs of the other capabilities that are copies of id,
// in mapping-database order.
func (db *DB) Copies(id ID) []ID {
	n, ok := db.byID[id]
	if !ok {
		return nil
	}
	var ids []ID
	db.eachCopy(n.cap, func(m *node) {
		if m != n {
			ids = append(ids, m.key.id)
		}
	})
	return ids
}

// Descendants returns the IDs of every capability that descends from id,
// in mapping-database order.
func (db *DB) Descendants(id ID) []ID {
	n, ok := db.byID[id]
	if !ok {
		return nil
	}
	var ids []ID
	db.eachDescendant(n.cap, func(m *node) { ids = append(ids, m.key.id) })
	return ids
}

// InUse reports whether a copy or a descendant of the object c names
// (its type and range) is in the DB, placeholders included: whether the
// object's resources are still held on this core.
func (db *DB) InUse(c Cap) bool {
	found := false
	db.eachCopy(c, func(*node) { found = true })
	if !found {
		db.eachDescendant(c, func(*node) { found = true })
	}
	return found
}

// firstCopyKey is the smallest key a copy of c can have.
func firstCopyKey(c Cap) key { return keyOf(0, c) }

// pastCopiesKey sorts after every copy of c and before its descendants.
func pastCopiesKey(c Cap) key { return keyOf(math.MaxUint64, c) }

// baseKey is the smallest key in space s with the given base: it sorts
// after every key whose base is before base.
func baseKey(s Space, base uint64) key {
	return key{space: s, base: base, end: math.MaxUint64}
}

func (db *DB) eachCopy(c Cap, fn func(*node)) {
	ascend(db.root, firstCopyKey(c), func(m *node) bool {
		if !IsCopy(m.cap, c) {
			return false
		}
		fn(m)
		return true
	})
}

// eachDescendant visits c's descendants: the run after c's copies up to
// the end of c's range.
func (db *DB) eachDescendant(c Cap, fn func(*node)) {
	if c.Space() == SpaceNone {
		return
	}
	hi := baseKey(c.Space(), c.End())
	ascend(db.root, pastCopiesKey(c), func(m *node) bool {
		if compare(m.key, hi) >= 0 {
			return false
		}
		fn(m)
		return true
	})
}

// descendantOverlaps reports whether a descendant of c overlaps
// [base, end), a range inside c's.
func (db *DB) descendantOverlaps(c Cap, base, end uint64) bool {
	found := false
	overlapping(db.root, pastCopiesKey(c), baseKey(c.Space(), end), base, func(*node) bool {
		found = true
		return false
	})
	return found
}

// hasOtherCopy reports whether a copy of n other than n is in the DB.
func (db *DB) hasOtherCopy(n *node) bool {
	other := false
	ascend(db.root, firstCopyKey(n.cap), func(m *node) bool {
		if !IsCopy(m.cap, n.cap) {
			return false
		}
		other = m != n
		return !other
	})
	return other
}

// add inserts c under a fresh ID. Callers have checked every rule.
func (db *DB) add(c Cap) ID {
	db.last++
	n := &node{key: keyOf(db.last, c), cap: c, prio: db.nextPrio()}
	db.root = insertNode(db.root, n)
	db.byID[db.last] = n
	return db.last
}

func (db *DB) remove(id ID) {
	n := db.byID[id]
	db.root = removeKey(db.root, n.key)
	delete(db.byID, id)
}

// nextPrio is xorshift64 (Marsaglia 2003): deterministic treap priorities.
func (db *DB) nextPrio() uint64 {
	db.rng ^= db.rng << 13
	db.rng ^= db.rng >> 7
	db.rng ^= db.rng << 17
	return db.rng
}
