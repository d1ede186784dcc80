package cap

// RetypeArgs asks for Count objects of type Type, each ObjSize long (0
// means the type's fixed size), laid end to end from Offset into the source
// capability's range.
type RetypeArgs struct {
	Type    Type
	Offset  uint64
	ObjSize uint64
	Count   uint64
}

// RetypePlan is a decoded retype: the capabilities to add. Invoke it on the
// DB that decoded it, before any other change to that DB.
type RetypePlan struct {
	gen  uint64
	src  ID
	caps []Cap
}

// Caps returns the capabilities the plan will add.
func (p RetypePlan) Caps() []Cap { return append([]Cap(nil), p.caps...) }

// Retype makes new objects out of part of the range of capability src.
// The new capabilities descend from src, carry its rights and are owned by
// this core.
func (db *DB) Retype(src ID, a RetypeArgs) ([]ID, error) {
	p, err := db.DecodeRetype(src, a)
	if err != nil {
		return nil, err
	}
	return db.InvokeRetype(p), nil
}

// DecodeRetype checks every retype rule and returns the plan; it changes
// nothing. The rules: the source exists and has the write right; its type
// may become the target type; the objects meet the target type's size and
// alignment rules and lie inside the source's range; the result is not
// the source's own object again (same type, whole range); no existing
// descendant of the source overlaps the objects; and the source has no
// copies or descendants on other cores, whose monitors would have to agree.
func (db *DB) DecodeRetype(src ID, a RetypeArgs) (RetypePlan, error) {
	return db.decodeRetype(src, a, false)
}

// RetypeAgreed is Retype of a source with copies or descendants on other
// cores, whose monitors agreed to it (cap/dist's two-phase retype checked
// that none of them holds a descendant overlapping the objects). Every
// other rule applies.
func (db *DB) RetypeAgreed(src ID, a RetypeArgs) ([]ID, error) {
	p, err := db.decodeRetype(src, a, true)
	if err != nil {
		return nil, err
	}
	return db.InvokeRetype(p), nil
}

// Range returns the memory (or ports, or vectors) [base, end) the objects
// a asks for take in the range of src, which it does not check.
func (a RetypeArgs) Range(src Cap) (base, end uint64) {
	size := a.ObjSize
	if size == 0 && a.Type.Valid() {
		size = typeTable[a.Type].Fixed
	}
	return src.Base + a.Offset, src.Base + a.Offset + size*a.Count
}

// decodeRetype is DecodeRetype; agreed skips the rule about relatives on
// other cores.
func (db *DB) decodeRetype(src ID, a RetypeArgs, agreed bool) (RetypePlan, error) {
	const op = "retype"
	n, ok := db.live(src)
	if !ok {
		return RetypePlan{}, fail(op, src, ErrNoCap, "")
	}
	s := n.cap
	if e := checkRetypeArgs(src, s, a); e != nil {
		return RetypePlan{}, e
	}
	base, end := a.Range(s)
	size := (end - base) / a.Count
	if a.Type == s.Type && size == s.Size {
		return RetypePlan{}, fail(op, src, ErrSameObject, "%v", s)
	}
	if db.descendantOverlaps(s, base, end) {
		return RetypePlan{}, fail(op, src, ErrOverlap, "[%#x, %#x)", base, end)
	}
	if !agreed && s.Remote&(RemoteCopies|RemoteDescendants) != 0 {
		return RetypePlan{}, fail(op, src, ErrNeedsMonitor, "remote relations %#x", uint8(s.Remote))
	}
	p := RetypePlan{gen: db.gen, src: src, caps: make([]Cap, a.Count)}
	for i := range p.caps {
		p.caps[i] = Cap{Type: a.Type, Base: base + uint64(i)*size, Size: size,
			Rights: s.Rights, Owner: db.core, Remote: s.Remote & RemoteAncestors}
	}
	return p, nil
}

// checkRetypeArgs checks the rules that depend only on the source and the
// arguments, not on the rest of the database.
func checkRetypeArgs(src ID, s Cap, a RetypeArgs) *Error {
	const op = "retype"
	if !a.Type.Valid() {
		return fail(op, src, ErrBadType, "target type %d", uint8(a.Type))
	}
	if !CanRetype(s.Type, a.Type) {
		return fail(op, src, ErrCannotRetype, "%v to %v", s.Type, a.Type)
	}
	if !s.Rights.Has(RightWrite) {
		return fail(op, src, ErrNoRight, "retype needs write, source has %v", s.Rights)
	}
	size := a.ObjSize
	if size == 0 {
		size = typeTable[a.Type].Fixed
	}
	if a.Count == 0 || size == 0 || a.Count > s.Size/size {
		return fail(op, src, ErrBadCount, "%d objects of %#x in %#x", a.Count, size, s.Size)
	}
	if a.Offset > s.Size || size*a.Count > s.Size-a.Offset {
		return fail(op, src, ErrOutOfRange, "offset %#x + %d x %#x beyond size %#x", a.Offset, a.Count, size, s.Size)
	}
	return checkObject(op, src, a.Type, s.Base+a.Offset, size)
}

// InvokeRetype adds the planned capabilities and returns their IDs. It
// cannot fail; a plan decoded before another change to the DB is a
// programming error and panics.
func (db *DB) InvokeRetype(p RetypePlan) []ID {
	db.mustBeCurrent(p.gen)
	db.gen++
	ids := make([]ID, len(p.caps))
	for i, c := range p.caps {
		ids[i] = db.add(c)
	}
	return ids
}

func (db *DB) mustBeCurrent(gen uint64) {
	if gen != db.gen {
		panic("cap: invoking a plan decoded before a later change to the DB")
	}
}
