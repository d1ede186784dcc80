package cap

import (
	"errors"
	"slices"
	"testing"
)

// opKind is one operation of a generated sequence.
type opKind uint8

const (
	opCreate opKind = iota
	opRetype
	opCopy
	opMint
	opDelete
	opRevoke
	opSetRemote
	opIdentify
	opRevokeAgreed
	numOpKinds
)

// op is a generated operation. Its selectors are resolved against the
// model's state when it is applied, so any byte string is a valid sequence.
type op struct {
	kind    opKind
	pick    uint64 // which capability: see target
	c       Cap    // opCreate
	typeSel uint8  // opRetype: the target type, see retypeArgs
	sizeSel uint8  // opRetype: object size
	offSel  uint8  // opRetype: offset
	count   uint8  // opRetype: object count
	rights  Rights // opMint
	rel     Relations
}

// objSizes are the object sizes a generated retype asks for: fixed,
// ports or vectors, sub-page, pages, and sizes that break the rules.
var objSizes = []uint64{0, 1, 2, 1024, 4096, 8192, 16384, 3072, 12288, 4}

// harness applies operations to a DB and the model and checks after every
// step that they agree and that the invariants hold.
type harness struct {
	t  testing.TB
	db *DB
	m  *model
	// placeholders counts the deletes that left a placeholder, so that
	// a test can check the sequences reached that case.
	placeholders int
}

func newHarness(t testing.TB) *harness {
	return &harness{t: t, db: NewDB(3), m: newModel(3)}
}

// target resolves a selector to a capability: mostly a live one, now and
// then any ID ever issued, or one never issued. With want set it prefers
// live capabilities for which want holds.
func (h *harness) target(pick uint64, want func(Cap) bool) ID {
	if pick%8 == 7 || len(h.m.live) == 0 {
		return ID((pick / 8) % uint64(h.m.last+2))
	}
	var ids []ID
	for _, x := range h.m.live {
		if want == nil || want(x.c) {
			ids = append(ids, x.id)
		}
	}
	if len(ids) == 0 {
		return h.m.live[(pick/8)%uint64(len(h.m.live))].id
	}
	return ids[(pick/8)%uint64(len(ids))]
}

func retypable(c Cap) bool { return len(typeTable[c.Type].RetypeTo) > 0 }

// retypeArgs resolves a retype's selectors against its source: mostly a
// type the source may become and a size that divides the source, now and
// then anything at all.
func (h *harness) retypeArgs(src ID, o op) RetypeArgs {
	var s Cap
	if i, ok := h.m.find(src); ok {
		s = h.m.live[i].c
	}
	a := RetypeArgs{Type: Type(o.typeSel % uint8(numTypes)), Count: uint64(o.count%4) + 1}
	if to := typeTable[s.Type].RetypeTo; len(to) > 0 && o.typeSel%8 != 0 {
		a.Type = to[int(o.typeSel/8)%len(to)]
	}
	a.Offset = uint64(o.offSel/4%16) * 1024
	if o.sizeSel%4 == 0 || s.Size == 0 {
		a.ObjSize = objSizes[int(o.sizeSel/4)%len(objSizes)]
		return a
	}
	// A power-of-two fraction of the source, objects at an object boundary.
	slots := uint64(1) << (o.sizeSel / 4 % 4)
	a.ObjSize = s.Size / slots
	a.Count = 1 + uint64(o.count)%slots
	if o.offSel%4 != 0 {
		a.Offset = uint64(o.offSel/4) % (slots - a.Count + 1) * a.ObjSize
	}
	return a
}

func code(err error) Code {
	if err == nil {
		return 0
	}
	var e *Error
	if !errors.As(err, &e) {
		return 255
	}
	return e.Code
}

