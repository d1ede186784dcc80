package cap

// SetRemote records which relatives of id exist on other cores. The
// monitor calls it as copies and descendants appear and vanish elsewhere;
// it applies to every local copy of id, since copies share their
// relatives. Placeholders of id that no longer stand for anything (r has
// neither RemoteCopies nor RemoteDescendants) are removed.
func (db *DB) SetRemote(id ID, r Relations) error {
	n, ok := db.byID[id]
	if !ok {
		return fail("setremote", id, ErrNoCap, "")
	}
	c := n.cap
	db.setOnCopies("setremote", id, func(c *Cap) { c.Remote = r })
	db.reapPlaceholders(c)
	return nil
}

// Remote returns the remote relations of id's copies.
func (db *DB) Remote(id ID) (Relations, error) {
	n, ok := db.byID[id]
	if !ok {
		return 0, fail("remote", id, ErrNoCap, "")
	}
	return n.cap.Remote, nil
}

// SetOwner records the core that owns id (and every local copy of it), as
// the monitors' protocol decided.
func (db *DB) SetOwner(id ID, owner Core) error {
	return db.setOnCopies("setowner", id, func(c *Cap) { c.Owner = owner })
}

// setOnCopies applies set to id and every local copy of it. set may
// change only what is not part of the tree's key (Remote, Owner), so the
// nodes change in place.
func (db *DB) setOnCopies(op string, id ID, set func(*Cap)) error {
	n, ok := db.byID[id]
	if !ok {
		return fail(op, id, ErrNoCap, "")
	}
	db.gen++
	db.eachCopy(n.cap, func(m *node) { set(&m.cap) })
	return nil
}
