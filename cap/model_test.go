package cap

import "slices"

// model is the reference the DB is checked against: a flat slice of live
// capabilities searched by brute force, with relations taken from the
// recorded derivation history (which object was made from which), not from
// types and ranges as the DB does. Argument checks that involve only the
// source and the arguments (checkShape, checkRetypeArgs) are shared with
// the DB; they have table tests of their own.
type model struct {
	core      Core
	last      ID
	live      []mcap
	parentObj []int // parentObj[o]: the object o was retyped from, or -1
}

// mcap is one live capability in the model.
type mcap struct {
	id ID
	c  Cap
	// obj is the object the capability names: copies share it.
	obj int
	// maxRights is the rights of the capability it was made from.
	maxRights Rights
	// held: a placeholder, kept after its delete because relatives of
	// it live on other cores and an ancestor lives here.
	held bool
}

func newModel(core Core) *model { return &model{core: core} }

func (m *model) find(id ID) (int, bool) {
	for i, x := range m.live {
		if x.id == id {
			return i, true
		}
	}
	return -1, false
}

// findLive is find for capabilities that are not placeholders: the only
// ones operations may name.
func (m *model) findLive(id ID) (int, bool) {
	i, ok := m.find(id)
	if !ok || m.live[i].held {
		return -1, false
	}
	return i, true
}

// hasAncestor reports whether a live capability (placeholders count) of
// an object that x's object was made from exists.
func (m *model) hasAncestor(x mcap) bool {
	for _, y := range m.live {
		if m.descends(x.obj, y.obj) {
			return true
		}
	}
	return false
}

// descends reports whether object d was made, through one or more
// retypes, from object a.
func (m *model) descends(d, a int) bool {
	for p := m.parentObj[d]; p >= 0; p = m.parentObj[p] {
		if p == a {
			return true
		}
	}
	return false
}

func (m *model) newObj(parent int) int {
	m.parentObj = append(m.parentObj, parent)
	return len(m.parentObj) - 1
}

func (m *model) add(c Cap, obj int, maxRights Rights) ID {
	m.last++
	m.live = append(m.live, mcap{id: m.last, c: c, obj: obj, maxRights: maxRights})
	return m.last
}

func (m *model) copiesOf(id ID) []ID {
	i, _ := m.find(id)
	var ids []ID
	for _, x := range m.live {
		if x.obj == m.live[i].obj && x.id != id {
			ids = append(ids, x.id)
		}
	}
	return ids
}

func (m *model) descendantsOf(id ID) []ID {
	i, _ := m.find(id)
	var ids []ID
	for _, x := range m.live {
		if m.descends(x.obj, m.live[i].obj) {
			ids = append(ids, x.id)
		}
	}
	return ids
}

func (m *model) create(c Cap) (ID, Code) {
	c.Owner, c.Remote = m.core, 0
	if e := checkShape("create", c); e != nil {
		return 0, e.Code
	}
	if !typeTable[c.Type].Root {
		return 0, ErrNotRoot
	}
	obj := -1
	for _, x := range m.live {
		sameObj := x.c.Type == c.Type && x.c.Base == c.Base && x.c.Size == c.Size
		if sameObj {
			obj = x.obj
		} else if Overlaps(x.c, c) {
			return 0, ErrConflict
		}
	}
	if obj < 0 {
		obj = m.newObj(-1)
	}
	return m.add(c, obj, c.Rights), 0
}

func (m *model) retype(src ID, a RetypeArgs) ([]ID, Code) {
	i, ok := m.findLive(src)
	if !ok {
		return nil, ErrNoCap
	}
	s := m.live[i]
	if e := checkRetypeArgs(src, s.c, a); e != nil {
		return nil, e.Code
	}
	size := a.ObjSize
	if size == 0 {
		size = typeTable[a.Type].Fixed
	}
	base, end := s.c.Base+a.Offset, s.c.Base+a.Offset+size*a.Count
	if a.Type == s.c.Type && size == s.c.Size {
		return nil, ErrSameObject
	}
	for _, x := range m.live {
		if m.descends(x.obj, s.obj) && x.c.Base < end && base < x.c.End() {
			return nil, ErrOverlap
		}
	}
	if s.c.Remote&(RemoteCopies|RemoteDescendants) != 0 {
		return nil, ErrNeedsMonitor
	}
	var ids []ID
	for k := range a.Count {
		c := Cap{Type: a.Type, Base: base + k*size, Size: size, Rights: s.c.Rights,
			Owner: m.core, Remote: s.c.Remote & RemoteAncestors}
		ids = append(ids, m.add(c, m.newObj(s.obj), s.c.Rights))
	}
	return ids, 0
}

func (m *model) mint(src ID, rights Rights, isCopy bool) (ID, Code) {
	i, ok := m.findLive(src)
	if !ok {
		return 0, ErrNoCap
	}
	s := m.live[i]
	c := s.c
	if !isCopy {
		if !rights.Valid() {
			return 0, ErrBadRights
		}
		if rights&^c.Rights != 0 {
			return 0, ErrRightsGrow
		}
		c.Rights = rights
	}
	return m.add(c, s.obj, s.c.Rights), 0
}

func (m *model) delete(id ID) Code {
	i, ok := m.findLive(id)
	if !ok {
		return ErrNoCap
	}
	x := m.live[i]
	switch {
	case x.c.Remote&(RemoteCopies|RemoteDescendants) == 0 || len(m.copiesOf(id)) > 0:
	case m.hasAncestor(x):
		m.live[i].held = true
		return 0
	case x.c.Remote&RemoteCopies != 0:
		return ErrNeedsMonitor
	}
	m.live = slices.Delete(m.live, i, i+1)
	return 0
}

func (m *model) revoke(id ID) (int, Code) {
	i, ok := m.findLive(id)
	if !ok {
		return 0, ErrNoCap
	}
	obj := m.live[i].obj
	gone := func(x mcap) bool { return x.id != id && (x.obj == obj || m.descends(x.obj, obj)) }
	for _, x := range m.live {
		if (x.id == id || gone(x)) && x.c.Remote&(RemoteCopies|RemoteDescendants) != 0 {
			return 0, ErrNeedsMonitor
		}
	}
	n := len(m.live)
	m.live = slices.DeleteFunc(m.live, gone)
	return n - len(m.live), 0
}

// revokeAgreed is the monitors' revoke of id's object applied here:
// every copy but id and every descendant go, whatever their relations.
func (m *model) revokeAgreed(id ID) (int, Code) {
	i, ok := m.find(id)
	if !ok {
		return 0, ErrNoCap
	}
	obj := m.live[i].obj
	n := len(m.live)
	m.live = slices.DeleteFunc(m.live, func(x mcap) bool {
		return x.id != id && (x.obj == obj || m.descends(x.obj, obj))
	})
	i, _ = m.find(id)
	m.live[i].c.Remote = 0
	return n - len(m.live), 0
}

func (m *model) setRemote(id ID, r Relations) Code {
	i, ok := m.find(id)
	if !ok {
		return ErrNoCap
	}
	obj := m.live[i].obj
	for k := range m.live {
		if m.live[k].obj == obj {
			m.live[k].c.Remote = r
		}
	}
	m.live = slices.DeleteFunc(m.live, func(x mcap) bool {
		return x.obj == obj && x.held && r&(RemoteCopies|RemoteDescendants) == 0
	})
	return 0
}
