package cap

// Create makes a root capability from nothing: the CPU driver does this at
// boot for the memory, interrupt vectors and I/O ports of the machine, and
// for the Kernel and IPI authorities. Only types marked Root may be made;
// the new capability may overlap nothing but copies of itself. Owner is
// set to the DB's core and Remote cleared.
func (db *DB) Create(c Cap) (ID, error) {
	c.Owner, c.Remote = db.core, 0
	if e := checkShape("create", c); e != nil {
		return 0, e
	}
	if !typeTable[c.Type].Root {
		return 0, fail("create", 0, ErrNotRoot, "%v", c.Type)
	}
	if other, ok := db.firstOverlap(c, func(m Cap) bool { return !IsCopy(m, c) }); ok {
		return 0, fail("create", 0, ErrConflict, "%v overlaps %v", c, other)
	}
	db.gen++
	return db.add(c), nil
}

// Receive inserts a capability that arrived from another core through the
// monitors: a copy of a capability owned elsewhere, or a capability whose
// object this core now owns. Owner and Remote are kept as given. The
// capability must meet its type's rules and be related (copy, ancestor or
// descendant) to every capability it overlaps.
func (db *DB) Receive(c Cap) (ID, error) {
	if e := checkShape("receive", c); e != nil {
		return 0, e
	}
	if other, ok := db.firstOverlap(c, func(m Cap) bool { return !related(m, c) }); ok {
		return 0, fail("receive", 0, ErrConflict, "%v overlaps %v", c, other)
	}
	db.gen++
	return db.add(c), nil
}

// firstOverlap returns the first capability overlapping c for which bad
// holds.
func (db *DB) firstOverlap(c Cap, bad func(Cap) bool) (Cap, bool) {
	if c.Space() == SpaceNone {
		return Cap{}, false
	}
	var found *node
	overlapping(db.root, baseKey(c.Space(), 0), baseKey(c.Space(), c.End()), c.Base, func(m *node) bool {
		if bad(m.cap) {
			found = m
		}
		return found == nil
	})
	if found == nil {
		return Cap{}, false
	}
	return found.cap, true
}