// step applies one operation to both sides and checks the outcome.
func (h *harness) step(o op) {
	h.t.Helper()
	var want func(Cap) bool
	if o.kind == opRetype {
		want = retypable
	}
	id := h.target(o.pick, want)
	switch o.kind {
	case opCreate:
		got, err := h.db.Create(o.c)
		want, wc := h.m.create(o.c)
		h.agree("create", []ID{got}, []ID{want}, code(err), wc)
	case opRetype:
		a := h.retypeArgs(id, o)
		got, err := h.db.Retype(id, a)
		want, wc := h.m.retype(id, a)
		h.agree("retype", got, want, code(err), wc)
	case opCopy, opMint:
		var got ID
		var err error
		if o.kind == opCopy {
			got, err = h.db.Copy(id)
		} else {
			got, err = h.db.Mint(id, o.rights)
		}
		want, wc := h.m.mint(id, o.rights, o.kind == opCopy)
		h.agree("copy/mint", []ID{got}, []ID{want}, code(err), wc)
	case opDelete:
		h.agree("delete", nil, nil, code(h.db.Delete(id)), h.m.delete(id))
		if h.db.IsPlaceholder(id) {
			h.placeholders++
		}
	case opRevokeAgreed:
		var n int
		wn, wc := h.m.revokeAgreed(id)
		if c, err := h.db.Identify(id); err == nil {
			n = len(h.db.RevokeAgreed(c, id))
		}
		h.agree("agreed revoke", []ID{ID(n)}, []ID{ID(wn)}, 0, 0)
		if wc == 0 && (len(h.db.Copies(id)) != 0 || len(h.db.Descendants(id)) != 0) {
			h.t.Fatalf("agreed revoke %d left copies %v or descendants %v", id, h.db.Copies(id), h.db.Descendants(id))
		}
	case opRevoke:
		n, err := h.db.Revoke(id)
		wn, wc := h.m.revoke(id)
		h.agree("revoke", []ID{ID(n)}, []ID{ID(wn)}, code(err), wc)
		if err == nil && (len(h.db.Copies(id)) != 0 || len(h.db.Descendants(id)) != 0) {
			h.t.Fatalf("revoke %d left copies %v or descendants %v", id, h.db.Copies(id), h.db.Descendants(id))
		}
	case opSetRemote:
		h.agree("setremote", nil, nil, code(h.db.SetRemote(id, o.rel&7)), h.m.setRemote(id, o.rel&7))
	case opIdentify:
		_, err := h.db.Identify(id)
		_, ok := h.m.find(id)
		h.agree("identify", nil, nil, code(err), map[bool]Code{true: 0, false: ErrNoCap}[ok])
	}
	h.check()
}

func (h *harness) agree(what string, got, want []ID, gc, wc Code) {
	h.t.Helper()
	if gc != wc {
		h.t.Fatalf("%s: error %v, model says %v", what, gc, wc)
	}
	if gc == 0 && !slices.Equal(got, want) {
		h.t.Fatalf("%s: result %v, model says %v", what, got, want)
	}
}

// check compares the whole DB with the model and checks the invariants.
func (h *harness) check() {
	h.t.Helper()
	ids := h.db.IDs()
	if len(ids) != len(h.m.live) || h.db.Len() != len(ids) {
		h.t.Fatalf("DB holds %d capabilities, model %d", len(ids), len(h.m.live))
	}
	for _, x := range h.m.live {
		c, err := h.db.Identify(x.id)
		if err != nil || c != x.c {
			h.t.Fatalf("identify %d: %v %v, model has %v", x.id, c, err, x.c)
		}
		if !x.maxRights.Has(c.Rights) {
			h.t.Fatalf("rights grew: %v has %v, made from one with %v", x.id, c.Rights, x.maxRights)
		}
		h.sameSet("copies", x.id, h.db.Copies(x.id), h.m.copiesOf(x.id))
		h.sameSet("descendants", x.id, h.db.Descendants(x.id), h.m.descendantsOf(x.id))
	}
	h.checkNoUnrelatedOverlap()
}

func (h *harness) sameSet(what string, id ID, got, want []ID) {
	h.t.Helper()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		h.t.Fatalf("%s of %d: DB %v, model %v", what, id, got, want)
	}
}

// checkNoUnrelatedOverlap is the memory-safety invariant: two live
// capabilities of different objects cover the same resource only if one
// was made from the other.
func (h *harness) checkNoUnrelatedOverlap() {
	h.t.Helper()
	for i, a := range h.m.live {
		for _, b := range h.m.live[i+1:] {
			if !Overlaps(a.c, b.c) || a.obj == b.obj || h.m.descends(a.obj, b.obj) || h.m.descends(b.obj, a.obj) {
				continue
			}
			h.t.Fatalf("unrelated %d %v and %d %v overlap", a.id, a.c, b.id, b.c)
		}
	}
}
