package cap

// copyPlan is a decoded copy or mint: the capability to add.
type copyPlan struct {
	gen uint64
	c   Cap
}

// Copy adds another capability to the object src names, with the same
// rights. Copies are equals: none is the original.
func (db *DB) Copy(src ID) (ID, error) {
	p, err := db.decodeMint("copy", src, nil)
	if err != nil {
		return 0, err
	}
	return db.invokeCopy(p), nil
}

// Mint is Copy with fewer rights: the new capability carries rights, which
// must be a subset of src's.
func (db *DB) Mint(src ID, rights Rights) (ID, error) {
	p, err := db.decodeMint("mint", src, &rights)
	if err != nil {
		return 0, err
	}
	return db.invokeCopy(p), nil
}

// decodeMint checks a copy (rights == nil) or a mint.
func (db *DB) decodeMint(op string, src ID, rights *Rights) (copyPlan, error) {
	n, ok := db.live(src)
	if !ok {
		return copyPlan{}, fail(op, src, ErrNoCap, "")
	}
	c := n.cap
	if rights != nil {
		if !rights.Valid() {
			return copyPlan{}, fail(op, src, ErrBadRights, "rights %#x", uint8(*rights))
		}
		if !c.Rights.Has(*rights) {
			return copyPlan{}, fail(op, src, ErrRightsGrow, "asked %v, source has %v", *rights, c.Rights)
		}
		c.Rights = *rights
	}
	return copyPlan{gen: db.gen, c: c}, nil
}

func (db *DB) invokeCopy(p copyPlan) ID {
	db.mustBeCurrent(p.gen)
	db.gen++
	return db.add(p.c)
}
