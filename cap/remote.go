package cap

// SetRemote records which relatives of id exist on other cores. The
// monitor calls it as copies and descendants appear and vanish elsewhere;
// it applies to every local copy of id, since copies share their relatives.
func (db *DB) SetRemote(id ID, r Relations) error {
	n, ok := db.byID[id]
	if !ok {
		return fail("setremote", id, ErrNoCap, "")
	}
	db.gen++
	// Remote is not part of the key, so nodes change in place.
	db.eachCopy(n.cap, func(m *node) { m.cap.Remote = r })
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
	n, ok := db.byID[id]
	if !ok {
		return fail("setowner", id, ErrNoCap, "")
	}
	db.gen++
	db.eachCopy(n.cap, func(m *node) { m.cap.Owner = owner })
	return nil
}
