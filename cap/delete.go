package cap

// deletePlan is a decoded delete or revoke: the capabilities to remove,
// or the one that becomes a placeholder.
type deletePlan struct {
	gen  uint64
	ids  []ID
	hold ID
}

// Delete removes the capability id. Its descendants stay: their memory
// remains in use, and no ancestor may retype over it until they are gone.
// The last local copy of a capability with copies or descendants on
// other cores stays as a placeholder if it has a local ancestor
// (placeholder.go); without one, if copies live elsewhere, deleting it
// needs the monitors (ErrNeedsMonitor): the other cores' remote
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
	n, ok := db.live(id)
	if !ok {
		return deletePlan{}, fail("delete", id, ErrNoCap, "")
	}
	p := deletePlan{gen: db.gen}
	switch {
	case n.cap.Remote&remoteRelatives == 0 || db.hasOtherCopy(n):
		p.ids = []ID{id}
	case db.hasAncestor(n):
		p.hold = id
	case n.cap.Remote&RemoteCopies != 0:
		return deletePlan{}, fail("delete", id, ErrNeedsMonitor, "last local copy of %v", n.cap)
	default:
		p.ids = []ID{id} // descendants elsewhere, no ancestor here
	}
	return p, nil
}

// Revoke removes every copy of id (but id itself) and every descendant,
// and returns how many capabilities it removed. If id, or one of the
// capabilities it would remove, has copies or descendants on other
// cores, the revoke needs the monitors (ErrNeedsMonitor).
func (db *DB) Revoke(id ID) (int, error) {
	p, err := db.decodeRevoke(id)
	if err != nil {
		return 0, err
	}
	db.invokeDelete(p)
	return len(p.ids), nil
}

func (db *DB) decodeRevoke(id ID) (deletePlan, error) {
	n, ok := db.live(id)
	if !ok {
		return deletePlan{}, fail("revoke", id, ErrNoCap, "")
	}
	if n.cap.Remote&remoteRelatives != 0 {
		return deletePlan{}, fail("revoke", id, ErrNeedsMonitor, "remote relations %#x", uint8(n.cap.Remote))
	}
	p := deletePlan{gen: db.gen}
	var remote *node
	collect := func(m *node) {
		if m.cap.Remote&remoteRelatives != 0 && remote == nil {
			remote = m
		}
		if m != n {
			p.ids = append(p.ids, m.key.id)
		}
	}
	db.eachCopy(n.cap, collect)
	db.eachDescendant(n.cap, collect)
	if remote != nil {
		return deletePlan{}, fail("revoke", id, ErrNeedsMonitor, "reaches %v, which has relatives on other cores", remote.cap)
	}
	return p, nil
}

// RevokeAgreed applies a revoke the monitors agreed on to this core: it
// removes every local copy of obj but keep (0: none is kept),
// placeholders included, and every local descendant of obj, whatever
// their remote relations, and returns the IDs it took. A core holding
// no copy of obj still loses its descendants. The revoking core keeps
// its copy (keep); on any other core that holds an ancestor of obj, one
// copy stays as a placeholder (among the IDs returned: it is nobody's
// any more), since the revoking core's copy still takes the range (the
// commit's announcement then says so). It cannot fail.
func (db *DB) RevokeAgreed(obj Cap, keep ID) []ID {
	var ids []ID
	var hold *node
	collect := func(m *node) {
		switch {
		case m.key.id == keep:
		case keep == 0 && hold == nil && IsCopy(m.cap, obj) && db.hasAncestor(m):
			hold = m
		default:
			ids = append(ids, m.key.id)
		}
	}
	db.eachCopy(obj, collect)
	db.eachDescendant(obj, collect)
	db.gen++
	for _, id := range ids {
		db.remove(id)
	}
	if n, ok := db.byID[keep]; ok {
		n.cap.Remote = 0 // none is left elsewhere but placeholders, which the announcement names
	}
	if hold != nil {
		hold.held, hold.cap.Remote = true, RemoteCopies
		ids = append(ids, hold.key.id)
	}
	return ids
}

func (db *DB) invokeDelete(p deletePlan) {
	db.mustBeCurrent(p.gen)
	db.gen++
	for _, id := range p.ids {
		db.remove(id)
	}
	if p.hold != 0 {
		db.byID[p.hold].held = true
	}
}
