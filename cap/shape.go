package cap

// checkShape checks the rules a capability's own content must meet,
// whatever else is in the database: a real type, known rights, a range
// inside its space that meets the type's size and alignment rules.
func checkShape(op string, c Cap) *Error {
	if !c.Type.Valid() {
		return fail(op, 0, ErrBadType, "type %d", uint8(c.Type))
	}
	if !c.Rights.Valid() {
		return fail(op, 0, ErrBadRights, "rights %#x", uint8(c.Rights))
	}
	if c.Space() == SpaceNone {
		if c.Base != 0 || c.Size != 0 {
			return fail(op, 0, ErrOutOfRange, "%v names no range", c.Type)
		}
		return nil
	}
	if e := checkObject(op, 0, c.Type, c.Base, c.Size); e != nil {
		return e
	}
	if c.End() < c.Base || c.End() > c.Space().Limit() {
		return fail(op, 0, ErrOutOfRange, "%#x+%#x beyond %v space end %#x", c.Base, c.Size, c.Space(), c.Space().Limit())
	}
	return nil
}

// checkObject checks one object's size and base against the rules of type t.
func checkObject(op string, id ID, t Type, base, size uint64) *Error {
	info := typeTable[t]
	switch {
	case info.Fixed != 0 && size != info.Fixed:
		return fail(op, id, ErrBadSize, "%v objects are %#x, not %#x", t, info.Fixed, size)
	case info.Fixed == 0 && (size < info.Min || size%info.Granule != 0):
		return fail(op, id, ErrBadSize, "%v size %#x: need a multiple of %#x, at least %#x", t, size, info.Granule, info.Min)
	case info.Pow2 && size&(size-1) != 0:
		return fail(op, id, ErrBadSize, "%v size %#x is not a power of two", t, size)
	case base%info.Align != 0:
		return fail(op, id, ErrBadAlign, "%v base %#x is not a multiple of %#x", t, base, info.Align)
	}
	return nil
}

// related reports whether a and b may both be in a database: they overlap
// nothing, or are copies, or one descends from the other.
func related(a, b Cap) bool {
	return !Overlaps(a, b) || IsCopy(a, b) || IsDescendant(a, b) || IsDescendant(b, a)
}
