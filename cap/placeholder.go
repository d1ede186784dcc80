package cap

// Placeholders: how a core's ancestors learn of descendants that live on
// other cores (docs/capabilities.md, "Remote descendants").
//
// A capability that has left this core (a Frame sent to another core)
// has, on this core, a copy with RemoteCopies set, and perhaps
// ancestors (the RAM it was retyped from). As long as that copy stays in
// the DB, the ancestors see it among their descendants: a retype over its
// range overlaps it, and a revoke reaches it and, since it has remote
// relations, needs the monitors. When its holder deletes the last local
// copy, the copy therefore stays as a placeholder: it is no longer
// anybody's (operations through its ID fail with ErrNoCap, as for a
// deleted capability) but it keeps the range taken. The placeholder goes
// once the monitors announce that no copy and no descendant lives
// elsewhere any more (SetRemote without RemoteCopies or
// RemoteDescendants), or with a revoke. A last copy without a local
// ancestor needs no placeholder: nothing on this core could reuse its
// range, and its delete runs the monitors' protocol as before.

// remoteRelatives are the relations that make a placeholder necessary.
const remoteRelatives = RemoteCopies | RemoteDescendants

// live returns the node of id if it exists and is not a placeholder.
func (db *DB) live(id ID) (*node, bool) {
	n, ok := db.byID[id]
	if !ok || n.held {
		return nil, false
	}
	return n, true
}

// IsPlaceholder reports whether id is a placeholder: the last local copy
// of a capability with relatives on other cores, kept after its holder
// deleted it.
func (db *DB) IsPlaceholder(id ID) bool {
	n, ok := db.byID[id]
	return ok && n.held
}

// hasAncestor reports whether a capability of which n descends is in the
// DB.
func (db *DB) hasAncestor(n *node) bool {
	c := n.cap
	if c.Space() == SpaceNone {
		return false
	}
	found := false
	overlapping(db.root, baseKey(c.Space(), 0), baseKey(c.Space(), c.End()), c.Base, func(m *node) bool {
		found = IsDescendant(c, m.cap)
		return !found
	})
	return found
}

// reapPlaceholders removes the copies of c that are placeholders no
// longer needed: no relative of theirs lives elsewhere.
func (db *DB) reapPlaceholders(c Cap) {
	var gone []ID
	db.eachCopy(c, func(m *node) {
		if m.held && m.cap.Remote&remoteRelatives == 0 {
			gone = append(gone, m.key.id)
		}
	})
	for _, id := range gone {
		db.remove(id)
	}
}
