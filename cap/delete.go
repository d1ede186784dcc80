package cap

// deletePlan is a decoded delete or revoke: the capabilities to remove.
type deletePlan struct {
	gen uint64
	ids []ID
}

// Delete removes the capability id. Its descendants stay: their memory
// remains in use, and no ancestor may retype over it until they are gone.
// Deleting the last copy on this core of a capability with copies on
// other cores needs the monitors (ErrNeedsMonitor): the other cores' remote
// relations, and perhaps the object's owner, change.
func (db *DB) Delete(id ID) error {
	p, err := db.decodeDelete(id)
	if err != nil {
		return err
	}
	db.invokeDelete(p)
	return nil
}

func (db *DB) decodeDelete(id ID) (deletePlan, error) {
	n, ok := db.byID[id]
	if !ok {
		return deletePlan{}, fail("delete", id, ErrNoCap, "")
	}
	if n.cap.Remote&RemoteCopies != 0 && !db.hasOtherCopy(n) {
		return deletePlan{}, fail("delete", id, ErrNeedsMonitor, "last local copy of %v", n.cap)
	}
	return deletePlan{gen: db.gen, ids: []ID{id}}, nil
}

// Revoke removes every copy of id (but id itself) and every descendant,
// and returns how many capabilities it removed. A capability with copies
// or descendants on other cores needs the monitors (ErrNeedsMonitor).
func (db *DB) Revoke(id ID) (int, error) {
	p, err := db.decodeRevoke(id)
	if err != nil {
		return 0, err
	}
	db.invokeDelete(p)
	return len(p.ids), nil
}

func (db *DB) decodeRevoke(id ID) (deletePlan, error) {
	n, ok := db.byID[id]
	if !ok {
		return deletePlan{}, fail("revoke", id, ErrNoCap, "")
	}
	if n.cap.Remote&(RemoteCopies|RemoteDescendants) != 0 {
		return deletePlan{}, fail("revoke", id, ErrNeedsMonitor, "remote relations %#x", uint8(n.cap.Remote))
	}
	p := deletePlan{gen: db.gen}
	collect := func(m *node) {
		if m != n {
			p.ids = append(p.ids, m.key.id)
		}
	}
	db.eachCopy(n.cap, collect)
	db.eachDescendant(n.cap, collect)
	return p, nil
}

func (db *DB) invokeDelete(p deletePlan) {
	db.mustBeCurrent(p.gen)
	db.gen++
	for _, id := range p.ids {
		db.remove(id)
	}
}
